/**
 * The real n8n 2.41.1 for the n8n benches (tokens, trigger) and their e2e count tests: the
 * workflows they run, one n8n started with scripts/n8n-env.ts (our package packed and installed
 * the way users install it, the credentials imported), and the sandbox-side delivery driver.
 * Everything talks to the sandbox over HTTP, so the e2e tests can use the suite's shared sandbox.
 */
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import {
	ensureRuntime,
	freePort,
	haloCredential,
	importCredentials,
	importWorkflows,
	installPackage,
	packPackage,
	publishWorkflows,
	startN8n,
	type N8nInstance,
	type N8nInstanceOptions,
} from '../scripts/n8n-env';
import { N8nApi } from '../test/e2e/helpers/n8n';
import { controlRequest } from '../test/helpers/sandbox';
import { peerCredentialData, PEER_CREDENTIAL_TYPE, PEER_NODE_TYPE } from './peer-node';
import { log, mapWithConcurrency } from './support';

export const OUR_NODE_TYPE = 'n8n-nodes-halopsa-automation.haloPsa';
export const OUR_TRIGGER_TYPE = 'n8n-nodes-halopsa-automation.haloPsaTrigger';
export const OUR_CREDENTIAL_TYPE = 'haloPsaAutomationApi';
export const TRIGGER_NODE_NAME = 'HaloPSA Trigger';

export interface CredentialRef {
	id: string;
	name: string;
}

export interface WorkflowJson {
	id?: string;
	name: string;
	nodes: Array<Record<string, unknown>>;
	connections: Record<string, unknown>;
	settings: Record<string, unknown>;
}

export interface SandboxAccess {
	baseUrl: string;
	clientId: string;
	clientSecret: string;
}

function chain(names: string[]): Record<string, unknown> {
	const connections: Record<string, unknown> = {};
	for (let index = 0; index + 1 < names.length; index++) {
		connections[names[index]] = { main: [[{ node: names[index + 1], type: 'main', index: 0 }]] };
	}
	return connections;
}

function webhookNode(webhookPath: string): Record<string, unknown> {
	return {
		id: randomUUID(),
		name: 'Webhook',
		type: 'n8n-nodes-base.webhook',
		typeVersion: 2,
		position: [0, 0],
		webhookId: randomUUID(),
		// Answer when the workflow is done, so a caller hitting it in a loop runs executions one by one.
		parameters: { httpMethod: 'POST', path: webhookPath, responseMode: 'lastNode', options: {} },
	};
}

const TICKET_FROM_BODY = '={{ $json.body.ticketId }}';
const TICKET_FROM_WEBHOOK = "={{ $('Webhook').item.json.body.ticketId }}";
export const BENCH_NOTE = 'Checked by the n8n benchmark.';

/** Webhook -> our node reads the ticket -> our node adds an internal note to it. */
export function oursReadAndNoteWorkflow(webhookPath: string, credential: CredentialRef, id?: string): WorkflowJson {
	const credentials = { [OUR_CREDENTIAL_TYPE]: credential };
	return {
		...(id ? { id } : {}),
		name: `Bench: read ticket and add note (ours, /${webhookPath})`,
		nodes: [
			webhookNode(webhookPath),
			{
				id: randomUUID(),
				name: 'Read ticket',
				type: OUR_NODE_TYPE,
				typeVersion: 1,
				position: [220, 0],
				credentials,
				parameters: { resource: 'ticket', operation: 'get', ticketId: { __rl: true, mode: 'id', value: TICKET_FROM_BODY } },
			},
			{
				id: randomUUID(),
				name: 'Add note',
				type: OUR_NODE_TYPE,
				typeVersion: 1,
				position: [440, 0],
				credentials,
				parameters: {
					resource: 'note',
					operation: 'addInternalNote',
					ticketId: { __rl: true, mode: 'id', value: TICKET_FROM_WEBHOOK },
					note: BENCH_NOTE,
				},
			},
		],
		connections: chain(['Webhook', 'Read ticket', 'Add note']),
		settings: {},
	};
}

/**
 * Webhook -> the built-in node reads the ticket -> the built-in node updates the ticket's details.
 * The built-in has no note/action operation; a ticket update is its closest equivalent.
 */
export function peerReadAndUpdateWorkflow(webhookPath: string, credential: CredentialRef, id?: string): WorkflowJson {
	const credentials = { [PEER_CREDENTIAL_TYPE]: credential };
	return {
		...(id ? { id } : {}),
		name: `Bench: read ticket and update it (built-in, /${webhookPath})`,
		nodes: [
			webhookNode(webhookPath),
			{
				id: randomUUID(),
				name: 'Read ticket',
				type: PEER_NODE_TYPE,
				typeVersion: 1,
				position: [220, 0],
				credentials,
				parameters: { resource: 'ticket', operation: 'get', ticketId: TICKET_FROM_BODY, simplify: false },
			},
			{
				id: randomUUID(),
				name: 'Update ticket',
				type: PEER_NODE_TYPE,
				typeVersion: 1,
				position: [440, 0],
				credentials,
				parameters: { resource: 'ticket', operation: 'update', ticketId: TICKET_FROM_WEBHOOK, updateFields: { details: BENCH_NOTE } },
			},
		],
		connections: chain(['Webhook', 'Read ticket', 'Update ticket']),
		settings: {},
	};
}

/** Our trigger, registering itself in Halo for `event` (full payloads: no API look-ups). */
function ourTriggerNode(credential: CredentialRef, event: string): Record<string, unknown> {
	return {
		id: randomUUID(),
		name: TRIGGER_NODE_NAME,
		type: OUR_TRIGGER_TYPE,
		typeVersion: 1,
		position: [0, 0],
		webhookId: randomUUID(),
		credentials: { [OUR_CREDENTIAL_TYPE]: credential },
		parameters: { registration: 'automatic', events: [event], options: {} },
	};
}

/** Our trigger alone, self-registering in Halo for "Ticket Status Changed". */
export function triggerWorkflow(credential: CredentialRef, id?: string): WorkflowJson {
	return {
		...(id ? { id } : {}),
		name: 'Bench: Ticket Status Changed trigger',
		nodes: [ourTriggerNode(credential, 'ticketStatusChanged')],
		connections: {},
		settings: {},
	};
}

/**
 * Our trigger on "Ticket Updated by User" (an end user's reply) -> our node adds an internal note
 * to the ticket with the delivery's id as its Idempotency Key, so a repeated delivery adds none.
 */
export function keyedNoteWorkflow(credential: CredentialRef, id?: string): WorkflowJson {
	const credentials = { [OUR_CREDENTIAL_TYPE]: credential };
	return {
		...(id ? { id } : {}),
		name: 'Queue: a note per end-user reply, keyed by the delivery id',
		nodes: [
			ourTriggerNode(credential, 'ticketUpdatedByUser'),
			{
				id: randomUUID(),
				name: 'Add note',
				type: OUR_NODE_TYPE,
				typeVersion: 1,
				position: [220, 0],
				credentials,
				parameters: {
					resource: 'note',
					operation: 'addInternalNote',
					ticketId: { __rl: true, mode: 'id', value: '={{ $json.ticketId }}' },
					note: '={{ "Reply received (delivery " + $json.deliveryId + ")" }}',
					options: { idempotencyKey: '={{ $json.deliveryId }}' },
				},
			},
		],
		connections: chain([TRIGGER_NODE_NAME, 'Add note']),
		settings: {},
	};
}

export const PEER_TRIGGER_NODE_NAME = 'Webhook';
export const BASIC_AUTH_CREDENTIAL_TYPE = 'httpBasicAuth';

/**
 * What a user builds without our trigger: n8n's own Webhook node (the version the editor adds),
 * POST, Basic Auth with an httpBasicAuth credential, answering as soon as it has the request. It
 * does not register itself in Halo: the Halo webhook is made by hand (registerHaloWebhook).
 */
export function peerTriggerWorkflow(webhookPath: string, credential: CredentialRef, id?: string): WorkflowJson {
	return {
		...(id ? { id } : {}),
		name: `Bench: Halo webhook into n8n's Webhook node (/${webhookPath})`,
		nodes: [
			{
				id: randomUUID(),
				name: PEER_TRIGGER_NODE_NAME,
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2.1,
				position: [0, 0],
				webhookId: randomUUID(),
				credentials: { [BASIC_AUTH_CREDENTIAL_TYPE]: credential },
				parameters: { httpMethod: 'POST', path: webhookPath, authentication: 'basicAuth', responseMode: 'onReceived', options: {} },
			},
		],
		connections: {},
		settings: {},
	};
}

export function basicAuthCredentialJson(ref: CredentialRef, user: string, password: string): Record<string, unknown> {
	return { id: ref.id, name: ref.name, type: BASIC_AUTH_CREDENTIAL_TYPE, data: { user, password } };
}

/** Our credential for a Halo at `sandbox.baseUrl`; the authorisation server is discovered unless `authUrl` is given. */
export function ourCredentialJson(sandbox: SandboxAccess, ref: CredentialRef, authUrl = ''): Record<string, unknown> {
	return haloCredential({ url: sandbox.baseUrl, clientId: sandbox.clientId, clientSecret: sandbox.clientSecret, scope: 'all', authUrl }, ref.id, ref.name);
}

export function peerCredentialJson(sandbox: SandboxAccess, ref: CredentialRef): Record<string, unknown> {
	return { id: ref.id, name: ref.name, type: PEER_CREDENTIAL_TYPE, data: peerCredentialData(sandbox) };
}

// ---------------------------------------------------------------------------------------------
// One n8n of our own

export interface BenchN8n {
	api: N8nApi;
	/** the running n8n (a new one after `restart`) */
	readonly instance: N8nInstance;
	/** the port n8n listens on (webhooks may be announced elsewhere, see `announcedWebhookBase`) */
	port: number;
	/** Stops n8n and starts it again on the same user folder and port, as an operator restarts it; logs in again. */
	restart(): Promise<void>;
	stop(): Promise<void>;
}

export const BENCH_OUR_CREDENTIAL: CredentialRef = { id: 'BenchHaloOurs001', name: 'HaloPSA Automation (bench)' };
export const BENCH_PEER_CREDENTIAL: CredentialRef = { id: 'BenchHaloPeer001', name: 'HaloPSA built-in (bench)' };

/**
 * Packs and installs this package into a fresh user folder, imports both HaloPSA credentials (and
 * any others given) and the workflows, publishes them, and starts n8n on a free port. `announcedWebhookBase` is the URL n8n
 * gives Halo for its webhooks (e.g. a recording proxy in front of n8n); it gets n8n's port.
 */
export async function startBenchN8n(options: {
	sandbox: SandboxAccess;
	/** imported with their ids, which they must have */
	workflows: WorkflowJson[];
	/** imported besides ours and the built-in HaloPSA node's (e.g. basicAuthCredentialJson) */
	credentials?: Array<Record<string, unknown>>;
	announcedWebhookBase?: (n8nPort: number) => string;
	/** more environment for n8n (e.g. NODE_EXTRA_CA_CERTS for the TLS latency proxy's certificate) */
	env?: NodeJS.ProcessEnv;
}): Promise<BenchN8n> {
	const workflows = options.workflows.map((json) => {
		if (!json.id) throw new Error(`workflow "${json.name}" needs an id to be imported`);
		return { ...json, id: json.id };
	});
	const runtime = ensureRuntime(log);
	const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'halopsa-bench-'));
	const port = await freePort();
	const brokerPort = await freePort();
	const owner = { email: 'bench-owner@example.com', password: 'Bench-Owner-Pass-1', firstName: 'Bench', lastName: 'Owner' };
	const announced = options.announcedWebhookBase?.(port);
	const instanceOptions: N8nInstanceOptions = {
		runtime,
		userFolder: path.join(tmp, 'user'),
		port,
		brokerPort,
		owner,
		encryptionKey: 'halopsa-bench-key',
		log,
		env: { N8N_LOG_LEVEL: 'warn', ...(announced ? { WEBHOOK_URL: announced } : {}), ...options.env },
	};
	fs.mkdirSync(instanceOptions.userFolder, { recursive: true });
	installPackage(runtime, instanceOptions.userFolder, packPackage(path.join(tmp, 'pack'), log), log);
	importCredentials(instanceOptions, [
		ourCredentialJson(options.sandbox, BENCH_OUR_CREDENTIAL),
		peerCredentialJson(options.sandbox, BENCH_PEER_CREDENTIAL),
		...(options.credentials ?? []),
	]);
	importWorkflows(
		instanceOptions,
		workflows.map((json) => ({ id: json.id, name: json.name, file: `${json.id}.json`, publish: true, json: { ...json } })),
	);
	publishWorkflows(instanceOptions, workflows.map((json) => json.id));
	let instance: N8nInstance;
	try {
		instance = await startN8n(instanceOptions);
	} catch (error) {
		fs.rmSync(tmp, { recursive: true, force: true });
		throw error;
	}
	const api = new N8nApi({
		n8nUrl: instance.url,
		port,
		userFolder: instanceOptions.userFolder,
		runtimeDir: runtime.dir,
		logFile: instance.logFile,
		encryptionKey: instanceOptions.encryptionKey!,
		sandboxUrl: options.sandbox.baseUrl,
		sandboxClientId: options.sandbox.clientId,
		sandboxClientSecret: options.sandbox.clientSecret,
		owner,
		credentialId: BENCH_OUR_CREDENTIAL.id,
		chatSecretHeader: '',
		chatSecret: '',
		tabKey: '',
		workflows: workflows.map((json) => ({ id: json.id, name: json.name, file: `${json.id}.json`, publish: true })),
		screenshotsDir: path.join(tmp, 'screenshots'),
	});
	try {
		await api.login();
	} catch (error) {
		await instance.stop();
		throw error;
	}
	return {
		api,
		get instance() {
			return instance;
		},
		port,
		restart: async () => {
			await instance.stop();
			instance = await startN8n(instanceOptions);
			await api.login();
		},
		stop: async () => {
			await instance.stop();
			fs.rmSync(tmp, { recursive: true, force: true });
		},
	};
}

// ---------------------------------------------------------------------------------------------
// Driving and reading runs

const NOT_REGISTERED_GRACE_MS = 15_000;

/**
 * POSTs `{ ticketId }` to a production webhook `count` times, `concurrency` at a time (default one
 * after the other); returns how many calls failed. n8n registers a just-published workflow's
 * webhooks a moment after the publish call returns: a call answered 404 (no execution started) in
 * the first 15 s is repeated.
 */
export async function hitWebhook(
	n8nUrl: string,
	webhookPath: string,
	count: number,
	ticketIdFor: (index: number) => number,
	concurrency = 1,
): Promise<number> {
	const graceEnds = Date.now() + NOT_REGISTERED_GRACE_MS;
	const call = async (index: number): Promise<number> => {
		for (;;) {
			const answer = await fetch(`${n8nUrl}/webhook/${webhookPath}`, {
				method: 'POST',
				headers: { 'Content-Type': 'application/json' },
				body: JSON.stringify({ ticketId: ticketIdFor(index) }),
			});
			await answer.arrayBuffer();
			if (answer.status !== 404 || Date.now() >= graceEnds) return answer.status;
			await new Promise((resolve) => setTimeout(resolve, 250));
		}
	};
	const statuses = await mapWithConcurrency(
		Array.from({ length: count }, (_, index) => index),
		concurrency,
		call,
	);
	return statuses.filter((status) => status < 200 || status > 299).length;
}

/**
 * Waits until n8n routes the production webhook at `/webhook/<webhookPath>`. The probe carries no
 * Basic credentials, so the receiver refuses it (401) without starting an execution; 404 means
 * not registered yet.
 */
export async function waitForWebhookEndpoint(n8nUrl: string, webhookPath: string, timeoutMs = NOT_REGISTERED_GRACE_MS): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		const answer = await fetch(`${n8nUrl}/webhook/${webhookPath}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
		await answer.arrayBuffer();
		if (answer.status !== 404) return;
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
	throw new Error(`n8n did not register the webhook /webhook/${webhookPath} within ${timeoutMs / 1000} s`);
}

/** Waits until n8n routes our trigger's production URL (see waitForWebhookEndpoint). */
export async function waitForTriggerEndpoint(n8nUrl: string, webhookId: string, timeoutMs = NOT_REGISTERED_GRACE_MS): Promise<void> {
	await waitForWebhookEndpoint(n8nUrl, `${webhookId}/webhook`, timeoutMs);
}

export interface ExecutionSummary {
	id: string;
	status: string;
	startedAt: string;
}

/** Waits until the workflow's executions are all finished and their number has not changed for `quietMs`. */
export async function waitForExecutionsToSettle(api: N8nApi, workflowId: string, quietMs = 3000, timeoutMs = 300_000): Promise<ExecutionSummary[]> {
	const deadline = Date.now() + timeoutMs;
	let last = -1;
	let stableSince = Date.now();
	for (;;) {
		const executions = await api.executions(workflowId);
		const running = executions.some((execution) => ['new', 'running', 'waiting'].includes(execution.status));
		if (executions.length !== last || running) {
			last = executions.length;
			stableSince = Date.now();
		} else if (Date.now() - stableSince >= quietMs) {
			return executions;
		}
		if (Date.now() > deadline) throw new Error(`executions of ${workflowId} did not settle within ${timeoutMs / 1000} s`);
		await new Promise((resolve) => setTimeout(resolve, 500));
	}
}

/** Why executions did not succeed, as n8n recorded it (for error messages). */
export async function failureReasons(api: N8nApi, executions: ExecutionSummary[]): Promise<string[]> {
	const failed = executions.filter((execution) => execution.status !== 'success').slice(0, 5);
	return await mapWithConcurrency(failed, 2, async (summary) => {
		const execution = await api.execution(summary.id);
		const error = execution.data?.resultData?.error as { message?: string; description?: string } | undefined;
		return `execution ${summary.id} (${summary.status}): ${error?.message ?? 'no error recorded'}${error?.description ? `: ${error.description}` : ''}`;
	});
}

/** Where a receiving workflow keeps the Halo delivery id: the first item its first node put out. */
export interface DeliveryReceiver {
	node: string;
	deliveryId(json: Record<string, unknown>): unknown;
}

/** Our trigger puts the delivery id on each item. */
export const OUR_TRIGGER_RECEIVER: DeliveryReceiver = { node: TRIGGER_NODE_NAME, deliveryId: (json) => json.deliveryId };
/** n8n's Webhook node puts out the request: Halo's delivery is its body. */
export const PEER_TRIGGER_RECEIVER: DeliveryReceiver = {
	node: PEER_TRIGGER_NODE_NAME,
	deliveryId: (json) => (json.body as { id?: unknown } | undefined)?.id,
};

/** The delivery id each execution of a receiving workflow started from (its first output item). */
export async function deliveryIdsOf(
	api: N8nApi,
	executions: ExecutionSummary[],
	receiver: DeliveryReceiver = OUR_TRIGGER_RECEIVER,
): Promise<Array<string | undefined>> {
	return await mapWithConcurrency(executions, 4, async (summary) => {
		const execution = await api.execution(summary.id);
		const runs = execution.data?.resultData?.runData?.[receiver.node] as Array<{ data?: { main?: Array<Array<{ json: Record<string, unknown> }>> } }> | undefined;
		const json = runs?.[0]?.data?.main?.[0]?.[0]?.json;
		const id = json === undefined ? undefined : receiver.deliveryId(json);
		return id === undefined || id === null ? undefined : String(id);
	});
}

/** The sandbox's control API over HTTP. */
async function control<T>(sandbox: SandboxAccess, method: string, route: string, body?: unknown): Promise<T> {
	const answer = await controlRequest(sandbox.baseUrl, method, route, body);
	if (answer.status >= 400) throw new Error(`sandbox ${method} ${route}: ${answer.status} ${answer.text}`);
	return answer.json as T;
}

export interface DeliveryAttempt {
	id: string;
	status: number;
	success: boolean;
	attempt: number;
	redelivery: boolean;
	url: string;
}

/** The part of the delivery URL that names our trigger node (n8n's webhook id). */
export function triggerWebhookId(workflow: WorkflowJson): string {
	return String(workflow.nodes.find((node) => node.name === TRIGGER_NODE_NAME)?.webhookId);
}

export interface HaloWebhook {
	id: string;
	url: string;
	payload_type: number;
	events: Array<{ name: string; eventno: number; conditions?: unknown[] }>;
}

/** Halo's own API (the sandbox) as the demo application, with one token fetched on the first call. */
export class HaloApi {
	private token = '';

	constructor(private readonly sandbox: SandboxAccess) {}

	private async fetchToken(): Promise<string> {
		const answer = await fetch(`${this.sandbox.baseUrl}/auth/token`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
			body: new URLSearchParams({
				grant_type: 'client_credentials',
				client_id: this.sandbox.clientId,
				client_secret: this.sandbox.clientSecret,
				scope: 'all',
			}),
		});
		if (!answer.ok) throw new Error(`sandbox token: ${answer.status} ${await answer.text()}`);
		return ((await answer.json()) as { access_token: string }).access_token;
	}

	/** `/api${route}` with the token; an error status throws with Halo's answer. */
	async request<T = any>(method: string, route: string, body?: unknown): Promise<T> {
		if (!this.token) this.token = await this.fetchToken();
		const answer = await fetch(`${this.sandbox.baseUrl}/api${route}`, {
			method,
			headers: { Authorization: `Bearer ${this.token}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const text = await answer.text();
		if (!answer.ok) throw new Error(`${method} /api${route}: ${answer.status} ${text}`);
		return (text ? JSON.parse(text) : undefined) as T;
	}

	/** Halo's webhooks (GET /api/Webhook). */
	async webhooks(): Promise<HaloWebhook[]> {
		return await this.request<HaloWebhook[]>('GET', '/Webhook');
	}

	/** Halo's webhooks whose URL names this n8n webhook id (production or test URL). */
	async webhooksFor(webhookId: string): Promise<Array<Record<string, any>>> {
		return (await this.request<Array<Record<string, any>>>('GET', '/Webhook')).filter((webhook) => String(webhook.url).includes(webhookId));
	}
}

/** Halo's webhooks (GET /api/Webhook). */
export async function haloWebhooks(sandbox: SandboxAccess): Promise<HaloWebhook[]> {
	return await new HaloApi(sandbox).webhooks();
}

/**
 * Registers a webhook in Halo as an admin does by hand for n8n's Webhook node (POST /api/Webhook),
 * in Halo's integer codes: POST (0) with Basic authentication (1), the default full payload (0)
 * unless `payloadType` asks for the custom JSON one (1: the sandbox sends the event information
 * alone), the given events by number. Returns Halo's webhook.
 */
export async function registerHaloWebhook(
	sandbox: SandboxAccess,
	webhook: {
		name: string;
		url: string;
		username: string;
		password: string;
		payloadType?: 'full' | 'eventInformation';
		events: Array<{ name: string; eventno: number; conditions?: unknown[] }>;
	},
): Promise<HaloWebhook> {
	const created = await new HaloApi(sandbox).request<HaloWebhook | HaloWebhook[]>('POST', '/Webhook', [
		{
			name: webhook.name,
			url: webhook.url,
			type: 0,
			method: 0,
			active: true,
			authentication_type: 1,
			basic_username: webhook.username,
			basic_password: webhook.password,
			payload_type: webhook.payloadType === 'eventInformation' ? 1 : 0,
			events: webhook.events,
		},
	]);
	return Array.isArray(created) ? created[0] : created;
}

/** n8n activates published workflows shortly after it reports ready: waits until Halo holds our trigger's webhook. */
export async function waitForWebhookRegistration(sandbox: SandboxAccess, webhookId: string, timeoutMs = 60_000): Promise<HaloWebhook> {
	const halo = new HaloApi(sandbox);
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		const registered = (await halo.webhooks()).find((webhook) => webhook.url?.includes(webhookId));
		if (registered) return registered;
		await new Promise((resolve) => setTimeout(resolve, 500));
	}
	throw new Error(`n8n did not register the trigger's webhook in Halo within ${timeoutMs / 1000} s`);
}

/**
 * Makes Halo deliver `events` "Ticket Status Changed" events to the webhook whose URL contains
 * `webhookId` (or to each of several), in rounds of nine followed by a redelivery (same id) of
 * one of them, as Halo retries soon after a delivery it thinks failed: one delivery in ten is a
 * repeat. Several webhooks get the same events at the same moments and each its own repeat of
 * the round's first event. Returns every delivery attempt to those webhooks during the run.
 */
export async function deliverWithRepeats(
	sandbox: SandboxAccess,
	options: { events: number; ticketCount: number; webhookId: string | string[] },
): Promise<DeliveryAttempt[]> {
	const receivers = Array.isArray(options.webhookId) ? options.webhookId : [options.webhookId];
	const to = (receiver: string) => (attempt: DeliveryAttempt) => attempt.url.includes(receiver);
	const ours = async () =>
		(await control<DeliveryAttempt[]>(sandbox, 'GET', '/webhook-deliveries')).filter((attempt) => receivers.some((receiver) => to(receiver)(attempt)));
	const before = (await ours()).length;
	for (let round = 0; round * 9 < options.events; round++) {
		const inRound = Math.min(9, options.events - round * 9);
		for (let index = 0; index < inRound; index++) {
			const objectId = ((round * 9 + index) % options.ticketCount) + 1;
			await control(sandbox, 'POST', '/simulate/event', { event: 'Ticket Status Changed', object_id: objectId });
		}
		await control(sandbox, 'POST', '/webhooks/flush');
		const firsts = (await ours()).filter((attempt) => !attempt.redelivery && attempt.attempt === 1);
		const repeats = receivers.map((receiver) => {
			const first = firsts.filter(to(receiver)).slice(-inRound)[0];
			if (!first) throw new Error(`the sandbox made no delivery to ${receiver}: is the workflow published and its webhook registered?`);
			return first.id;
		});
		await control(sandbox, 'POST', '/webhooks/redeliver', { delivery_ids: repeats });
	}
	await control(sandbox, 'POST', '/webhooks/flush');
	return (await ours()).slice(before);
}
