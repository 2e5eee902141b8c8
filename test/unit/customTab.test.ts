import { createHash } from 'node:crypto';

import type { ICredentialTestFunctions } from 'n8n-workflow';

import { HaloPsaCustomTabTrigger } from '../../nodes/HaloPsaCustomTabTrigger/HaloPsaCustomTabTrigger.node';
import { LoadBound } from '../../nodes/HaloPsaCustomTabTrigger/loadBound';
import { keyMatches, tabKeyProblem } from '../../nodes/HaloPsaCustomTabTrigger/tabKey';
import { secretDigestOf } from '../../nodes/HaloPsaTrigger/authentication';

const KEY = 'sandbox-technician-tab-key';

describe('HaloPSA Custom Tab Trigger: the key', () => {
	it('accepts a long key of URL-safe characters, or its sha256: digest', () => {
		expect(tabKeyProblem({ secretKey: KEY })).toBeUndefined();
		expect(tabKeyProblem({ secretKey: `sha256:${createHash('sha256').update(KEY).digest('hex')}` })).toBeUndefined();
	});

	it.each([
		['', /Key is empty: enter a random key of at least 16/],
		['short-key', /Key has 9 characters: enter a random key of at least 16/],
		['a key with spaces in it', /only letters, digits and - \. _ ~/],
		['sha256:abc', /not followed by the 64 hex digits/],
	])('refuses %p with what to do', (secretKey, message) => {
		expect(tabKeyProblem({ secretKey })).toMatch(message);
	});

	it('has the credential\'s Test button say the same', async () => {
		const test = new HaloPsaCustomTabTrigger().methods.credentialTest.haloPsaCustomTabKeyTest;
		const run = async (secretKey: string) =>
			await test.call({} as ICredentialTestFunctions, { id: '1', name: 'key', type: 'haloPsaCustomTabKeyApi', data: { secretKey } });
		expect(await run('short')).toEqual({ status: 'Error', message: expect.stringMatching(/Key has 5 characters/) });
		expect(await run(KEY)).toEqual({ status: 'OK', message: 'End the tab\'s URL in HaloPSA with &key= and this key' });
	});

	it('matches the key only, given as itself or as its digest; never a missing, repeated or changed one', () => {
		for (const stored of [KEY, `sha256:${createHash('sha256').update(KEY).digest('hex')}`]) {
			const expected = secretDigestOf(stored);
			expect(keyMatches(KEY, expected)).toBe(true);
			for (const received of [undefined, '', [KEY, KEY], `${KEY} `, KEY.toUpperCase(), KEY.slice(1), `sha256:${expected}`]) {
				expect({ received, matches: keyMatches(received, expected) }).toEqual({ received, matches: false });
			}
		}
	});
});

describe('HaloPSA Custom Tab Trigger: loads per minute', () => {
	it('admits the bound in any minute, then says how long until the oldest load leaves the window', () => {
		const bound = new LoadBound();
		const start = 1_000_000;
		expect([0, 10_000, 20_000].map((offset) => bound.admit('tab', 3, start + offset))).toEqual([
			{ admitted: true },
			{ admitted: true },
			{ admitted: true },
		]);
		expect(bound.admit('tab', 3, start + 30_000)).toEqual({ admitted: false, retryAfterSeconds: 30 });
		expect(bound.admit('tab', 3, start + 59_500)).toEqual({ admitted: false, retryAfterSeconds: 1 });
		// A refused load does not count: once the first load is a minute old, one more is admitted.
		expect(bound.admit('tab', 3, start + 60_000)).toEqual({ admitted: true });
		expect(bound.admit('tab', 3, start + 60_001)).toEqual({ admitted: false, retryAfterSeconds: 10 });
	});

	it('keeps one window per trigger', () => {
		const bound = new LoadBound();
		expect(bound.admit('a', 1, 0)).toEqual({ admitted: true });
		expect(bound.admit('b', 1, 0)).toEqual({ admitted: true });
		expect(bound.admit('a', 1, 1)).toMatchObject({ admitted: false });
	});
});
