/**
 * The HaloPSA Trigger inside the suite's real n8n 2.41.1, with the shared Halo sandbox delivering
 * real events: registration and its errors, batches, status changes, forged calls, re-publishing,
 * a Halo retry while a look-up is slow, and listening for a test event. Workflows are created
 * here (not the samples), so other files' workflows and data are left as they expect them.
 */
import * as fs from 'node:fs';
import http from 'node:http';

import { HaloApi, registerHaloWebhook } from '../../bench/real-n8n';
import { DEFAULT_CREDENTIAL_NAME } from '../../scripts/n8n-env';
import { FuzzPayloads } from '../trigger/fuzz';
import { basicAuthorization } from '../trigger/support';
import { N8nApi, queryN8nDatabase, removeWorkflows, SandboxControl, until } from './helpers/n8n';
import {
	createTriggerWorkflow,
	nextExecution,
	nodeOutput,
	postTo,
	settledExecutions,
	settledPublication,
	TRIGGER_NAME,
	type TriggerWorkflow,
	WEBHOOK_AUTH_TYPE,
} from './helpers/trigger';

const api = new N8nApi();
const sandbox = new SandboxControl();
const { state } = api;
const access = { baseUrl: state.sandboxUrl, clientId: state.sandboxClientId, clientSecret: state.sandboxClientSecret };
const halo = new HaloApi(access);
const suiteCredential = { id: state.credentialId, name: DEFAULT_CREDENTIAL_NAME };
const RUN = `trigger-e2e-${Date.now().toString(36)}`;
type Row = Record<string, any>;

/** Action Added has no number Halo documents: a Custom Event with the sandbox's number. */
const ACTION_ADDED_NUMBER = 900003;
const withActionAdded = (events: string[] = []) => ({ events, customEvents: { event: [{ name: 'Action Added', eventNumber: ACTION_ADDED_NUMBER }] } });

const createdWorkflows: string[] = [];
const createdCredentials: string[] = [];
const handMadeHaloWebhooks: string[] = [];
let ticketId: number;
let sandboxConfig: Row;

async function triggerWorkflow(
	name: string,
	parameters: Row,
	credential = suiteCredential,
	webhookAuth?: { id: string; name: string },
): Promise<TriggerWorkflow> {
	const workflow = await createTriggerWorkflow(api, `${RUN} ${name}`, credential, parameters, webhookAuth);
	createdWorkflows.push(workflow.id);
	return workflow;
}

/** A HaloPSA Automation Webhook Auth API credential, created through n8n's REST API as the editor's credential dialog does. */
async function webhookAuthCredential(name: string, data: { username: string; password: string; pathSecret?: string }) {
	const credential = await api.request<{ id: string; name: string }>('POST', '/credentials', {
		name: `${RUN} ${name}`,
		type: WEBHOOK_AUTH_TYPE,
		data: { pathSecret: '', ...data },
	});
	createdCredentials.push(credential.id);
	return { id: credential.id, name: credential.name };
}

async function publishAndSettle(workflow: TriggerWorkflow) {
	await api.publish(workflow.id);
	return await settledPublication(api, workflow.id);
}

const executionCount = async (workflowId: string) => (await api.executions(workflowId)).length;

/** Why publishing failed: n8n may refuse the publish call itself or report the failure in the publication status. */
async function publishFailureReason(workflow: TriggerWorkflow): Promise<string> {
	const refusal = await api.publish(workflow.id).then(
		() => undefined,
		(error: Error) => error.message,
	);
	return refusal ?? (await settledPublication(api, workflow.id)).triggers.map((trigger) => trigger.errorMessage).join('; ');
}

/** The items the trigger produced in the newest execution after `before` executions. */
async function nextTriggerItems(workflowId: string, before: number): Promise<Row[]> {
	return nodeOutput(await nextExecution(api, workflowId, before), TRIGGER_NAME);
}

async function simulate(kind: string, body: Row): Promise<Row> {
	const result = await sandbox.call<Row>('POST', `/simulate/${kind}`, body);
	await sandbox.call('POST', '/webhooks/flush');
	return result;
}

/** The Halo webhook a user would type into Halo's webhook screen for a manually registered trigger. */
async function haloWebhookByHand(url: string, basic: { username: string; password: string }, payloadType: 'full' | 'eventInformation') {
	const created = await registerHaloWebhook(access, {
		name: `${RUN} typed in by hand`,
		url,
		username: basic.username,
		password: basic.password,
		payloadType,
		events: [{ eventno: ACTION_ADDED_NUMBER, name: 'Action Added', conditions: [] }],
	});
	handMadeHaloWebhooks.push(String(created.id));
	return created;
}

async function deliveriesTo(url: string): Promise<Row[]> {
	return (await sandbox.call<Row[]>('GET', '/webhook-deliveries')).filter((attempt) => attempt.url === url);
}

beforeAll(async () => {
	await api.login();
	const ticket = await sandbox.call<{ id: number }>('POST', '/simulate/ticket-logged', { summary: `${RUN} ticket`, client_id: 1 });
	ticketId = ticket.id;
	sandboxConfig = await sandbox.call<Row>('GET', '/config');
});

afterAll(async () => {
	await sandbox.call('DELETE', '/faults').catch(() => undefined);
	await sandbox.call('POST', '/config', { webhooks: sandboxConfig.webhooks }).catch(() => undefined);
	await sandbox.call('POST', '/webhooks/flush');
	await removeWorkflows(api, createdWorkflows);
	for (const id of createdCredentials) await api.request('DELETE', `/credentials/${id}`).catch(() => undefined);
	for (const id of handMadeHaloWebhooks) await halo.request('DELETE', `/Webhook/${id}`).catch(() => undefined);
});

describe('automatic registration', () => {
	let workflow: TriggerWorkflow;

	beforeAll(async () => {
		workflow = await triggerWorkflow('automatic', { registration: 'automatic', ...withActionAdded(['ticketStatusChanged']) });
		expect((await publishAndSettle(workflow)).status).toBe('published');
		await until('the Halo webhook', async () => (await halo.webhooksFor(workflow.webhookId)).length > 0);
	});

	it("publishing creates exactly one Halo webhook in Halo's integer codes (Basic auth, the full payload, events by number); n8n keeps only a digest of its password", async () => {
		const webhooks = await halo.webhooksFor(workflow.webhookId);
		expect(webhooks).toHaveLength(1);
		expect(webhooks[0]).toMatchObject({
			url: expect.stringContaining(`/webhook/${workflow.webhookId}/webhook`),
			type: 0,
			method: 0,
			authentication_type: 1,
			payload_type: 0,
			batch_method: 0,
			active: true,
			has_basic_password: true,
		});
		expect(webhooks[0].events.map((event: Row) => event.eventno).sort()).toEqual([76, ACTION_ADDED_NUMBER]);
		const saved = await api.request<Row>('GET', `/workflows/${workflow.id}`);
		const nodeData = saved.staticData?.[`node:${TRIGGER_NAME}`] as Row;
		expect(nodeData).toMatchObject({ webhookId: String(webhooks[0].id), basicUsername: webhooks[0].basic_username, subscription: 'webhookEvents' });
		expect(fs.readFileSync(state.logFile, 'utf8')).toContain('HaloPSA Trigger: HaloPSA took the events on the webhook (events[])');
		expect(nodeData.basicPasswordSha256).toMatch(/^[0-9a-f]{64}$/);
		expect(nodeData).not.toHaveProperty('basicPassword');
	});

	it('turns a batch of 3 events into one execution with 3 items', async () => {
		const before = await executionCount(workflow.id);
		const notes = ['first', 'second', 'third'].map((word) => `${RUN} batch ${word}`);

		await sandbox.call('POST', '/simulate/batch', { events: notes.map((note) => ({ kind: 'agent-note', ticket_id: ticketId, note })) });
		await sandbox.call('POST', '/webhooks/flush');

		const items = await nextTriggerItems(workflow.id, before);
		expect(items.map((item) => [item.eventKey, item.action?.note, item.ticketId])).toEqual(notes.map((note) => ['custom', note, ticketId]));
		expect(new Set(items.map((item) => item.deliveryId)).size).toBe(3);
		expect(await settledExecutions(api, workflow.id)).toHaveLength(before + 1);
	});

	it('turns a status change into an item carrying the ticket in its new status', async () => {
		const ticket = await halo.request<Row>('GET', `/Tickets/${ticketId}`);
		const statuses = await halo.request<Row[]>('GET', '/Status');
		const newStatus = statuses.find((status) => status.id !== ticket.status_id && status.id !== 9)!;
		const before = await executionCount(workflow.id);

		await simulate('status-change', { ticket_id: ticketId, status_id: newStatus.id });

		const items = await nextTriggerItems(workflow.id, before);
		expect(items).toHaveLength(1);
		expect(items[0]).toMatchObject({ event: 'Ticket Status Changed', eventKey: 'ticketStatusChanged', objectId: ticketId, ticketId });
		expect(items[0].ticket.status_id).toBe(newStatus.id);
	});

	it('answers forged calls (no auth, wrong password, another username) with 401 and starts nothing', async () => {
		const before = await executionCount(workflow.id);
		const [webhook] = await halo.webhooksFor(workflow.webhookId);
		const forged = { id: `${RUN}-forged`, event: 'action added', object_id: 1, action: { id: 1, ticket_id: ticketId, note: 'forged' } };

		const statuses = [
			await postTo(workflow.productionUrl, forged),
			await postTo(workflow.productionUrl, forged, basicAuthorization(webhook.basic_username, 'guessed')),
			await postTo(workflow.productionUrl, forged, basicAuthorization('someone', 'guessed')),
		];
		// Executions start in the order calls arrive: had a forged call started one, this is not the next.
		const note = `${RUN} after the forged calls`;
		await simulate('agent-note', { ticket_id: ticketId, note });

		expect(statuses).toEqual([401, 401, 401]);
		const items = await nextTriggerItems(workflow.id, before);
		expect(items.map((item) => item.action?.note)).toEqual([note]);
		expect(await settledExecutions(api, workflow.id)).toHaveLength(before + 1);
	});

	it('publishing again creates no second Halo webhook; after the trigger changed, its one webhook is replaced', async () => {
		const [original] = await halo.webhooksFor(workflow.webhookId);

		await publishAndSettle(workflow);
		expect((await halo.webhooksFor(workflow.webhookId)).map((webhook) => webhook.id)).toEqual([original.id]);

		const saved = await api.getWorkflow(workflow.id);
		const nodes = saved.nodes.map((node: Row) =>
			node.name === TRIGGER_NAME ? { ...node, parameters: { ...node.parameters, events: ['ticketStatusChanged', 'ticketClosed'] } } : node,
		);
		await api.request('PATCH', `/workflows/${workflow.id}`, { nodes, connections: {} });
		await publishAndSettle(workflow);

		const replaced = await until('the Halo webhook with the new events', async () => {
			const webhooks = await halo.webhooksFor(workflow.webhookId);
			return webhooks.length === 1 && webhooks[0].events.some((event: Row) => event.eventno === 39) && webhooks;
		});
		expect(replaced).toHaveLength(1);
		const before = await executionCount(workflow.id);
		const note = `${RUN} after re-publishing`;
		await simulate('agent-note', { ticket_id: ticketId, note });
		expect((await nextTriggerItems(workflow.id, before)).map((item) => item.action?.note)).toEqual([note]);
		expect(await halo.webhooksFor(workflow.webhookId)).toHaveLength(1);
	});
});

describe('missing admin:webhooks scope', () => {
	it('fails the publish with a message naming the scope and creates no Halo webhook', async () => {
		const credential = await api.request<{ id: string; name: string }>('POST', '/credentials', {
			name: `${RUN} no webhooks scope`,
			type: 'haloPsaAutomationApi',
			data: {
				url: access.baseUrl,
				tenant: '',
				authUrl: '',
				clientId: 'sandbox-nowebhooks-client',
				clientSecret: 'sandbox-nowebhooks-secret',
				scope: 'all:standard all:teams',
			},
		});
		createdCredentials.push(credential.id);
		const workflow = await triggerWorkflow('no scope', { registration: 'automatic', ...withActionAdded() }, credential);

		const reason = await publishFailureReason(workflow);

		expect(reason).toMatch(/HaloPSA refused to manage webhooks \(HTTP 403\): the API application is missing the admin:webhooks scope/);
		expect(await halo.webhooksFor(workflow.webhookId)).toEqual([]);
	});
});

describe('manual registration with a path secret', () => {
	const basic = { username: 'halo-e2e', password: 'e2e long password 42' };
	const pathSecret = 'e2e-path-secret';
	let webhookAuth: { id: string; name: string };
	let workflow: TriggerWorkflow;
	let url: string;

	beforeAll(async () => {
		webhookAuth = await webhookAuthCredential('webhook auth', { ...basic, pathSecret });
		workflow = await triggerWorkflow(
			'manual',
			{ registration: 'manual', usePathSecret: true, ...withActionAdded() },
			suiteCredential,
			webhookAuth,
		);
		expect((await publishAndSettle(workflow)).status).toBe('published');
		url = `${state.n8nUrl}/webhook/${workflow.webhookId}/${pathSecret}`;
		await haloWebhookByHand(url, basic, 'full');
		await until('n8n to route the trigger', async () => (await postTo(url, {})) !== 404);
	});

	it('starts nothing for no auth, a wrong password, a wrong path secret or a body that is not a Halo payload; Halo itself gets through', async () => {
		const before = await executionCount(workflow.id);
		const right = basicAuthorization(basic.username, basic.password);
		const body = { id: `${RUN}-manual`, event: 'action added', object_id: 1, action: { id: 1, ticket_id: ticketId, note: 'forged' } };

		const statuses = [
			await postTo(url, body),
			await postTo(url, body, basicAuthorization(basic.username, 'wrong')),
			await postTo(`${state.n8nUrl}/webhook/${workflow.webhookId}/guessed-secret`, body, right),
			await postTo(url, { hello: 'world' }, right),
			await postTo(url, [{ id: 'a', event: 'action added' }, { nope: true }], right),
		];
		const note = `${RUN} through the manual webhook`;
		await simulate('agent-note', { ticket_id: ticketId, note });

		expect(statuses).toEqual([401, 401, 401, 400, 400]);
		const items = await nextTriggerItems(workflow.id, before);
		expect(items.map((item) => [item.eventKey, item.action?.note])).toEqual([['custom', note]]);
		expect(await settledExecutions(api, workflow.id)).toHaveLength(before + 1);
	});

	it('keeps the Basic password and path secret out of the workflow: only the encrypted credential holds them', async () => {
		const saved = JSON.stringify(await api.getWorkflow(workflow.id));
		expect(saved).toContain(webhookAuth.id);
		expect(saved).not.toContain(basic.password);
		expect(saved).not.toContain(pathSecret);
		const rows = queryN8nDatabase<{ type: string; data: string }>(
			state,
			'SELECT type, data FROM credentials_entity WHERE id = ?',
			webhookAuth.id,
		);
		expect(rows).toEqual([expect.objectContaining({ type: WEBHOOK_AUTH_TYPE })]);
		expect(rows[0].data).not.toContain(basic.password);
		expect(rows[0].data).not.toContain(pathSecret);
	});

	it("tests the Webhook Auth credential with the trigger's check (n8n's Test button)", async () => {
		const test = async (data: Row) =>
			await api.request<{ status: string; message: string }>('POST', '/credentials/test', {
				credentials: { id: webhookAuth.id, name: webhookAuth.name, type: WEBHOOK_AUTH_TYPE, data },
			});

		expect(await test({ ...basic, pathSecret })).toMatchObject({ status: 'OK' });
		expect(await test({ username: basic.username, password: '', pathSecret: '' })).toEqual({
			status: 'Error',
			message: 'The HaloPSA Automation Webhook Auth API credential has no Password: enter the same username and password as in the HaloPSA webhook',
		});
	});
});

describe('manual registration without a usable Webhook Auth credential', () => {
	it('fails the publish with a message naming the missing password', async () => {
		const webhookAuth = await webhookAuthCredential('no password', { username: 'halo-e2e-nopass', password: '' });
		const workflow = await triggerWorkflow('manual no password', { registration: 'manual', ...withActionAdded() }, suiteCredential, webhookAuth);

		const reason = await publishFailureReason(workflow);

		expect(reason).toContain('The HaloPSA Automation Webhook Auth API credential has no Password');
	});
});

describe('a Halo retry while an event-only look-up is slow', () => {
	it('starts one execution for one event, with the completed item', async () => {
		const basic = { username: 'halo-e2e-slow', password: 'e2e slow password 42' };
		const workflow = await triggerWorkflow(
			'event-only',
			{ registration: 'manual', ...withActionAdded() },
			suiteCredential,
			await webhookAuthCredential('slow webhook auth', basic),
		);
		expect((await publishAndSettle(workflow)).status).toBe('published');
		await haloWebhookByHand(workflow.productionUrl, basic, 'eventInformation');
		await until('n8n to route the trigger', async () => (await postTo(workflow.productionUrl, {})) !== 404);
		const before = await executionCount(workflow.id);
		try {
			// Halo gives up after 1 s and retries; the first look-up of the action takes 2 s (inside the
			// trigger's 3 s look-up budget), so the first attempt times out while its execution is still
			// being prepared. Several retries, so a loaded machine cannot make the test miss the answer.
			await sandbox.call('POST', '/config', { webhooks: { timeoutMs: 1000, retryDelaysMs: [50, 200, 500] } });
			await sandbox.call('POST', '/faults', [{ route: 'GET /api/actions/:id', kind: 'slow', delayMs: 2000, count: 1 }]);

			const note = `${RUN} slow look-up`;
			const action = await simulate('agent-note', { ticket_id: ticketId, note });

			const attempts = await deliveriesTo(workflow.productionUrl);
			expect(attempts[0]).toMatchObject({ attempt: 1, status: 0 });
			expect(attempts.length).toBeGreaterThanOrEqual(2);
			expect(attempts[attempts.length - 1].status).toBe(200);
			expect(new Set(attempts.map((attempt) => attempt.id))).toEqual(new Set([attempts[0].id]));
			const executions = await settledExecutions(api, workflow.id, 2000);
			expect(executions).toHaveLength(before + 1);
			const items = nodeOutput(await api.execution(executions[executions.length - 1].id), TRIGGER_NAME);
			expect(items).toHaveLength(1);
			expect(items[0]).toMatchObject({
				deliveryId: attempts[0].id,
				actionId: action.id,
				payloadType: 'eventOnly',
				completedFromApi: true,
				action: { note },
			});
		} finally {
			await sandbox.call('DELETE', '/faults');
			await sandbox.call('POST', '/config', { webhooks: sandboxConfig.webhooks });
		}
	});
});

describe('listening for a test event', () => {
	it('registers a Halo webhook for the test URL, runs the workflow once from a real event, then deletes it', async () => {
		const workflow = await triggerWorkflow('test event', { registration: 'automatic', ...withActionAdded() });

		const started = await api.request<Row>('POST', `/workflows/${workflow.id}/run`, { triggerToStartFrom: { name: TRIGGER_NAME } });
		expect(started).toMatchObject({ waitingForWebhook: true });
		const [registered] = await until('the test webhook in Halo', async () => {
			const webhooks = await halo.webhooksFor(workflow.webhookId);
			return webhooks.length > 0 && webhooks;
		});
		expect(registered.url).toContain(`/webhook-test/${workflow.webhookId}/webhook`);
		const note = `${RUN} test event`;
		await simulate('agent-note', { ticket_id: ticketId, note });

		const items = await nextTriggerItems(workflow.id, 0);
		expect(items.map((item) => [item.eventKey, item.action?.note])).toEqual([['custom', note]]);
		await until('the test webhook to be deleted', async () => (await halo.webhooksFor(workflow.webhookId)).length === 0);
		const executions = await api.executions(workflow.id);
		expect(executions.map((execution) => execution.mode)).toEqual(['manual']);
	});
});

describe('a workflow saved with an event an earlier version offered', () => {
	it('fails the publish naming the event and what to pick instead, and creates no Halo webhook', async () => {
		const workflow = await triggerWorkflow('retired event', { registration: 'automatic', events: ['ticketStatusChanged', 'emailReceived'] });

		const reason = await publishFailureReason(workflow);

		expect(reason).toContain('Events: "Email Received From End User" is not an event this node registers');
		expect(await halo.webhooksFor(workflow.webhookId)).toEqual([]);
	});
});

describe('a Halo that refuses events[] on the webhook', () => {
	beforeAll(async () => await sandbox.call('POST', '/config', { webhooks: { eventsOnWebhook: 'refused' } }));
	afterAll(async () => await sandbox.call('POST', '/config', { webhooks: { eventsOnWebhook: 'stored' } }));

	it('gets the events as notifications, delivers them, says so in static data and the log, and deletes them on unpublish', async () => {
		const workflow = await triggerWorkflow('notifications', { registration: 'automatic', events: ['ticketStatusChanged'] });
		expect((await publishAndSettle(workflow)).status).toBe('published');
		const [webhook] = await until('the Halo webhook', async () => {
			const webhooks = await halo.webhooksFor(workflow.webhookId);
			return webhooks.length > 0 && webhooks;
		});
		const notifications = async () => await halo.request<Row[]>('GET', `/Notification?webhook_id=${webhook.id}`);

		expect(webhook.events).toEqual([]);
		expect((await notifications()).map((row) => [row.eventno, row.delivery_method, row.type, row.filter_type])).toEqual([['76', 6, -2, 2]]);
		const saved = await api.request<Row>('GET', `/workflows/${workflow.id}`);
		expect(saved.staticData?.[`node:${TRIGGER_NAME}`]).toMatchObject({
			webhookId: String(webhook.id),
			subscription: 'notifications',
			notificationIds: (await notifications()).map((row) => row.id),
		});
		expect(fs.readFileSync(state.logFile, 'utf8')).toContain('HaloPSA Trigger: HaloPSA took the events as notifications (POST /Notification), not on the webhook');

		const ticket = await halo.request<Row>('GET', `/Tickets/${ticketId}`);
		const statuses = await halo.request<Row[]>('GET', '/Status');
		const newStatus = statuses.find((status) => status.id !== ticket.status_id && status.id !== 9)!;
		await simulate('status-change', { ticket_id: ticketId, status_id: newStatus.id });
		expect((await nextTriggerItems(workflow.id, 0)).map((item) => [item.eventKey, item.ticketId])).toEqual([['ticketStatusChanged', ticketId]]);

		await api.unpublish(workflow.id);
		await until('the webhook and its notifications to be deleted', async () => (await halo.webhooksFor(workflow.webhookId)).length === 0);
		expect(await notifications()).toEqual([]);
	});
});

describe('payload checks in n8n (a manual trigger, so the test holds the Basic credentials)', () => {
	const PAYLOADS = 300;
	const basic = { username: 'halo-e2e-fuzz', password: 'e2e fuzz password 42' };
	let workflow: TriggerWorkflow;
	let authorization: string;

	beforeAll(async () => {
		workflow = await triggerWorkflow('fuzz', { registration: 'manual' }, suiteCredential, await webhookAuthCredential('fuzz webhook auth', basic));
		expect((await publishAndSettle(workflow)).status).toBe('published');
		await until('n8n to route the trigger', async () => (await postTo(workflow.productionUrl, {})) !== 404);
		authorization = basicAuthorization(basic.username, basic.password);
	});

	/**
	 * n8n stops reading a body over its limit and closes the connection: sent over fetch's shared
	 * pool, the closed socket would fail the next request of a later test file.
	 */
	const postOnItsOwnConnection = async (body: string) =>
		await new Promise<number>((resolve, reject) => {
			const request = http.request(
				workflow.productionUrl,
				{ method: 'POST', agent: false, headers: { 'Content-Type': 'application/json', Authorization: authorization } },
				(answer) => {
					answer.resume();
					resolve(answer.statusCode ?? 0);
				},
			);
			request.on('error', reject);
			request.end(body);
		});

	const post = async (body: string, contentType: string) => {
		const answer = await fetch(workflow.productionUrl, { method: 'POST', headers: { 'Content-Type': contentType, Authorization: authorization }, body });
		await answer.arrayBuffer();
		return answer.status;
	};

	it(`answers ${PAYLOADS} fuzzed payloads: Halo events start one execution each, the rest 400 or 415, no 5xx, no API call`, async () => {
		const requestsBefore = (await sandbox.call<Row>('GET', '/stats')).requests;
		const fuzz = new FuzzPayloads(41, undefined, ticketId);
		const payloads = Array.from({ length: PAYLOADS }, () => fuzz.next());

		const statuses = [];
		for (const payload of payloads) statuses.push(await post(payload.body, payload.contentType));

		const expected = payloads.map((payload) => (payload.halo ? 200 : payload.contentType === 'application/json' ? 400 : 415));
		expect(statuses.map((status, index) => [status, payloads[index].defect])).toEqual(expected.map((status, index) => [status, payloads[index].defect]));
		const halo = payloads.filter((payload) => payload.halo).length;
		expect(halo).toBeGreaterThan(10);
		expect(await settledExecutions(api, workflow.id)).toHaveLength(halo);
		expect((await sandbox.call<Row>('GET', '/stats')).requests).toBe(requestsBefore);
	});

	it('leaves a body that is not JSON (422) and one over N8N_PAYLOAD_SIZE_MAX (16 MiB by default: 500) to n8n, which answers before the node; neither starts anything', async () => {
		const before = await executionCount(workflow.id);
		const oversized = JSON.stringify({ id: 'too-big', event: 'ticket closed', padding: 'x'.repeat(17 * 1024 * 1024) });

		expect(await post('{"id": "cut', 'application/json')).toBe(422);
		expect(await postOnItsOwnConnection(oversized)).toBe(500);
		expect(await settledExecutions(api, workflow.id)).toHaveLength(before);
	});
});
