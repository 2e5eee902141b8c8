import type { INodeParameters } from 'n8n-workflow';

import type { HaloSandbox } from '../../sandbox';
import { startHaloSandbox } from '../../sandbox';
import { findHaloEvent, haloEvents } from '../../sandbox/webhooks';
import { isDuplicateDelivery } from '../../nodes/HaloPsaTrigger/delivery/deduplication';
import type { WebhookAuthValues } from '../helpers/n8n-trigger-harness';
import { TriggerHarness } from '../helpers/n8n-trigger-harness';
import type { ApiClient } from './support';
import {
	basicAuthorization,
	decodeBasicAuthorization,
	flushDeliveries,
	haloApiClient,
	postToTrigger,
	sandboxControl,
} from './support';

const ticketing = {
	clientId: 'sandbox-ticketing-client',
	clientSecret: 'sandbox-ticketing-secret',
	scope: 'all:standard all:teams admin:webhooks',
};

/** Action Added has no number Halo documents: a Custom Event with the sandbox's number. */
const ACTION_ADDED = { name: 'Action Added', eventNumber: haloEvents.actionAdded.eventno };
const actionAdded = (events: string[] = []) => ({ events, customEvents: { event: [ACTION_ADDED] } });

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

	async function startTrigger(parameters: INodeParameters, webhookAuth?: WebhookAuthValues) {
		const harness = await TriggerHarness.start({
			credentials: { url: sandbox.baseUrl, ...ticketing },
			webhookAuth,
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

	/**
	 * A manually registered trigger with its Webhook Auth credential, plus the Halo webhook a user
	 * would create for it in Halo's screen with the same values.
	 */
	async function manualTrigger(
		parameters: INodeParameters,
		haloWebhook: { events: string[]; payloadType?: 'full' | 'eventInformation'; pathSecret?: string },
	) {
		const credentials = { basicUsername: 'halo-sender', basicPassword: 'correct horse battery staple 42' };
		const trigger = await startTrigger(
			{ registration: 'manual', ...(haloWebhook.pathSecret ? { usePathSecret: true } : {}), ...parameters },
			{ username: credentials.basicUsername, password: credentials.basicPassword, pathSecret: haloWebhook.pathSecret },
		);
		await trigger.publish();
		const url = haloWebhook.pathSecret
			? trigger.webhookUrl.replace(':secret', haloWebhook.pathSecret)
			: trigger.webhookUrl;
		const created = await api.request('POST', '/Webhook', [
			{
				name: 'Typed in by hand',
				url,
				type: 0,
				method: 0,
				active: true,
				authentication_type: 1,
				basic_username: credentials.basicUsername,
				basic_password: credentials.basicPassword,
				// 1 (custom JSON): the sandbox sends the event information alone.
				payload_type: haloWebhook.payloadType === 'eventInformation' ? 1 : 0,
				events: haloWebhook.events.map((name) => ({ eventno: findHaloEvent(name)!.eventno, name, conditions: [] })),
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

	/** Deletes every Halo webhook, so only the next test's trigger gets events (and hits the faults set for it). */
	async function removeHaloWebhooks() {
		for (const webhook of (await api.request<any[]>('GET', '/Webhook')).body) {
			await api.request('DELETE', `/Webhook/${webhook.id}`);
		}
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
			trigger = await publishedTrigger(actionAdded(['ticketStatusChanged', 'ticketUpdatedByUser']));
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
				eventKey: 'custom',
				// For action events Halo's object_id may be the ticket's id: the ids come from the objects.
				objectId: ticket.id,
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
			expect(item).toMatchObject({ eventKey: 'custom', customerVisible: false, author: { type: 'agent' } });
		});

		it('reports an end-user email as Ticket Updated by User, written by the end user', async () => {
			const before = trigger.items.length;

			const action = await simulate('end-user-reply', { ticket_id: tickets[1].id, note: 'Any news?' });

			const items = trigger.items.slice(before);
			expect(items.map((item) => [item.eventKey, item.event, item.actionId])).toEqual([
				['ticketUpdatedByUser', 'Ticket Updated by User', action.id],
				['custom', 'Action Added', action.id],
			]);
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

		/** The Authorization header Halo sent with its last delivery to this trigger. */
		const haloAuthorization = () => [...trigger.calls].reverse().find((call) => call.status === 200)?.authorization;

		it('answers forged calls with 401 and starts nothing', async () => {
			const started = trigger.executionsStarted;
			const forgedBody = { id: 'forged-1', event: 'action added', object_id: 1, webhook_id: 'x' };
			const { username, password } = decodeBasicAuthorization(haloAuthorization());

			const noAuth = await postToTrigger(trigger.webhookUrl, forgedBody);
			const wrongPassword = await postToTrigger(trigger.webhookUrl, forgedBody, basicAuthorization(username, `${password}x`));
			const wrongUser = await postToTrigger(trigger.webhookUrl, forgedBody, basicAuthorization('someone', password));
			const bearer = await postToTrigger(trigger.webhookUrl, forgedBody, `Bearer ${password}`);

			for (const answer of [noAuth, wrongPassword, wrongUser, bearer]) expect(answer.status).toBe(401);
			expect(trigger.executionsStarted).toBe(started);
		});

		it('answers 400 to an authenticated body that is not a Halo payload, and starts nothing', async () => {
			const started = trigger.executionsStarted;
			const authorization = haloAuthorization();
			expect(authorization).toBeDefined();

			const answers = await Promise.all(
				[{ hello: 'world' }, [], [{ id: 'a', event: 'action added' }, { nope: true }], 'not json'].map(
					async (body) => await postToTrigger(trigger.webhookUrl, body, authorization),
				),
			);

			expect(answers.map((answer) => answer.status)).toEqual([400, 400, 400, 400]);
			expect(trigger.executionsStarted).toBe(started);
		});
		it('emits a delivery of its own webhook whose event name it does not know, as Halo sent it', async () => {
			const body = { id: 'renamed-1', event: 'Ticket Reopened', object_id: tickets[0].id, webhook_id: trigger.nodeStaticData.webhookId };

			const answer = await postToTrigger(trigger.webhookUrl, body, haloAuthorization());

			expect([answer.status, answer.body]).toEqual([200, { received: 1, started: true }]);
			expect(trigger.items[trigger.items.length - 1]).toMatchObject({ deliveryId: 'renamed-1', event: 'Ticket Reopened', eventKey: 'unknown', ticketId: null });
		});

		it('answers 400 to events from another webhook, starts nothing and calls no Halo API', async () => {
			const started = trigger.executionsStarted;
			const requests = (await sandboxControl(sandbox, 'GET', '/stats')).requests;
			const own = trigger.nodeStaticData.webhookId as string;
			const event = (id: string, webhookId: unknown) => ({ id, event: 'ticket status changed', object_id: tickets[0].id, webhook_id: webhookId });

			const answers = [
				await postToTrigger(trigger.webhookUrl, event('other-1', 'another-webhook'), haloAuthorization()),
				await postToTrigger(trigger.webhookUrl, { id: 'other-2', event: 'ticket status changed', object_id: tickets[0].id }, haloAuthorization()),
				await postToTrigger(trigger.webhookUrl, [event('other-3', own), event('other-4', 'another-webhook')], haloAuthorization()),
			];

			expect(answers.map((answer) => [answer.status, answer.body.message])).toEqual(
				answers.map(() => [400, 'The body is not a HaloPSA webhook payload: an event does not come from the webhook this trigger registered']),
			);
			expect(trigger.executionsStarted).toBe(started);
			expect((await sandboxControl(sandbox, 'GET', '/stats')).requests).toBe(requests);
		});
	});

	describe('manual registration', () => {
		it('needs the path secret as well as the Basic credentials', async () => {
			const { trigger, url, basicUsername, basicPassword } = await manualTrigger(actionAdded(), {
				events: ['Action Added'],
				pathSecret: 's3cret-segment',
			});
			expect(trigger.webhookUrl).toMatch(/\/:secret$/);
			const body = { id: 'manual-1', event: 'action added', object_id: 1, webhook_id: 'w' };
			const authorization = basicAuthorization(basicUsername, basicPassword);

			const wrongSecret = await postToTrigger(trigger.webhookUrl.replace(':secret', 'guess'), body, authorization);
			expect(wrongSecret.status).toBe(401);
			expect(trigger.executionsStarted).toBe(0);

			await simulate('agent-note', { ticket_id: tickets[0].id, note: 'Via the manual webhook' });
			expect(trigger.executionsStarted).toBe(1);
			expect(trigger.items[0]).toMatchObject({ eventKey: 'custom', ticketId: tickets[0].id });
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
			const { trigger } = await manualTrigger(actionAdded(), { events: ['Action Added'], payloadType: 'eventInformation' });

			const action = await simulate('agent-note', { ticket_id: tickets[1].id, note: 'Fetch me', hiddenfromuser: true });

			expect(trigger.items).toHaveLength(1);
			expect(trigger.items[0]).toMatchObject({
				payloadType: 'eventOnly',
				completedFromApi: true,
				objectId: tickets[1].id,
				actionId: action.id,
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
				{ ...actionAdded(), options: { completeEventOnly: false } },
				{ events: ['Action Added'], payloadType: 'eventInformation' },
			);

			await simulate('agent-note', { ticket_id: tickets[1].id, note: 'Bare' });

			expect(trigger.items[0]).toMatchObject({ payloadType: 'eventOnly', completedFromApi: false, ticket: null, action: null });
		});
	});

	describe('event-only completion', () => {
		beforeAll(removeHaloWebhooks);

		it('fetches the ticket of a ticket event, and leaves an event that names only an object_id of unknown kind as it came', async () => {
			const clientUpdated = { name: 'Client Updated', eventNumber: haloEvents.clientUpdated.eventno };
			const { trigger } = await manualTrigger(
				{ events: ['ticketStatusChanged'], customEvents: { event: [clientUpdated] } },
				{ events: ['Ticket Status Changed', 'Client Updated'], payloadType: 'eventInformation' },
			);
			const client = (await api.request('GET', '/Client?count=1')).body.clients[0];
			const lookups = async () => (await sandboxControl(sandbox, 'GET', '/stats')).requests as number;

			await simulate('event', { event: 'Ticket Status Changed', object_id: tickets[2].id });
			const before = await lookups();
			await simulate('event', { event: 'Client Updated', object_id: client.id });

			expect(trigger.items.map((item) => [item.event, item.objectId, item.payloadType, item.completedFromApi])).toEqual([
				['Ticket Status Changed', tickets[2].id, 'eventOnly', true],
				['Client Updated', client.id, 'eventOnly', false],
			]);
			expect(trigger.items[0]).toMatchObject({ ticketId: tickets[2].id, clientId: tickets[2].client_id, completionError: null });
			expect((trigger.items[0].ticket as any).id).toBe(tickets[2].id);
			expect(trigger.items[1]).toMatchObject({ ticketId: null, record: null, completionError: expect.stringMatching(/names no ticket or action/) });
			expect(await lookups()).toBe(before);
		});

		it('takes the client, user, asset or contract a full payload embeds as the record', async () => {
			const names = ['Client Updated', 'User Updated', 'Asset Updated', 'Contract Updated'];
			const { trigger } = await manualTrigger(
				{ events: [], customEvents: { event: names.map((name) => ({ name, eventNumber: findHaloEvent(name)!.eventno })) } },
				{ events: names },
			);
			const client = (await api.request('GET', '/Client?count=1')).body.clients[0];
			const user = (await api.request('GET', '/Users?count=1')).body.users[0];
			const asset = (await api.request('GET', '/Asset?count=1')).body.assets[0];
			const contract = (await api.request('GET', '/ClientContract?count=1')).body.contracts[0];
			const events: Array<[string, number]> = [
				['Client Updated', client.id],
				['User Updated', user.id],
				['Asset Updated', asset.id],
				['Contract Updated', contract.id],
			];

			for (const [event, objectId] of events) await simulate('event', { event, object_id: objectId });

			expect(trigger.items.map((item) => [item.event, item.eventKey, item.objectId, item.payloadType])).toEqual(
				events.map(([event, objectId]) => [event, 'custom', objectId, 'full']),
			);
			const [clientItem, userItem, assetItem, contractItem] = trigger.items;
			expect(clientItem).toMatchObject({ clientId: client.id, record: { id: client.id, name: client.name }, ticket: null });
			expect(userItem).toMatchObject({ record: { id: user.id, name: user.name }, clientId: user.client_id });
			expect(assetItem).toMatchObject({ record: { id: asset.id, inventory_number: asset.inventory_number }, clientId: asset.client_id });
			expect(contractItem).toMatchObject({ record: { id: contract.id, ref: contract.ref }, clientId: contract.client_id });
		});

		it('fetches a ticket once for two event-only action events on it in one batched call', async () => {
			await removeHaloWebhooks();
			const { trigger, url } = await manualTrigger(actionAdded(), { events: ['Action Added'], payloadType: 'eventInformation' });
			const ticketLookups = async () => (await sandboxControl(sandbox, 'GET', '/stats')).requestsByRoute['GET /api/tickets/:id'] ?? 0;
			const actionLookups = async () => (await sandboxControl(sandbox, 'GET', '/stats')).requestsByRoute['GET /api/actions/:id'] ?? 0;
			const [ticketsBefore, actionsBefore] = [await ticketLookups(), await actionLookups()];

			await sandboxControl(sandbox, 'POST', '/simulate/batch', {
				events: [
					{ kind: 'agent-note', ticket_id: tickets[3].id, note: 'One of two' },
					{ kind: 'agent-note', ticket_id: tickets[3].id, note: 'Two of two' },
				],
			});
			await flushDeliveries(sandbox);

			const attempts = await deliveriesTo(url);
			expect(attempts).toHaveLength(2);
			expect(attempts[0].batch).not.toBeNull();
			expect(attempts[1].batch).toBe(attempts[0].batch);
			expect(trigger.executionsStarted).toBe(1);
			expect(trigger.items.map((item) => [(item.action as any).note, (item.ticket as any).id, item.completedFromApi])).toEqual([
				['One of two', tickets[3].id, true],
				['Two of two', tickets[3].id, true],
			]);
			expect((await actionLookups()) - actionsBefore).toBe(2);
			expect((await ticketLookups()) - ticketsBefore).toBe(1);
		});
	});

	describe('slow look-ups and Halo retries', () => {
		const defaultTimeoutMs = 5000;

		beforeEach(removeHaloWebhooks);

		afterEach(async () => {
			await sandboxControl(sandbox, 'DELETE', '/faults');
			await sandboxControl(sandbox, 'POST', '/config', { webhooks: { timeoutMs: defaultTimeoutMs } });
		});

		async function eventOnlyTrigger() {
			return await manualTrigger(actionAdded(), { events: ['Action Added'], payloadType: 'eventInformation' });
		}

		it("starts one execution when Halo retries a delivery it gave up waiting for while the look-up still ran", async () => {
			const { trigger, url } = await eventOnlyTrigger();
			// Halo waits 300 ms; the first look-up of the action takes 1 s, inside the trigger's budget.
			await sandboxControl(sandbox, 'POST', '/config', { webhooks: { timeoutMs: 300 } });
			await sandboxControl(sandbox, 'POST', '/faults', [{ route: 'GET /api/actions/:id', kind: 'slow', delayMs: 1000, count: 1 }]);

			const action = await simulate('agent-note', { ticket_id: tickets[0].id, note: 'Only once' });
			await trigger.settled();

			const attempts = await deliveriesTo(url);
			expect(attempts.map((attempt) => [attempt.attempt, attempt.status])).toEqual([
				[1, 0],
				[2, 200],
			]);
			expect(new Set(attempts.map((attempt) => attempt.id)).size).toBe(1);
			expect(trigger.calls).toHaveLength(2);
			expect(trigger.executionsStarted).toBe(1);
			expect(trigger.items).toHaveLength(1);
			expect(trigger.items[0]).toMatchObject({ deliveryId: attempts[0].id, actionId: action.id, completedFromApi: true });
		});

		it('starts one execution for two calls with the same delivery id that arrive together', async () => {
			const { trigger, url, basicUsername, basicPassword } = await eventOnlyTrigger();
			const action = (await api.request('GET', `/Actions?ticket_id=${tickets[1].id}&count=1`)).body.actions[0];
			await sandboxControl(sandbox, 'POST', '/faults', [{ route: 'GET /api/actions/:id', kind: 'slow', delayMs: 300, count: 1 }]);
			const delivery = { id: 'concurrent-1', event: 'action added', object_id: tickets[1].id, action_id: action.id, webhook_id: 'w' };
			const authorization = basicAuthorization(basicUsername, basicPassword);

			const answers = await Promise.all([
				postToTrigger(url, delivery, authorization),
				postToTrigger(url, delivery, authorization),
			]);

			expect(answers.map((answer) => answer.status)).toEqual([200, 200]);
			expect(trigger.executionsStarted).toBe(1);
			expect(trigger.items.map((item) => item.deliveryId)).toEqual(['concurrent-1']);
		});

		it('answers Halo within its budget with the bare item when a look-up is slower than the budget', async () => {
			const { trigger, url } = await eventOnlyTrigger();
			await sandboxControl(sandbox, 'POST', '/faults', [{ route: 'GET /api/actions/:id', kind: 'slow', delayMs: 5000, count: 1 }]);

			const action = await simulate('agent-note', { ticket_id: tickets[0].id, note: 'Slow Halo' });

			const attempts = await deliveriesTo(url);
			expect(attempts.map((attempt) => [attempt.attempt, attempt.status])).toEqual([[1, 200]]);
			expect(trigger.executionsStarted).toBe(1);
			expect(trigger.items[0]).toMatchObject({
				objectId: tickets[0].id,
				actionId: action.id,
				action: null,
				ticket: null,
				payloadType: 'eventOnly',
				completedFromApi: false,
			});
			expect(trigger.items[0].completionError).toMatch(/longer than the 3 s the trigger allows/);
		});

		it('starts the workflow with the bare item and the reason when Halo refuses a look-up', async () => {
			const { trigger, url } = await eventOnlyTrigger();
			await sandboxControl(sandbox, 'POST', '/faults', [{ route: 'GET /api/actions/:id', kind: 'status', status: 500, count: 1 }]);

			await simulate('agent-note', { ticket_id: tickets[0].id, note: 'Refused look-up' });

			expect((await deliveriesTo(url)).map((attempt) => attempt.status)).toEqual([200]);
			expect(trigger.items).toHaveLength(1);
			expect(trigger.items[0]).toMatchObject({ completedFromApi: false, action: null });
			// Halo's own message for the refused GET /Actions/{id}.
			expect(trigger.items[0].completionError).toBe('An unexpected error occurred (injected fault)');
		});

		it('fails a call whose filter became invalid, naming the value, and lets Halo redeliver it once fixed', async () => {
			const parameters = { ...actionAdded(), filters: { clientIds: `${tickets[0].client_id}` } };
			const { trigger, url } = await manualTrigger(parameters, { events: ['Action Added'] });
			const manual = { registration: 'manual' };
			trigger.setParameters({ ...manual, ...parameters, filters: { clientIds: '={{ "ACME" }}' } });

			await simulate('agent-note', { ticket_id: tickets[0].id, note: 'Filtered' });

			const failed = await deliveriesTo(url);
			expect(failed.every((attempt) => attempt.status === 500)).toBe(true);
			expect(trigger.calls[0].error).toBe('Filters > Client IDs: "ACME" is not a HaloPSA ID');
			trigger.setParameters({ ...manual, ...parameters });
			await sandboxControl(sandbox, 'POST', '/webhooks/redeliver', { delivery_id: failed[0].id });
			await flushDeliveries(sandbox);

			expect((await deliveriesTo(url)).slice(failed.length).map((attempt) => attempt.status)).toEqual([200]);
			expect(trigger.items.map((item) => item.deliveryId)).toEqual([failed[0].id]);
		});
	});

	describe('listening for a test event', () => {
		beforeEach(removeHaloWebhooks);

		it('registers under the test URL, starts one test execution from a real event, then deletes the test webhook', async () => {
			const trigger = await startTrigger(actionAdded());
			const testUrl = trigger.testWebhookUrl;
			expect(testUrl).toMatch(/\/webhook-test\/[\w-]+\/webhook$/);

			await trigger.listenForTestEvent();

			const registered = (await api.request<any[]>('GET', '/Webhook')).body.filter((webhook) => webhook.url === testUrl);
			expect(registered).toHaveLength(1);
			expect(trigger.savedStaticData).toEqual({});
			const forged = await postToTrigger(testUrl, { id: 'forged-test', event: 'action added', object_id: 1 }, basicAuthorization('x', 'y'));
			expect(forged.status).toBe(401);
			expect(trigger.listening).toBe(true);

			const action = await simulate('agent-note', { ticket_id: tickets[0].id, note: 'Test event' });

			const testCalls = trigger.calls.filter((call) => call.test && call.started);
			expect(testCalls).toHaveLength(1);
			expect(testCalls[0].items).toHaveLength(1);
			expect(testCalls[0].items[0]).toMatchObject({ eventKey: 'custom', actionId: action.id, ticketId: tickets[0].id });
			expect(trigger.listening).toBe(false);
			expect((await api.request<any[]>('GET', '/Webhook')).body.some((webhook) => webhook.url === testUrl)).toBe(false);
			expect((await deliveriesTo(testUrl)).map((attempt) => attempt.status)).toEqual([200]);
		});

		it('leaves the published webhook alone while listening for a test event', async () => {
			const trigger = await startTrigger(actionAdded());
			await trigger.publish();
			const production = trigger.nodeStaticData.webhookId;

			await trigger.listenForTestEvent();
			await simulate('agent-note', { ticket_id: tickets[0].id, note: 'Both hear it' });

			const webhooks = (await api.request<any[]>('GET', '/Webhook')).body;
			expect(webhooks.filter((webhook) => webhook.url === trigger.webhookUrl).map((webhook) => String(webhook.id))).toEqual([production]);
			expect(webhooks.some((webhook) => webhook.url === trigger.testWebhookUrl)).toBe(false);
			expect(trigger.calls.filter((call) => call.started).map((call) => call.test).sort()).toEqual([false, true]);
			expect(trigger.nodeStaticData.webhookId).toBe(production);
		});
	});

	describe('filters', () => {
		it('keeps only customer-visible notes written by an agent', async () => {
			const trigger = await publishedTrigger({
				...actionAdded(),
				filters: { visibility: 'customerVisible', writtenBy: 'agent' },
			});

			await simulate('agent-note', { ticket_id: tickets[0].id, note: 'visible', hiddenfromuser: false });
			await simulate('agent-note', { ticket_id: tickets[0].id, note: 'hidden', hiddenfromuser: true });
			await simulate('end-user-reply', { ticket_id: tickets[0].id, note: 'from the user' });

			expect(trigger.items.map((item) => (item.action as any).note)).toEqual(['visible']);
		});

		it('keeps only internal notes, or only end-user notes', async () => {
			const internal = await publishedTrigger({ ...actionAdded(), filters: { visibility: 'internal' } });
			const endUser = await publishedTrigger({ ...actionAdded(), filters: { writtenBy: 'endUser' } });

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
			const byClient = await publishedTrigger({ ...actionAdded(), filters: { clientIds: `${target.client_id}` } });
			const byType = await publishedTrigger({ ...actionAdded(), filters: { ticketTypeIds: [target.tickettype_id] } });

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
