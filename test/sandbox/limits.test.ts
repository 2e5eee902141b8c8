import { startHaloSandbox, type HaloSandbox } from '../../sandbox';
import { api, control, requestToken, send, tokenFor } from './http';

describe('sandbox rate limit and faults', () => {
	let sandbox: HaloSandbox;
	let token: string;

	beforeAll(async () => {
		sandbox = await startHaloSandbox();
		token = await tokenFor(sandbox);
	});
	afterEach(() => control(sandbox, 'POST', '/reset'));
	afterAll(() => sandbox.stop());

	it('is off by default', async () => {
		const answers = await Promise.all(Array.from({ length: 40 }, () => api(sandbox, token, 'GET', '/Status')));
		expect(answers.every((answer) => answer.status === 200)).toBe(true);
	});

	it('answers 429 with Halo\'s message and no Retry-After over a rolling window', async () => {
		// A 2 s window: the four sequential requests fit in it even on a loaded machine.
		await control(sandbox, 'POST', '/rate-limit', { limit: 3, windowMs: 2000 });
		const statuses: number[] = [];
		for (let i = 0; i < 3; i++) statuses.push((await api(sandbox, token, 'GET', '/Status')).status);
		const limited = await api(sandbox, token, 'GET', '/Status');
		expect(statuses).toEqual([200, 200, 200]);
		expect(limited.status).toBe(429);
		expect(limited.text).toBe('Rate Limit Reached - 3 Requests per rolling 2 second window');
		expect(limited.headers.get('retry-after')).toBeNull();
		await new Promise((resolve) => setTimeout(resolve, 2050));
		expect((await api(sandbox, token, 'GET', '/Status')).status).toBe(200);
		await control(sandbox, 'POST', '/rate-limit', { limit: 300, windowMs: 300000 });
		expect((await control(sandbox, 'GET', '/rate-limit')).json.rateLimit).toEqual({ limit: 300, windowMs: 300000, announce: true });
		sandbox.setRateLimit({ limit: 1, windowMs: 300000 });
		await api(sandbox, token, 'GET', '/Status');
		expect((await api(sandbox, token, 'GET', '/Status')).text).toBe('Rate Limit Reached - 1 Requests per rolling 5 minute window');
	});

	it('names no window in its 429 when told not to announce it, for clients that must learn it', async () => {
		await control(sandbox, 'POST', '/rate-limit', { limit: 1, windowMs: 60000, announce: false });
		expect((await api(sandbox, token, 'GET', '/Status')).status).toBe(200);
		const limited = await api(sandbox, token, 'GET', '/Status');
		expect([limited.status, limited.text]).toEqual([429, 'Rate Limit Reached']);
		expect((await control(sandbox, 'GET', '/rate-limit')).json.rateLimit).toEqual({ limit: 1, windowMs: 60000, announce: false });
		expect((await control(sandbox, 'POST', '/rate-limit', { limit: 1, windowMs: 1000, announce: 'no' })).json.Message).toMatch(/announce must be true or false/);
	});

	it('counts token requests in the same window and answers them 429 too', async () => {
		await control(sandbox, 'POST', '/rate-limit', { limit: 2, windowMs: 300000 });
		const fields = { grant_type: 'client_credentials', client_id: sandbox.clientId, client_secret: sandbox.clientSecret };
		expect((await requestToken(sandbox, fields)).status).toBe(200);
		expect((await api(sandbox, token, 'GET', '/Status')).status).toBe(200);
		const limited = await requestToken(sandbox, fields);
		expect(limited.status).toBe(429);
		expect(limited.text).toBe('Rate Limit Reached - 2 Requests per rolling 5 minute window');
		expect((await control(sandbox, 'GET', '/stats')).json.tokensIssued).toBe(1);
	});

	it('fires a status fault for exactly its count, then answers normally', async () => {
		await control(sandbox, 'POST', '/faults', [{ route: 'GET /api/tickets', kind: 'status', status: 503, count: 2 }]);
		const statuses: number[] = [];
		for (let i = 0; i < 3; i++) statuses.push((await api(sandbox, token, 'GET', '/Tickets')).status);
		expect(statuses).toEqual([503, 503, 200]);
		expect((await api(sandbox, token, 'GET', '/Tickets/1')).status).toBe(200);
		expect((await control(sandbox, 'GET', '/stats')).json.faultsFired).toBe(2);
	});

	it('answers 504 the way a gateway does, and counts the requests each rule hit', async () => {
		await control(sandbox, 'POST', '/faults', [{ route: 'GET /api/status', kind: 'status', status: 504, count: 3 }]);
		const answer = await api(sandbox, token, 'GET', '/Status');
		expect(answer.status).toBe(504);
		expect(answer.text).toContain('504 Gateway Timeout');
		expect((await control(sandbox, 'GET', '/faults')).json).toEqual([
			{ route: 'GET /api/status', kind: 'status', status: 504, count: 3, remaining: 2, fired: 1 },
		]);
	});

	it('holds a timeout fault unanswered, nothing written, until the client gives up', async () => {
		const before = sandbox.state.store.actions.size;
		await control(sandbox, 'POST', '/faults', [{ route: 'POST /api/actions', kind: 'timeout', count: 1 }]);
		const started = Date.now();
		await expect(
			fetch(`${sandbox.baseUrl}/api/Actions`, {
				method: 'POST',
				headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
				body: JSON.stringify([{ ticket_id: 1, outcome: 'Note', note: 'never processed' }]),
				signal: AbortSignal.timeout(400),
			}),
		).rejects.toThrow(/aborted/i);
		expect(Date.now() - started).toBeGreaterThanOrEqual(390);
		expect(sandbox.state.store.actions.size).toBe(before);
		// a client that never gives up is cut off after delayMs
		await control(sandbox, 'POST', '/faults', [{ route: 'GET /api/status', kind: 'timeout', delayMs: 200, count: 1 }]);
		await expect(fetch(`${sandbox.baseUrl}/api/Status`, { headers: { Authorization: `Bearer ${token}` } })).rejects.toThrow();
		const logged = (await control(sandbox, 'GET', '/requests')).json.filter((entry: { route: string }) => entry.route !== 'POST /auth/token');
		expect(logged.slice(-2).map((entry: { route: string; status: number }) => [entry.route, entry.status])).toEqual([
			['POST /api/actions', 0],
			['GET /api/status', 0],
		]);
	});

	it('fires probabilistic faults reproducibly from a seed', async () => {
		const run = async () => {
			await control(sandbox, 'POST', '/faults', { seed: 42, faults: [{ route: 'GET /api/status', kind: 'status', status: 500, probability: 0.3 }] });
			const statuses: number[] = [];
			for (let i = 0; i < 60; i++) statuses.push((await api(sandbox, token, 'GET', '/Status')).status);
			await control(sandbox, 'DELETE', '/faults');
			return statuses;
		};
		const first = await run();
		const second = await run();
		expect(second).toEqual(first);
		const failures = first.filter((status) => status === 500).length;
		expect(failures).toBeGreaterThan(5);
		expect(failures).toBeLessThan(35);
	});

	it('resets the connection and slows answers down', async () => {
		await control(sandbox, 'POST', '/faults', [
			{ route: 'GET /api/client', kind: 'drop', count: 1 },
			{ route: 'GET /api/site', kind: 'slow', delayMs: 300, count: 1 },
		]);
		const reset = await fetch(`${sandbox.baseUrl}/api/Client`, { headers: { Authorization: `Bearer ${token}` } }).catch((error: Error) => error);
		expect((reset as Error & { cause?: { code?: string } }).cause?.code).toBe('ECONNRESET');
		const started = Date.now();
		expect((await api(sandbox, token, 'GET', '/Site')).status).toBe(200);
		expect(Date.now() - started).toBeGreaterThanOrEqual(290);
	});

	it('processes a write and then fails it (status or dropped connection)', async () => {
		const before = sandbox.state.store.actions.size;
		await control(sandbox, 'POST', '/faults', [{ route: 'POST /api/actions', kind: 'processed-then-fail', status: 502, count: 1 }]);
		const failed = await api(sandbox, token, 'POST', '/Actions', [{ ticket_id: 1, outcome: 'Note', note: 'landed anyway' }]);
		expect(failed.status).toBe(502);
		const actions = await api(sandbox, token, 'GET', '/Actions?ticket_id=1');
		expect(actions.json.actions.filter((action: { note: string }) => action.note === 'landed anyway')).toHaveLength(1);
		expect(sandbox.state.store.actions.size).toBe(before + 1);

		sandbox.setFaults([{ route: 'POST /api/tickets', kind: 'processed-then-fail', failWith: 'drop', count: 1 }]);
		await expect(
			fetch(`${sandbox.baseUrl}/api/Tickets`, {
				method: 'POST',
				headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
				body: JSON.stringify([{ summary: 'Dropped but created', client_id: 1 }]),
			}),
		).rejects.toThrow();
		const search = await api(sandbox, token, 'GET', '/Tickets?search=Dropped%20but%20created');
		expect(search.json.record_count).toBe(1);
	});

	it('matches fault routes with wildcards and validates fault rules', async () => {
		await control(sandbox, 'POST', '/faults', [{ route: 'GET /api/agent*', kind: 'status', count: 1 }]);
		expect((await api(sandbox, token, 'GET', '/Agent/me')).status).toBe(500);
		const invalid = await control(sandbox, 'POST', '/faults', [{ route: 'GET /api/x', kind: 'explode' }]);
		expect(invalid.status).toBe(400);
		expect((await send(`${sandbox.baseUrl}/_sandbox/faults`)).json).toEqual([]);
	});
});
