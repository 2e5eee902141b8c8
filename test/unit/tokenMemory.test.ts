import { EMPTY_CREDENTIAL_GRACE_MS, tokenIdentity, TokenMemory, type FetchedToken } from '../../halo-client';

/** A token endpoint that answers when told to, numbering its tokens. */
function tokenEndpoint(expiresInSeconds?: number) {
	const waiting: Array<() => void> = [];
	let issued = 0;
	return {
		get issued() {
			return issued;
		},
		fetch: () =>
			new Promise<FetchedToken>((resolve) => {
				waiting.push(() => resolve({ accessToken: `token-${++issued}`, expiresInSeconds }));
			}),
		answerAll() {
			for (const answer of waiting.splice(0)) answer();
		},
	};
}

/** Asks the memory for a token and lets the endpoint answer any fetch that started. */
async function answered(memory: TokenMemory, endpoint: ReturnType<typeof tokenEndpoint>, who: string, failedToken: string): Promise<string> {
	const pending = memory.tokenFor(who, failedToken, endpoint.fetch);
	endpoint.answerAll();
	return await pending;
}

const identity = tokenIdentity({ baseUrl: 'https://acme.halopsa.com', tenant: '', authUrl: '', clientId: 'app', clientSecret: 'secret', scope: 'all' });

describe('TokenMemory', () => {
	it('makes callers that need a token while a fetch is in flight wait for that one fetch', async () => {
		const memory = new TokenMemory();
		const endpoint = tokenEndpoint(3600);
		const callers = Array.from({ length: 10 }, () => memory.tokenFor(identity, '', endpoint.fetch));
		await Promise.resolve();
		endpoint.answerAll();
		expect(await Promise.all(callers)).toEqual(Array(10).fill('token-1'));
		expect(endpoint.issued).toBe(1);
	});

	it('answers a token it already replaced with the replacement, without a fetch, while the replacement lives', async () => {
		let now = 0;
		const memory = new TokenMemory(() => now);
		const endpoint = tokenEndpoint(3600);
		expect(await answered(memory, endpoint, identity, '')).toBe('token-1');
		// Halo refused token-1: one fetch; then an execution that still held token-1 gets token-2 from memory.
		expect(await answered(memory, endpoint, identity, 'token-1')).toBe('token-2');
		expect(await answered(memory, endpoint, identity, 'token-1')).toBe('token-2');
		expect(endpoint.issued).toBe(2);
		// Near the end of token-2's lifetime (3600 s less 30 s) memory stops handing it out.
		now = 3571 * 1000;
		expect(await answered(memory, endpoint, identity, 'token-1')).toBe('token-3');
	});

	it('answers an empty credential read just after its fetch (before n8n stored the token) with that token', async () => {
		let now = 0;
		const memory = new TokenMemory(() => now);
		const endpoint = tokenEndpoint(3600);
		expect(await answered(memory, endpoint, identity, '')).toBe('token-1');
		now = EMPTY_CREDENTIAL_GRACE_MS - 1;
		expect(await answered(memory, endpoint, identity, '')).toBe('token-1');
		expect(endpoint.issued).toBe(1);
		// Later an empty credential is one that lost or never had its token: it gets a fetch.
		now = EMPTY_CREDENTIAL_GRACE_MS;
		expect(await answered(memory, endpoint, identity, '')).toBe('token-2');
	});

	it('fetches when the refused token is its newest one, when the credential is empty, and per identity', async () => {
		let now = 0;
		const memory = new TokenMemory(() => now);
		const endpoint = tokenEndpoint();
		const get = (who: string, failed: string) => answered(memory, endpoint, who, failed);
		expect(await get(identity, '')).toBe('token-1');
		expect(await get(identity, 'token-1')).toBe('token-2');
		now = EMPTY_CREDENTIAL_GRACE_MS;
		expect(await get(identity, '')).toBe('token-3');
		const other = tokenIdentity({ baseUrl: 'https://acme.halopsa.com', tenant: '', authUrl: '', clientId: 'app', clientSecret: 'other', scope: 'all' });
		expect(await get(other, 'token-1')).toBe('token-4');
		// A token another process fetched and Halo refused is not one this memory replaced.
		expect(await get(identity, 'from-another-process')).toBe('token-5');
	});

	it('does not remember a failed fetch: every waiter sees the failure, the next caller fetches again', async () => {
		const memory = new TokenMemory();
		let calls = 0;
		const failing = async (): Promise<FetchedToken> => {
			calls += 1;
			throw new Error('invalid_client');
		};
		const waiters = [memory.tokenFor(identity, '', failing), memory.tokenFor(identity, '', failing)];
		await expect(Promise.all(waiters)).rejects.toThrow('invalid_client');
		expect(calls).toBe(1);
		expect(await memory.tokenFor(identity, '', async () => ({ accessToken: 'token-ok' }))).toBe('token-ok');
	});

	it('keys identities by a digest that does not contain the secret', () => {
		expect(identity).toMatch(/^[0-9a-f]{64}$/);
		expect(identity).not.toContain('secret');
	});
});
