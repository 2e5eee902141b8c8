import { startHaloSandbox, type HaloSandbox } from '../../sandbox';
import { api, control, startWatchedSandbox } from './http';

/** The sandbox's own `/_sandbox/` API: bad input answers 400/404 with a message and changes nothing. */
describe('sandbox control API', () => {
	let watched: Awaited<ReturnType<typeof startWatchedSandbox>>;
	let sandbox: HaloSandbox;
	let token: string;
	const deliveredEvents = () => watched.deliveredEvents();

	beforeAll(async () => {
		watched = await startWatchedSandbox(['Action Added', 'Ticket Updated by User', 'Ticket Status Changed', 'New Ticket Logged', 'Ticket Reassigned']);
		({ sandbox, token } = watched);
	});
	afterAll(async () => await watched.stop());

	const actionCount = async (ticketId: number) => (await api(sandbox, token, 'GET', `/Actions?ticket_id=${ticketId}`)).json.record_count as number;

	it('adds no action and fires nothing for an end-user reply with an unknown status', async () => {
		const before = await actionCount(4);
		const ticket = (await api(sandbox, token, 'GET', '/Tickets/4')).json;
		const answer = await control(sandbox, 'POST', '/simulate/end-user-reply', { ticket_id: 4, note: 'Any news?', status_id: 777 });
		expect(answer.status).toBe(400);
		expect(answer.json.Message).toBe('Invalid status_id: 777 does not exist');
		expect(await actionCount(4)).toBe(before);
		expect((await api(sandbox, token, 'GET', '/Tickets/4')).json).toEqual(ticket);
		expect(await deliveredEvents()).toEqual([]);

		const fine = await control(sandbox, 'POST', '/simulate/end-user-reply', { ticket_id: 4, note: 'Any news?', status_id: 6 });
		expect(fine.status).toBe(200);
		expect(await deliveredEvents()).toEqual(['ticket updated by user', 'action added', 'ticket status changed']);
	});

	it('binds simulate bodies like API bodies: wrong types answer 400 naming the field', async () => {
		const summary = await control(sandbox, 'POST', '/simulate/ticket-logged', { summary: { text: 'x' }, client_id: 1 });
		expect(summary.status).toBe(400);
		expect(Object.keys(summary.json.errors)).toEqual(['$.summary']);
		const numeric = await control(sandbox, 'POST', '/simulate/ticket-logged', { summary: 5, client_id: 1 });
		expect(numeric.status).toBe(200);
		expect(numeric.json.summary).toBe('5');
		const note = await control(sandbox, 'POST', '/simulate/agent-note', { ticket_id: 'abc', note: 'x' });
		expect(note.status).toBe(400);
		expect(Object.keys(note.json.errors)).toEqual(['$.ticket_id']);
		const reassign = await control(sandbox, 'POST', '/simulate/reassign', { ticket_id: 1, agent_id: 99999 });
		expect(reassign.json.Message).toBe('Invalid agent_id: 99999 does not exist');
		expect((await control(sandbox, 'POST', '/simulate/nothing', {})).status).toBe(404);
		expect(await deliveredEvents()).toEqual(['new ticket logged']);
	});

	it('runs no step of a simulate batch when one step is bad, and names the step', async () => {
		const before = await actionCount(2);
		const answer = await control(sandbox, 'POST', '/simulate/batch', {
			events: [
				{ kind: 'agent-note', ticket_id: 2, note: 'first' },
				{ kind: 'status-change', ticket_id: 2, status_id: 777 },
			],
		});
		expect(answer.status).toBe(400);
		expect(answer.json.Message).toBe('events[1]: Invalid status_id: 777 does not exist');
		expect(await actionCount(2)).toBe(before);
		expect(await deliveredEvents()).toEqual([]);
	});

	it('validates generator options: non-negative integers within maxima, no unknown names', async () => {
		const bad: Array<[unknown, RegExp]> = [
			[{ clients: 'abc' }, /dataset.clients must be an integer from 0 to 50000; got "abc"/],
			[{ seed: 'x' }, /dataset.seed must be an integer/],
			[{ assets: 1e9 }, /dataset.assets must be an integer from 0 to 250000/],
			[{ tickets: -1 }, /dataset.tickets must be an integer/],
			[{ assets: 1.5 }, /dataset.assets must be an integer/],
			[{ clients: 50000, usersPerSite: 100 }, /too many users/],
			[{ asets: 10 }, /unknown field\(s\) asets/],
			[[1, 2], /dataset must be 'demo', 'empty', 'generated' or generator options; got \[1,2\]/],
			['huge', /dataset must be 'demo', 'empty', 'generated' or generator options/],
			[undefined, /dataset must be/],
		];
		for (const [dataset, message] of bad) {
			const answer = await control(sandbox, 'POST', '/dataset', { dataset });
			expect([dataset, answer.status]).toEqual([dataset, 400]);
			expect(answer.json.Message).toMatch(message);
		}
		expect((await control(sandbox, 'POST', '/dataset', { dataset: 'demo', extra: 1 })).status).toBe(400);
		// Nothing was replaced: the demo data and its webhook are still there.
		expect((await api(sandbox, token, 'GET', '/Webhook')).json).toHaveLength(1);
		await expect(startHaloSandbox({ dataset: { assets: -5 } })).rejects.toThrow('dataset.assets must be an integer from 0 to 250000; got -5');
	});

	it('validates fault rules: types, ranges and names', async () => {
		const bad: Array<[unknown, RegExp]> = [
			[[{ route: 'GET /api/status', kind: 'slow', delayMs: 'abc' }], /delayMs must be an integer from 0 to 600000/],
			[[{ route: 'GET /api/status', kind: 'slow', delayMs: 1e12 }], /delayMs must be an integer/],
			[[{ route: 'GET /api/status', kind: 'status', probability: '0.5' }], /probability must be a number from 0 to 1/],
			[[{ route: 'GET /api/status', kind: 'processed-then-fail', failWith: 'explode' }], /failWith must be "status", "drop" or "cut"/],
			[[{ route: 'GET /api/status', kind: 'status', status: '500' }], /status must be 500, 502, 503 or 504/],
			[[{ route: 'GET /api/status', kind: 'status', count: 0 }], /count must be an integer/],
			[[{ route: 'GET /api/status', kind: 'slow', delay: 10 }], /unknown field\(s\) delay/],
			[[{ route: '', kind: 'status' }], /needs a route/],
			[{ seed: 'x', faults: [] }, /seed must be an integer/],
		];
		for (const [faults, message] of bad) {
			const answer = await control(sandbox, 'POST', '/faults', faults);
			expect([faults, answer.status]).toEqual([faults, 400]);
			expect(answer.json.Message).toMatch(message);
		}
		expect((await control(sandbox, 'GET', '/faults')).json).toEqual([]);
		expect(() => sandbox.setFaults([{ route: 'GET /api/status', kind: 'slow', delayMs: -1 }])).toThrow(/delayMs/);
	});

	it('validates config and rate limits, applying nothing of a partly bad change', async () => {
		const before = (await control(sandbox, 'GET', '/config')).json;
		const bad: Array<[string, unknown, RegExp]> = [
			['/config', { tokenLifetimeSeconds: 60, webhooks: { retryDelaysMs: [1e12] } }, /retryDelaysMs\[0\] must be an integer from 0 to 600000/],
			['/config', { webhooks: { retryDelaysMs: ['10'] } }, /retryDelaysMs\[0\]/],
			['/config', { webhooks: { batch: 'yes' } }, /webhooks.batch must be true or false/],
			['/config', { webhooks: { batchWindowMs: 'abc' } }, /batchWindowMs must be an integer/],
			['/config', { webhooks: { timeoutMs: 0 } }, /timeoutMs must be an integer from 1/],
			['/config', { tokenLifetimeSeconds: 'abc' }, /tokenLifetimeSeconds must be an integer/],
			['/config', { requireTenant: 5 }, /requireTenant must be a tenant name/],
			['/config', { tokenLifetime: 5 }, /unknown field\(s\) tokenLifetime/],
			['/config', { tokenLifetimeSeconds: 60, latencyMs: -1 }, /latencyMs must be an integer from 0 to 60000/],
			['/config', { latencyMs: '80' }, /latencyMs must be an integer/],
			['/config', { tokenLatencyMs: 80.5 }, /tokenLatencyMs must be an integer/],
			['/rate-limit', { limit: true, windowMs: 1000 }, /limit must be an integer/],
			['/rate-limit', { limit: 3, windowMs: 'abc' }, /windowMs must be an integer/],
			['/rate-limit', { limit: 0, windowMs: 1000 }, /limit must be an integer from 1/],
			['/rate-limit', { enabled: 'no' }, /enabled must be true or false/],
		];
		for (const [path, body, message] of bad) {
			const answer = await control(sandbox, 'POST', path, body);
			expect([path, body, answer.status]).toEqual([path, body, 400]);
			expect(answer.json.Message).toMatch(message);
		}
		expect((await control(sandbox, 'GET', '/config')).json).toEqual(before);
		expect((await control(sandbox, 'POST', '/rate-limit', { enabled: false })).json.rateLimit).toBe(false);
		await expect(startHaloSandbox({ webhooks: { retryDelaysMs: [-1] } })).rejects.toThrow(/retryDelaysMs\[0\]/);
		await expect(startHaloSandbox({ rateLimit: { limit: Number.NaN, windowMs: 1000 } })).rejects.toThrow(/limit must be an integer/);
		await expect(startHaloSandbox({ latencyMs: 70_000 })).rejects.toThrow(/latencyMs must be an integer from 0 to 60000/);
		expect(() => sandbox.setLatency({ tokenLatencyMs: -5 })).toThrow(/tokenLatencyMs/);
	});
});
