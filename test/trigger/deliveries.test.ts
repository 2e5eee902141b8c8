import type { INodeParameters } from 'n8n-workflow';

import type { HaloSandbox } from '../../sandbox';
import { startHaloSandbox } from '../../sandbox';
import { isDuplicateDelivery } from '../../nodes/HaloPsaTrigger/delivery/deduplication';
import { TriggerHarness } from '../helpers/n8n-trigger-harness';
import type { ApiClient } from './support';
import { basicAuthorization, flushDeliveries, haloApiClient, postToTrigger, sandboxControl } from './support';

const ticketing = {
	clientId: 'sandbox-ticketing-client',
	clientSecret: 'sandbox-ticketing-secret',
	scope: 'all:standard all:teams admin:webhooks',
};

interface Ticket {
	id: number;
	client_id: number;
	tickettype_id: number;
	status_id: number;
}

describe('HaloPSA Trigger deliveries from the sandbox', () => {
	let sandbox: HaloSandbox;
	let api: ApiClient;
	let tickets: Ticket[];
	const harnesses: TriggerHarness[] = [];

	async function startTrigger(parameters: INodeParameters) {
		const harness = await TriggerHarness.start({
			credentials: { url: sandbox.baseUrl, ...ticketing },
			parameters,
			workflowName: 'Deliveries',
		});
		harnesses.push(harness);
		return harness;
	}

	/** An automatically registered trigger, published. */
	async function publishedTrigger(parameters: INodeParameters) {
		const trigger = await startTrigger(parameters);
		await trigger.publish();
		return trigger;
	}

	/** A manually registered trigger plus the Halo webhook a user would create for it in Halo's screen. */
	async function manualTrigger(
		parameters: INodeParameters,
		haloWebhook: { events: string[]; payloadType?: 'Full' | 'EventOnly'; pathSecret?: string },
	) {
		const credentials = { basicUsername: 'halo-sender', basicPassword: 'correct horse battery staple 42' };
		const trigger = await startTrigger({
			registration: 'manual',
			...credentials,
			...(haloWebhook.pathSecret ? { pathSecret: haloWebhook.pathSecret } : {}),
			...parameters,
		});
		await trigger.publish();
		const url = haloWebhook.pathSecret
			? trigger.webhookUrl.replace(':secret', haloWebhook.pathSecret)
			: trigger.webhookUrl;
		const created = await api.request('POST', '/Webhook', [
			{
				name: 'Typed in by hand',
				url,
				method: 'POST',
				active: true,
				authentication_type: 'Basic',
				basic_username: credentials.basicUsername,
				basic_password: credentials.basicPassword,
				payload_type: haloWebhook.payloadType ?? 'Full',
				events: haloWebhook.events.map((name) => ({ name, conditions: [] })),
			},
		]);
		expect(created.status).toBeLessThan(300);
		return { trigger, url, ...credentials, haloWebhookId: String(created.body.id) };
	}

	async function simulate(kind: string, body: Record<string, unknown>) {
		const result = await sandboxControl(sandbox, 'POST', `/simulate/${kind}`, body);
		await flushDeliveries(sandbox);
		return result;
	}

	async function deliveriesTo(url: string): Promise<Array<{ id: string; status: number; attempt: number; batch: string | null }>> {
		const all = await sandboxControl<any[]>(sandbox, 'GET', '/webhook-deliveries');
		return all.filter((attempt) => attempt.url === url);
	}

	beforeAll(async () => {
		sandbox = await startHaloSandbox();
		api = await haloApiClient(sandbox, ticketing);
		tickets = (await api.request('GET', '/Tickets?open_only=true&count=20')).body.tickets;
		// Retries come fast so a refused delivery does not keep a test waiting.
		await sandboxControl(sandbox, 'POST', '/config', { webhooks: { retryDelaysMs: [20, 20] } });
	});

	afterAll(async () => {
		await Promise.all(harnesses.map(async (harness) => await harness.stop()));
		await sandbox.stop();
	});

	describe('a published trigger', () => {
		let trigger: TriggerHarness;

		beforeAll(async () => {
			trigger = await publishedTrigger({ events: ['actionAdded', 'ticketStatusChanged', 'emailReceived'] });
		});

		it('turns a customer-visible agent note into one item, delivered with Basic auth', async () => {
			const before = trigger.executionsStarted;
			const ticket = tickets[0];

			const action = await simulate('agent-note', { ticket_id: ticket.id, note: 'We are on it', hiddenfromuser: false });

			expect(trigger.executionsStarted).toBe(before + 1);
			const call = trigger.calls[trigger.calls.length - 1];
			expect(call.status).toBe(200);
			expect(call.items).toHaveLength(1);
			const [item] = call.items;
			expect(item).toMatchObject({
				event: 'Action Added',
				eventKey: 'actionAdded',
				objectId: action.id,
				ticketId: ticket.id,
				actionId: action.id,
				clientId: ticket.client_id,
				customerVisible: true,
				author: { type: 'agent' },
				payloadType: 'full',
				completedFromApi: false,
				webhookId: trigger.nodeStaticData.webhookId,
			});
			expect((item.action as any).note).toBe('We are on it');
			expect((item.ticket as any).id).toBe(ticket.id);
			expect(typeof item.timestamp).toBe('string');
			const [delivery] = (await deliveriesTo(trigger.webhookUrl)).slice(-1);
			expect(item.deliveryId).toBe(delivery.id);
			expect(delivery.status).toBe(200);
		});

		it('marks an internal note as not customer-visible', async () => {
			await simulate('agent-note', { ticket_id: tickets[0].id, note: 'Internal only', hiddenfromuser: true });

			const item = trigger.items[trigger.items.length - 1];
			expect(item).toMatchObject({ eventKey: 'actionAdded', customerVisible: false, author: { type: 'agent' } });
		});

		it('reports an end-user email as written by the end user', async () => {
			const before = trigger.items.length;

			await simulate('end-user-reply', { ticket_id: tickets[1].id, note: 'Any news?' });

			const items = trigger.items.slice(before);
			expect(items.map((item) => item.eventKey).sort()).toEqual(['actionAdded', 'emailReceived']);
			for (const item of items) {
				expect(item).toMatchObject({ ticketId: tickets[1].id, author: { type: 'endUser' }, customerVisible: true });
			}
		});

		it('turns a status change into an item carrying the ticket in its new status', async () => {
			const ticket = tickets[2];
			const statuses = (await api.request<any[]>('GET', '/Status')).body;
			const newStatus = statuses.find((status) => status.id !== ticket.status_id && status.id !== 9);
			const before = trigger.items.length;

			await simulate('status-change', { ticket_id: ticket.id, status_id: newStatus.id });

			const statusItems = trigger.items.slice(before).filter((item) => item.eventKey === 'ticketStatusChanged');
			expect(statusItems).toHaveLength(1);
			expect(statusItems[0]).toMatchObject({ event: 'Ticket Status Changed', objectId: ticket.id, ticketId: ticket.id });
			expect((statusItems[0].ticket as any).status_id).toBe(newStatus.id);
		});

		it('starts nothing for a redelivered id', async () => {
			await simulate('agent-note', { ticket_id: tickets[0].id, note: 'Once only' });
			const [first] = (await deliveriesTo(trigger.webhookUrl)).slice(-1);
			const started = trigger.executionsStarted;

			await sandboxControl(sandbox, 'POST', '/webhooks/redeliver', { delivery_id: first.id });
			await flushDeliveries(sandbox);

			const attempts = (await deliveriesTo(trigger.webhookUrl)).filter((attempt) => attempt.id === first.id);
			expect(attempts).toHaveLength(2);
			expect(attempts[1].status).toBe(200);
			expect(trigger.executionsStarted).toBe(started);
			// The id is in the saved static data too, where another process or a restart would find it.
			expect(isDuplicateDelivery(trigger.nodeStaticData, 'another-process', first.id)).toBe(true);
		});

		it('gives one item per event for a batch of 3, in one execution', async () => {
			const started = trigger.executionsStarted;

			await sandboxControl(sandbox, 'POST', '/simulate/batch', {
				events: [
					{ kind: 'agent-note', ticket_id: tickets[0].id, note: 'First' },
					{ kind: 'agent-note', ticket_id: tickets[1].id, note: 'Second' },
					{ kind: 'agent-note', ticket_id: tickets[3].id, note: 'Third' },
				],
			});
			await flushDeliveries(sandbox);

			expect(trigger.executionsStarted).toBe(started + 1);
			const call = trigger.calls[trigger.calls.length - 1];
			expect(call.items.map((item) => (item.action as any).note)).toEqual(['First', 'Second', 'Third']);
			const batchAttempts = (await deliveriesTo(trigger.webhookUrl)).slice(-3);
			expect(new Set(batchAttempts.map((attempt) => attempt.batch)).size).toBe(1);
			expect(batchAttempts[0].batch).not.toBeNull();
		});

		it('answers forged calls with 401 and starts nothing', async () => {
			const started = trigger.executionsStarted;
			const forgedBody = { id: 'forged-1', event: 'action added', object_id: 1, webhook_id: 'x' };
			const password = String(trigger.nodeStaticData.basicPassword);
			const username = String(trigger.nodeStaticData.basicUsername);

			const noAuth = await postToTrigger(trigger.webhookUrl, forgedBody);
			const wrongPassword = await postToTrigger(trigger.webhookUrl, forgedBody, basicAuthorization(username, `${password}x`));
			const wrongUser = await postToTrigger(trigger.webhookUrl, forgedBody, basicAuthorization('someone', password));
			const bearer = await postToTrigger(trigger.webhookUrl, forgedBody, `Bearer ${password}`);

			for (const answer of [noAuth, wrongPassword, wrongUser, bearer]) expect(answer.status).toBe(401);
			expect(trigger.executionsStarted).toBe(started);
		});

		it('answers 400 to an authenticated body that is not a Halo payload, and starts nothing', async () => {
			const started = trigger.executionsStarted;
			const authorization = basicAuthorization(
				String(trigger.nodeStaticData.basicUsername),
				String(trigger.nodeStaticData.basicPassword),
			);

			const answers = await Promise.all(
				[{ hello: 'world' }, [], [{ id: 'a', event: 'action added' }, { nope: true }], 'not json'].map(
					async (body) => await postToTrigger(trigger.webhookUrl, body, authorization),
				),
			);

			expect(answers.map((answer) => answer.status)).toEqual([400, 400, 400, 400]);
			expect(trigger.executionsStarted).toBe(started);
		});
	});

	describe('manual registration', () => {
		it('needs the path secret as well as the Basic credentials', async () => {
			const { trigger, url, basicUsername, basicPassword } = await manualTrigger(
				{ events: ['actionAdded'] },
				{ events: ['Action Added'], pathSecret: 's3cret-segment' },
			);
			expect(trigger.webhookUrl).toMatch(/\/:secret$/);
			const body = { id: 'manual-1', event: 'action added', object_id: 1, webhook_id: 'w' };
			const authorization = basicAuthorization(basicUsername, basicPassword);

			const wrongSecret = await postToTrigger(trigger.webhookUrl.replace(':secret', 'guess'), body, authorization);
			expect(wrongSecret.status).toBe(401);
			expect(trigger.executionsStarted).toBe(0);

			await simulate('agent-note', { ticket_id: tickets[0].id, note: 'Via the manual webhook' });
			expect(trigger.executionsStarted).toBe(1);
			expect(trigger.items[0]).toMatchObject({ eventKey: 'actionAdded', ticketId: tickets[0].id });
			expect((await deliveriesTo(url)).every((attempt) => attempt.status === 200)).toBe(true);
		});

		it('drops events that were not chosen in the node', async () => {
			const { trigger } = await manualTrigger(
				{ events: ['ticketStatusChanged'] },
				{ events: ['Action Added', 'Ticket Status Changed'] },
			);

			await simulate('agent-note', { ticket_id: tickets[0].id, note: 'Not wanted here' });
			expect(trigger.executionsStarted).toBe(0);
			expect(trigger.calls.length).toBeGreaterThan(0);
			expect(trigger.calls.every((call) => call.status === 200)).toBe(true);

			await simulate('status-change', { ticket_id: tickets[4].id, status_id: 2 });
			expect(trigger.items.map((item) => item.eventKey)).toEqual(['ticketStatusChanged']);
		});

		it('completes an event-only payload through the API', async () => {
			const { trigger } = await manualTrigger(
				{ events: ['actionAdded'] },
				{ events: ['Action Added'], payloadType: 'EventOnly' },
			);

			const action = await simulate('agent-note', { ticket_id: tickets[1].id, note: 'Fetch me', hiddenfromuser: true });

			expect(trigger.items).toHaveLength(1);
			expect(trigger.items[0]).toMatchObject({
				payloadType: 'eventOnly',
				completedFromApi: true,
				objectId: action.id,
				ticketId: tickets[1].id,
				customerVisible: false,
				author: { type: 'agent' },
				message: null,
			});
			expect((trigger.items[0].action as any).note).toBe('Fetch me');
			expect((trigger.items[0].ticket as any).id).toBe(tickets[1].id);
		});

		it('leaves an event-only payload as it came when completion is off', async () => {
			const { trigger } = await manualTrigger(
				{ events: ['actionAdded'], options: { completeEventOnly: false } },
				{ events: ['Action Added'], payloadType: 'EventOnly' },
			);

			await simulate('agent-note', { ticket_id: tickets[1].id, note: 'Bare' });

			expect(trigger.items[0]).toMatchObject({ payloadType: 'eventOnly', completedFromApi: false, ticket: null, action: null });
		});
	});

	describe('filters', () => {
		it('keeps only customer-visible notes written by an agent', async () => {
			const trigger = await publishedTrigger({
				events: ['actionAdded'],
				filters: { visibility: 'customerVisible', writtenBy: 'agent' },
			});

			await simulate('agent-note', { ticket_id: tickets[0].id, note: 'visible', hiddenfromuser: false });
			await simulate('agent-note', { ticket_id: tickets[0].id, note: 'hidden', hiddenfromuser: true });
			await simulate('end-user-reply', { ticket_id: tickets[0].id, note: 'from the user' });

			expect(trigger.items.map((item) => (item.action as any).note)).toEqual(['visible']);
		});

		it('keeps only internal notes, or only end-user notes', async () => {
			const internal = await publishedTrigger({ events: ['actionAdded'], filters: { visibility: 'internal' } });
			const endUser = await publishedTrigger({ events: ['actionAdded'], filters: { writtenBy: 'endUser' } });

			await simulate('agent-note', { ticket_id: tickets[0].id, note: 'visible', hiddenfromuser: false });
			await simulate('agent-note', { ticket_id: tickets[0].id, note: 'hidden', hiddenfromuser: true });
			await simulate('end-user-reply', { ticket_id: tickets[0].id, note: 'from the user' });

			expect(internal.items.map((item) => (item.action as any).note)).toEqual(['hidden']);
			expect(endUser.items.map((item) => (item.action as any).note)).toEqual(['from the user']);
		});

		it('keeps only events on tickets of the chosen clients and ticket types', async () => {
			const target = tickets[0];
			const otherClient = tickets.find((ticket) => ticket.client_id !== target.client_id)!;
			const otherType = tickets.find((ticket) => ticket.tickettype_id !== target.tickettype_id)!;
			const byClient = await publishedTrigger({ events: ['actionAdded'], filters: { clientIds: `${target.client_id}` } });
			const byType = await publishedTrigger({ events: ['actionAdded'], filters: { ticketTypeIds: [target.tickettype_id] } });

			for (const ticket of [target, otherClient, otherType]) {
				await simulate('agent-note', { ticket_id: ticket.id, note: `on ${ticket.id}` });
			}

			expect(byClient.items.every((item) => item.clientId === target.client_id)).toBe(true);
			expect(byClient.items.map((item) => item.ticketId)).toContain(target.id);
			expect(byClient.items.map((item) => item.ticketId)).not.toContain(otherClient.id);
			expect(byType.items.every((item) => (item.ticket as any).tickettype_id === target.tickettype_id)).toBe(true);
			expect(byType.items.map((item) => item.ticketId)).toContain(target.id);
			expect(byType.items.map((item) => item.ticketId)).not.toContain(otherType.id);
		});
	});
});
