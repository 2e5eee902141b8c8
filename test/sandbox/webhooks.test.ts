import { startHaloSandbox, type HaloSandbox } from '../../sandbox';
import { api, control, startReceiver, tokenFor } from './http';

describe('sandbox webhooks', () => {
	let sandbox: HaloSandbox;
	let token: string;
	const receivers: Array<{ close(): Promise<void> }> = [];

	beforeAll(async () => {
		sandbox = await startHaloSandbox({ webhooks: { retryDelaysMs: [50, 100] } });
		token = await tokenFor(sandbox);
	});
	afterEach(async () => {
		for (const webhook of (await api(sandbox, token, 'GET', '/Webhook')).json) {
			await api(sandbox, token, 'DELETE', `/Webhook/${webhook.id}`);
		}
		await Promise.all(receivers.splice(0).map((receiver) => receiver.close()));
		await control(sandbox, 'POST', '/config', { webhooks: { batch: false, duplicateEvery: 0 } });
	});
	afterAll(() => sandbox.stop());

	async function createWebhook(url: string, events: string[], fields: Record<string, unknown> = {}) {
		const answer = await api(sandbox, token, 'POST', '/Webhook', [
			{ name: 'n8n', url, events: events.map((name) => ({ name })), ...fields },
		]);
		expect(answer.status).toBe(201);
		return answer.json as { id: string };
	}

	it('stores webhooks (bare array, password never echoed) and refuses unknown events', async () => {
		const webhook = await createWebhook('http://127.0.0.1:9/x', ['Ticket Status Changed'], {
			authentication_type: 'Basic',
			basic_username: 'halo',
			basic_password: 's3cret',
		});
		const list = (await api(sandbox, token, 'GET', '/Webhook')).json;
		expect(list).toEqual([expect.objectContaining({ id: webhook.id, authentication_type: 'Basic', basic_username: 'halo' })]);
		expect(JSON.stringify(list)).not.toContain('s3cret');
		expect(list[0].events).toEqual([{ name: 'Ticket Status Changed', eventno: 3, conditions: [] }]);
		const bad = await api(sandbox, token, 'POST', '/Webhook', [{ url: 'http://127.0.0.1:9/x', events: [{ name: 'Nope' }] }]);
		expect(bad.status).toBe(400);
	});

	it('delivers the full payload with Basic credentials when an API write matches', async () => {
		const receiver = await startReceiver();
		receivers.push(receiver);
		const webhook = await createWebhook(receiver.url, ['New Ticket Logged', 'Action Added'], {
			authentication_type: 'Basic',
			basic_username: 'halo',
			basic_password: 's3cret',
		});
		const ticket = (await api(sandbox, token, 'POST', '/Tickets', [{ summary: 'Webhook test', client_id: 1 }])).json;
		const action = (await api(sandbox, token, 'POST', '/Actions', [{ ticket_id: ticket.id, outcome: 'Note', note: 'hello' }])).json;
		await control(sandbox, 'POST', '/webhooks/flush');
		expect(receiver.received).toHaveLength(2);
		const expectedAuth = `Basic ${Buffer.from('halo:s3cret').toString('base64')}`;
		expect(receiver.received.every((request) => request.headers.authorization === expectedAuth)).toBe(true);
		const [logged, added] = receiver.received.map((request) => request.body);
		expect(logged).toMatchObject({ webhook_id: webhook.id, event: 'new ticket logged', object_id: ticket.id, ticket: { id: ticket.id, summary: 'Webhook test' } });
		expect(typeof logged.id).toBe('string');
		expect(logged).toEqual(expect.objectContaining({ notification_id: expect.any(Number), escmsg_id: expect.any(Number), timestamp: expect.any(String) }));
		expect(added).toMatchObject({ event: 'action added', object_id: action.id, action: { id: action.id, ticket_id: ticket.id, who_type: 1 } });
		const log = (await api(sandbox, token, 'GET', `/WebhookEvent?webhook_id=${webhook.id}`)).json;
		expect(log).toHaveLength(2);
		expect(log.every((entry: { success: boolean; response_status: number }) => entry.success && entry.response_status === 200)).toBe(true);
	});

	it('with duplicateEvery N sends every Nth delivery twice at the same moment, same id and payload', async () => {
		const receiver = await startReceiver();
		receivers.push(receiver);
		await createWebhook(receiver.url, ['Ticket Status Changed']);
		await control(sandbox, 'POST', '/config', { webhooks: { duplicateEvery: 3 } });
		for (let event = 0; event < 6; event++) await control(sandbox, 'POST', '/simulate/event', { event: 'Ticket Status Changed', object_id: 5 });
		await control(sandbox, 'POST', '/webhooks/flush');
		const ids = receiver.received.map((request) => request.body.id as string);
		expect(ids).toHaveLength(8);
		expect(new Set(ids).size).toBe(6);
		const twice = [...new Set(ids)].filter((id) => ids.filter((other) => other === id).length === 2);
		expect(twice).toHaveLength(2);
		for (const id of twice) {
			const copies = receiver.received.filter((request) => request.body.id === id).map((request) => request.body);
			expect(copies[0]).toEqual(copies[1]);
		}
		const attempts = (await control(sandbox, 'GET', '/webhook-deliveries')).json as Array<{ id: string; redelivery: boolean }>;
		expect(attempts.filter((attempt) => twice.includes(attempt.id)).map((attempt) => attempt.redelivery).sort()).toEqual([false, false, true, true]);
		const refused = await control(sandbox, 'POST', '/config', { webhooks: { duplicateEvery: -1 } });
		expect(refused.status).toBe(400);
	});

	it('sends event-only payloads and fires from simulate calls', async () => {
		const receiver = await startReceiver();
		receivers.push(receiver);
		const webhook = await createWebhook(receiver.url, ['Email Received From End User', 'Ticket Status Changed', 'Ticket Closed'], {
			payload_type: 'EventOnly',
		});
		await control(sandbox, 'POST', '/simulate/end-user-reply', { ticket_id: 4, note: 'Still broken' });
		await control(sandbox, 'POST', '/simulate/status-change', { ticket_id: 4, status_id: 9 });
		await control(sandbox, 'POST', '/webhooks/flush');
		const bodies = receiver.received.map((request) => request.body);
		expect(bodies.map((body) => body.event)).toEqual(['email received from end user', 'ticket status changed', 'ticket closed']);
		for (const body of bodies) expect(Object.keys(body).sort()).toEqual(['event', 'id', 'object_id', 'webhook_id']);
		expect(bodies[1]).toMatchObject({ object_id: 4, webhook_id: webhook.id });
	});

	it('retries a failed delivery with the same id until the receiver accepts it', async () => {
		const receiver = await startReceiver((index) => (index < 2 ? 500 : 200));
		receivers.push(receiver);
		const webhook = await createWebhook(receiver.url, ['Ticket Updated']);
		await api(sandbox, token, 'POST', '/Tickets', [{ id: 1, summary: 'Reception PC cannot print (updated)' }]);
		await control(sandbox, 'POST', '/webhooks/flush');
		expect(receiver.received).toHaveLength(3);
		const ids = new Set(receiver.received.map((request) => request.body.id));
		expect(ids.size).toBe(1);
		const attempts = (await control(sandbox, 'GET', `/webhook-deliveries?webhook_id=${webhook.id}`)).json;
		expect(attempts.map((attempt: { attempt: number; status: number }) => [attempt.attempt, attempt.status])).toEqual([
			[1, 500],
			[2, 500],
			[3, 200],
		]);
	});

	it('retries after a connection error and gives up after the configured retries', async () => {
		const webhook = await createWebhook('http://127.0.0.1:9/unreachable', ['Client Updated']);
		await api(sandbox, token, 'POST', '/Client', [{ id: 2, website: 'harbor-legal.example' }]);
		await control(sandbox, 'POST', '/webhooks/flush');
		const attempts = (await control(sandbox, 'GET', `/webhook-deliveries?webhook_id=${webhook.id}`)).json;
		expect(attempts).toHaveLength(3);
		expect(attempts.every((attempt: { status: number; success: boolean }) => attempt.status === 0 && !attempt.success)).toBe(true);
		expect(new Set(attempts.map((attempt: { id: string }) => attempt.id)).size).toBe(1);
	});

	it('batches several events into one array POST', async () => {
		const receiver = await startReceiver();
		receivers.push(receiver);
		await createWebhook(receiver.url, ['Action Added', 'Ticket Status Changed']);
		const batch = await control(sandbox, 'POST', '/simulate/batch', {
			events: [
				{ kind: 'agent-note', ticket_id: 2, note: 'first' },
				{ kind: 'agent-note', ticket_id: 2, note: 'second', hiddenfromuser: true },
				{ kind: 'status-change', ticket_id: 2, status_id: 3 },
			],
		});
		expect(batch.status).toBe(200);
		await control(sandbox, 'POST', '/webhooks/flush');
		expect(receiver.received).toHaveLength(1);
		const payload = receiver.received[0].body;
		expect(Array.isArray(payload)).toBe(true);
		expect(payload.map((event: { event: string }) => event.event)).toEqual(['action added', 'action added', 'ticket status changed']);
		expect(new Set(payload.map((event: { id: string }) => event.id)).size).toBe(3);
	});

	it('batches API writes too when batch mode is configured', async () => {
		const receiver = await startReceiver();
		receivers.push(receiver);
		await control(sandbox, 'POST', '/config', { webhooks: { batch: true, batchWindowMs: 100 } });
		await createWebhook(receiver.url, ['User Created']);
		await api(sandbox, token, 'POST', '/Users', [
			{ name: 'Ava Lin', client_id: 2, emailaddress: 'ava.lin@harborlegal.example' },
			{ name: 'Ben Ode', client_id: 2, emailaddress: 'ben.ode@harborlegal.example' },
		]);
		await control(sandbox, 'POST', '/webhooks/flush');
		expect(receiver.received).toHaveLength(1);
		expect(receiver.received[0].body.map((event: { user: { name: string } }) => event.user.name)).toEqual(['Ava Lin', 'Ben Ode']);
	});

	it('sends a simulate batch in batch mode without anyone flushing', async () => {
		const receiver = await startReceiver();
		receivers.push(receiver);
		await control(sandbox, 'POST', '/config', { webhooks: { batch: true, batchWindowMs: 20 } });
		await createWebhook(receiver.url, ['Action Added']);
		await control(sandbox, 'POST', '/simulate/batch', {
			events: [
				{ kind: 'agent-note', ticket_id: 3, note: 'one' },
				{ kind: 'agent-note', ticket_id: 3, note: 'two' },
			],
		});
		// Wait for the delivery (no flush: a flush would close the batch itself and hide the bug).
		for (let waited = 0; receiver.received.length === 0 && waited < 5000; waited += 20) {
			await new Promise((resolve) => setTimeout(resolve, 20));
		}
		expect(receiver.received).toHaveLength(1);
		expect(receiver.received[0].body.map((event: { action: { note: string } }) => event.action.note)).toEqual(['one', 'two']);
	});

	it('redelivers an already delivered event with the same id on request', async () => {
		const receiver = await startReceiver();
		receivers.push(receiver);
		await createWebhook(receiver.url, ['Asset Updated']);
		await api(sandbox, token, 'POST', '/Asset', [{ id: 3, key_field: 'NWD-SURGERY-01A' }]);
		await control(sandbox, 'POST', '/webhooks/flush');
		const first = receiver.received[0].body;
		expect((await control(sandbox, 'POST', '/webhooks/redeliver', { delivery_id: first.id })).status).toBe(200);
		await control(sandbox, 'POST', '/webhooks/flush');
		expect(receiver.received).toHaveLength(2);
		expect(receiver.received[1].body).toEqual(first);
		expect((await control(sandbox, 'POST', '/webhooks/redeliver', { delivery_id: 'nope' })).status).toBe(404);
	});

	it('does not deliver to inactive webhooks or for events they did not subscribe to', async () => {
		const receiver = await startReceiver();
		receivers.push(receiver);
		await createWebhook(receiver.url, ['Contract Created'], { active: false });
		await createWebhook(receiver.url, ['Contract Updated']);
		await api(sandbox, token, 'POST', '/ClientContract', [{ client_id: 4, ref: 'BLB-MSEC', contracttype: 1 }]);
		await control(sandbox, 'POST', '/webhooks/flush');
		expect(receiver.received).toHaveLength(0);
	});
});
