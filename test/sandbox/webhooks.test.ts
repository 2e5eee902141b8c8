import { startHaloSandbox, type HaloSandbox } from '../../sandbox';
import { api, control, startReceiver, subscriptions, tokenFor } from './http';

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
			{ name: 'n8n', url, events: subscriptions(events), ...fields },
		]);
		expect(answer.status).toBe(201);
		return answer.json as { id: string };
	}

	it('stores webhooks with Halo\'s integer codes (bare array, password never echoed); events go by number', async () => {
		const webhook = await createWebhook('http://127.0.0.1:9/x', ['Ticket Status Changed'], {
			type: 0,
			method: 0,
			authentication_type: 1,
			basic_username: 'halo',
			basic_password: 's3cret',
			payload_type: 0,
			batch_method: 0,
		});
		const list = (await api(sandbox, token, 'GET', '/Webhook?type=0')).json;
		expect(list).toEqual([
			expect.objectContaining({ id: webhook.id, type: 0, method: 0, authentication_type: 1, payload_type: 0, batch_method: 0, basic_username: 'halo' }),
		]);
		expect(JSON.stringify(list)).not.toContain('s3cret');
		expect(list[0].events).toEqual([{ name: 'Ticket Status Changed', eventno: 76, conditions: [] }]);
		const refusals = await Promise.all(
			[
				{ url: 'http://127.0.0.1:9/x', events: [{ name: 'Ticket Status Changed' }] },
				{ url: 'http://127.0.0.1:9/x', events: [{ eventno: 12345 }] },
				{ url: 'http://127.0.0.1:9/x', authentication_type: 2 },
				{ url: 'http://127.0.0.1:9/x', method: 1 },
				{ url: 'http://127.0.0.1:9/x', type: 1 },
			].map(async (record) => (await api(sandbox, token, 'POST', '/Webhook', [record])).json.Message),
		);
		expect(refusals).toEqual([
			'events[0]: eventno is required (Halo ties events to a webhook by number)',
			'events[0]: there is no event number 12345',
			'Invalid authentication_type 2: the sandbox simulates 0 (none), 1 (Basic)',
			'Invalid method 1: the sandbox simulates 0 (POST), 2 (PUT), 4 (PATCH)',
			'Invalid type 1: the sandbox simulates 0 (outbound webhook)',
		]);
		expect((await api(sandbox, token, 'GET', '/Webhook')).json).toHaveLength(1);
	});

	it('delivers the full payload with Basic credentials when an API write matches', async () => {
		const receiver = await startReceiver();
		receivers.push(receiver);
		const webhook = await createWebhook(receiver.url, ['New Ticket Logged', 'Action Added'], {
			authentication_type: 1,
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
		// For action events object_id is the ticket's id; the action travels embedded.
		expect(added).toMatchObject({ event: 'action added', object_id: ticket.id, action: { id: action.id, ticket_id: ticket.id, who_type: 1 } });
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

	it('sends the event information alone for a custom JSON payload (payload_type 1), and fires from simulate calls', async () => {
		const receiver = await startReceiver();
		receivers.push(receiver);
		const webhook = await createWebhook(receiver.url, ['Ticket Updated by User', 'Ticket Status Changed', 'Ticket Closed'], {
			payload_type: 1,
		});
		const reply = (await control(sandbox, 'POST', '/simulate/end-user-reply', { ticket_id: 4, note: 'Still broken' })).json;
		await control(sandbox, 'POST', '/simulate/status-change', { ticket_id: 4, status_id: 9 });
		await control(sandbox, 'POST', '/webhooks/flush');
		const bodies = receiver.received.map((request) => request.body);
		expect(bodies).toEqual([
			{ id: expect.any(String), webhook_id: webhook.id, event: 'ticket updated by user', object_id: 4, ticket_id: 4, action_id: reply.id },
			{ id: expect.any(String), webhook_id: webhook.id, event: 'ticket status changed', object_id: 4, ticket_id: 4 },
			{ id: expect.any(String), webhook_id: webhook.id, event: 'ticket closed', object_id: 4, ticket_id: 4 },
		]);
	});

	it('ties events to a webhook through notifications (eventno as a string) and keeps them when the webhook goes', async () => {
		const receiver = await startReceiver();
		receivers.push(receiver);
		const webhook = await createWebhook(receiver.url, []);
		const notification = { webhook_id: webhook.id, delivery_method: 6, eventno: '76', type: -2, filter_type: 2, conditions: [] };
		const created = await api(sandbox, token, 'POST', '/Notification', [notification]);
		expect(created.status).toBe(201);
		expect(created.json).toEqual({ id: expect.any(Number), ...notification });
		await control(sandbox, 'POST', '/simulate/status-change', { ticket_id: 5, status_id: 3 });
		await control(sandbox, 'POST', '/webhooks/flush');
		expect(receiver.received.map((request) => request.body.event)).toEqual(['ticket status changed']);
		const refused = await Promise.all(
			[
				{ ...notification, webhook_id: 'no-such-webhook' },
				{ ...notification, delivery_method: 1 },
				{ ...notification, eventno: '12345' },
			].map(async (record) => (await api(sandbox, token, 'POST', '/Notification', [record])).json.Message),
		);
		expect(refused).toEqual([
			'Invalid webhook_id: no-such-webhook does not exist',
			'Invalid delivery_method 1: the sandbox simulates webhook deliveries (delivery_method 6)',
			"Invalid eventno '12345': there is no such event",
		]);
		await api(sandbox, token, 'DELETE', `/Webhook/${webhook.id}`);
		expect((await api(sandbox, token, 'GET', `/Notification?webhook_id=${webhook.id}`)).json).toEqual([created.json]);
		expect((await api(sandbox, token, 'DELETE', `/Notification/${created.json.id}`)).json).toEqual(created.json);
		expect((await api(sandbox, token, 'GET', `/Notification/${created.json.id}`)).status).toBe(404);
	});

	it('refuses or silently drops events[] on a webhook when switched to, as Halo versions that take only notifications', async () => {
		const record = { url: 'http://127.0.0.1:9/x', events: subscriptions(['Ticket Status Changed']) };
		try {
			await control(sandbox, 'POST', '/config', { webhooks: { eventsOnWebhook: 'refused' } });
			const refused = await api(sandbox, token, 'POST', '/Webhook', [record]);
			expect([refused.status, refused.json.Message]).toEqual([400, 'Events cannot be added to a webhook: add a Notification for each event instead']);
			expect((await api(sandbox, token, 'POST', '/Webhook', [{ ...record, events: [] }])).status).toBe(201);
			await control(sandbox, 'POST', '/config', { webhooks: { eventsOnWebhook: 'ignored' } });
			const ignored = await api(sandbox, token, 'POST', '/Webhook', [record]);
			expect([ignored.status, ignored.json.events]).toEqual([201, []]);
			expect((await control(sandbox, 'POST', '/config', { webhooks: { eventsOnWebhook: 'sometimes' } })).status).toBe(400);
		} finally {
			await control(sandbox, 'POST', '/config', { webhooks: { eventsOnWebhook: 'stored' } });
		}
	});

	it('fires Halo\'s documented ticket events: Ticket Deleted on a DELETE, SLA warnings and the deadline from simulate', async () => {
		const receiver = await startReceiver();
		receivers.push(receiver);
		await createWebhook(receiver.url, ['Ticket Deleted', '1st SLA Warning', '2nd SLA Warning', 'Ticket Deadline']);
		const ticket = (await api(sandbox, token, 'POST', '/Tickets', [{ summary: 'Short-lived', client_id: 1 }])).json;
		for (const event of [42, 46, 70]) await control(sandbox, 'POST', '/simulate/event', { event: String(event), object_id: ticket.id });
		await api(sandbox, token, 'DELETE', `/Tickets/${ticket.id}`);
		await control(sandbox, 'POST', '/webhooks/flush');
		expect(receiver.received.map((request) => [request.body.event, request.body.object_id, request.body.ticket.id])).toEqual([
			['1st sla warning', ticket.id, ticket.id],
			['2nd sla warning', ticket.id, ticket.id],
			['ticket deadline', ticket.id, ticket.id],
			['ticket deleted', ticket.id, ticket.id],
		]);
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
