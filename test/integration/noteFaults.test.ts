/**
 * Writes under injected faults: a write Halo did not save is sent again (same request, same marker)
 * once the check proves it absent, for notes, emails and ticket creates; only a write whose fate
 * cannot be established, or that Halo refuses, fails. The node's real retry policy runs with short
 * delays and a short request timeout, so the timeouts and retries cost milliseconds here.
 */
import type { INodeParameters } from 'n8n-workflow';

import { locator, makeCredentials, runNode } from '../helpers/n8n-harness';
import type { StoredCredential } from '../helpers/n8n-harness';
import { FAULT_KINDS, postNotesUnderFaults, withRetryPolicy } from '../helpers/faults';
import { useHaloSandbox } from '../helpers/sandbox';

const fixture = useHaloSandbox();
let credentials: StoredCredential;
const FAST = { transientBaseDelayMs: 2, requestTimeoutMs: 300 };

beforeAll(() => {
	credentials = makeCredentials(fixture.sandbox);
});

beforeEach(async () => {
	await fixture.control.reset();
});

const run = async (parameters: INodeParameters) =>
	await withRetryPolicy(FAST, async () => await runNode({ parameters, credentials, continueOnFail: true }));

/** Checks for a note: reads of a ticket's note list from its first page (a list may take several). */
const checks = async () =>
	(await fixture.control.requests()).filter((request) => request.route === 'GET /api/actions' && request.query.page_no === '1').length;

const notesWith = (ticketId: number, text: string) =>
	fixture.sandbox.state.store.actions.bucket('ticket', ticketId).filter((action) => action.note === text);

describe('writes under faults', () => {
	it('1,000 notes with 20% of the posts hit by every kind of fault: none lost, none doubled, error items only for the notes Halo refused', async () => {
		const result = await withRetryPolicy(FAST, async () =>
			await postNotesUnderFaults(fixture.sandbox, { notes: 1000, tickets: [1, 2, 3, 4, 5, 6, 7, 8], share: 0.2, refusedEvery: 40, seed: 7 }),
		);
		expect(result.refused).toHaveLength(25);
		expect({ lost: result.lost, duplicated: result.duplicated, errorButWritten: result.errorButWritten }).toEqual({
			lost: [],
			duplicated: [],
			errorButWritten: [],
		});
		expect(result.errorItems).toEqual(result.refused);
		// Every kind fired, and about a fifth of all note posts met one.
		for (const kind of Object.keys(FAULT_KINDS)) expect({ kind, fired: result.faultsByKind[kind] > 5 }).toEqual({ kind, fired: true });
		const faults = Object.values(result.faultsByKind).reduce((sum, count) => sum + count, 0);
		expect(faults / result.posts).toBeGreaterThan(0.15);
		expect(faults / result.posts).toBeLessThan(0.25);
	}, 120_000);

	it('reports a refused note with Halo\'s message, even after faults hid the refusal at first', async () => {
		await fixture.control.addFaults([{ route: 'POST /api/actions', kind: 'status', status: 503, count: 2 }]);
		const { items } = await run({ resource: 'note', operation: 'addCustomerNote', ticketId: locator(3), note: 'refused', options: { newStatusId: 999999 } });
		expect(items[0].json.error).toBe('Invalid new_status: 999999 does not exist');
		expect(await fixture.control.countRoute('POST /api/actions')).toBe(3);
	});

	it.each(['500', '504', 'reset', 'timeout'])('sends a note Halo did not save (%s) again after checking it is absent: one note', async (kind) => {
		await fixture.control.addFaults([{ route: 'POST /api/actions', ...FAULT_KINDS[kind], count: 1 }]);
		const text = `sent again after ${kind}`;
		const { items } = await run({ resource: 'note', operation: 'addInternalNote', ticketId: locator(4), note: text });
		expect(items[0].json).toMatchObject({ ticket_id: 4, note: text });
		expect(notesWith(4, text)).toHaveLength(1);
		expect(await fixture.control.countRoute('POST /api/actions')).toBe(2);
		expect(await checks()).toBe(1);
	});

	it('sends an email Halo did not save (500) again: one action, one email', async () => {
		await fixture.control.addFaults([{ route: 'POST /api/actions', kind: 'status', status: 500, count: 1 }]);
		const { items } = await run({ resource: 'note', operation: 'emailContact', ticketId: locator(2), note: 'Your laptop is ready' });
		expect(items[0].json.error).toBeUndefined();
		expect(notesWith(2, 'Your laptop is ready')).toHaveLength(1);
		const emails = await fixture.control.emails();
		expect(emails.filter((email) => String(email.body).startsWith('Your laptop is ready'))).toHaveLength(1);
		expect(await fixture.control.countRoute('POST /api/actions')).toBe(2);
	});

	it.each(['500', 'reset', 'processed-then-500'])('creates exactly one ticket when the first create meets %s', async (kind) => {
		await fixture.control.addFaults([{ route: 'POST /api/tickets', ...FAULT_KINDS[kind], count: 1 }]);
		const summary = `One ticket after ${kind} ${Date.now()}`;
		const { items } = await run({ resource: 'ticket', operation: 'create', summary, clientId: locator(2) });
		expect(items[0].json).toMatchObject({ summary });
		expect(fixture.sandbox.state.store.tickets.all().filter((ticket) => ticket.summary === summary)).toHaveLength(1);
		expect(await fixture.control.countRoute('POST /api/tickets')).toBe(kind === 'processed-then-500' ? 1 : 2);
	});

	it('fails a note only after every attempt, each proven absent: it says nothing was saved, and nothing was', async () => {
		await fixture.control.addFaults([{ route: 'POST /api/actions', kind: 'status', status: 502 }]);
		const { items } = await run({ resource: 'note', operation: 'addCustomerNote', ticketId: locator(5), note: 'never saved' });
		expect(items[0].json.details).toMatch(/nothing was saved, so it is safe to run again/);
		expect(notesWith(5, 'never saved')).toHaveLength(0);
		// six attempts, each followed by a check
		expect(await fixture.control.countRoute('POST /api/actions')).toBe(6);
		expect(await checks()).toBe(6);
	});

	it('fails a note whose fate cannot be established (the check fails too) without sending it again', async () => {
		await fixture.control.addFaults([
			{ route: 'POST /api/actions', kind: 'status', status: 500 },
			{ route: 'GET /api/actions', kind: 'status', status: 500 },
		]);
		const { items } = await run({ resource: 'note', operation: 'addCustomerNote', ticketId: locator(5), note: 'fate unknown' });
		expect(items[0].json.error).toMatch(/whether Halo saved it could not be checked/);
		expect(await fixture.control.countRoute('POST /api/actions')).toBe(1);
	});
});
