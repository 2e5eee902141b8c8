/**
 * Helpers for the trigger's real-n8n tests: workflows holding one HaloPSA Trigger, n8n's
 * publication status, and Halo's own API read with a token of the demo application.
 */
import { randomUUID } from 'node:crypto';

import { waitForExecutionsToSettle } from '../../../bench/real-n8n';
import { until, type N8nApi } from './n8n';

export const TRIGGER_TYPE = 'n8n-nodes-halopsa-automation.haloPsaTrigger';
export const TRIGGER_NAME = 'HaloPSA Trigger';

export interface TriggerWorkflow {
	id: string;
	/** the node's webhookId: the part of its URLs that names it */
	webhookId: string;
	productionUrl: string;
	testUrl: string;
}

export const WEBHOOK_AUTH_TYPE = 'haloPsaAutomationWebhookAuth';

/**
 * Creates (does not publish) a workflow whose only node is the trigger with these parameters, the
 * HaloPSA API credential and, for manual registration, a Webhook Auth credential.
 */
export async function createTriggerWorkflow(
	api: N8nApi,
	name: string,
	credential: { id: string; name: string },
	parameters: Record<string, unknown>,
	webhookAuth?: { id: string; name: string },
): Promise<TriggerWorkflow> {
	const webhookId = randomUUID();
	const { id } = await api.request<{ id: string }>('POST', '/workflows', {
		name,
		active: false,
		nodes: [
			{
				id: randomUUID(),
				name: TRIGGER_NAME,
				type: TRIGGER_TYPE,
				typeVersion: 1,
				position: [0, 0],
				webhookId,
				credentials: { haloPsaAutomationApi: credential, ...(webhookAuth ? { [WEBHOOK_AUTH_TYPE]: webhookAuth } : {}) },
				parameters: { options: {}, ...parameters },
			},
		],
		connections: {},
		settings: {},
	});
	return {
		id,
		webhookId,
		productionUrl: `${api.state.n8nUrl}/webhook/${webhookId}/webhook`,
		testUrl: `${api.state.n8nUrl}/webhook-test/${webhookId}/webhook`,
	};
}

export interface PublicationStatus {
	status: 'in_progress' | 'not_published' | 'published' | 'partial' | 'failed';
	pendingVersionId: string | null;
	triggers: Array<{ nodeId: string; status: string; errorMessage: string | null }>;
}

/**
 * n8n 2.41 publishes through an outbox: the publish call returns before the triggers are
 * activated. Waits until that publication is settled and returns n8n's status for it.
 */
export async function settledPublication(api: N8nApi, workflowId: string, timeoutMs = 60_000): Promise<PublicationStatus> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const status = await api.request<PublicationStatus>('GET', `/workflows/${workflowId}/publication-status`);
		// The publish call records the publication before it returns, so "not in progress" means done.
		if (status.status !== 'in_progress' && status.pendingVersionId === null) return status;
		if (Date.now() > deadline) throw new Error(`publication of ${workflowId} did not settle: ${JSON.stringify(status)}`);
		await new Promise((resolve) => setTimeout(resolve, 300));
	}
}

/** Halo's own API (the sandbox), read with the demo application's token. */
export class HaloApi {
	private token = '';

	constructor(private readonly access: { baseUrl: string; clientId: string; clientSecret: string }) {}

	async request<T = any>(method: string, route: string, body?: unknown): Promise<T> {
		if (!this.token) {
			const answer = await fetch(`${this.access.baseUrl}/auth/token`, {
				method: 'POST',
				headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
				body: new URLSearchParams({
					grant_type: 'client_credentials',
					client_id: this.access.clientId,
					client_secret: this.access.clientSecret,
					scope: 'all',
				}),
			});
			this.token = ((await answer.json()) as { access_token: string }).access_token;
		}
		const answer = await fetch(`${this.access.baseUrl}/api${route}`, {
			method,
			headers: { Authorization: `Bearer ${this.token}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const text = await answer.text();
		if (!answer.ok) throw new Error(`${method} /api${route}: ${answer.status} ${text}`);
		return (text ? JSON.parse(text) : undefined) as T;
	}

	/** Halo's webhooks whose URL names this n8n webhook id (production or test URL). */
	async webhooksFor(webhookId: string): Promise<Array<Record<string, any>>> {
		return (await this.request<Array<Record<string, any>>>('GET', '/Webhook')).filter((webhook) =>
			String(webhook.url).includes(webhookId),
		);
	}
}

export function basicAuthorization(username: string, password: string): string {
	return `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
}

/** POSTs a body to a trigger URL as some caller; returns the status. */
export async function postTo(url: string, body: unknown, authorization?: string): Promise<number> {
	const answer = await fetch(url, {
		method: 'POST',
		headers: { 'Content-Type': 'application/json', ...(authorization ? { Authorization: authorization } : {}) },
		body: typeof body === 'string' ? body : JSON.stringify(body),
	});
	await answer.arrayBuffer();
	return answer.status;
}

/** Output items of one node in an execution's run data. */
export function nodeOutput(execution: { data: any }, nodeName: string): Array<Record<string, any>> {
	const runs = execution.data?.resultData?.runData?.[nodeName] as Array<{ data?: { main?: Array<Array<{ json: Record<string, any> }>> } }> | undefined;
	return (runs ?? []).flatMap((run) => (run.data?.main?.[0] ?? []).map((item) => item.json));
}

const finished = (execution: { status: string }) => !['new', 'running', 'waiting'].includes(execution.status);
const byId = (first: { id: string }, second: { id: string }) => Number(first.id) - Number(second.id);

/** Waits until the workflow has more than `after` finished executions; returns the newest with its run data. */
export async function nextExecution(api: N8nApi, workflowId: string, after: number, timeoutMs = 60_000) {
	const newest = await until(
		`an execution of ${workflowId} after ${after}`,
		async () => {
			const done = (await api.executions(workflowId)).filter(finished).sort(byId);
			return done.length > after && done[done.length - 1];
		},
		timeoutMs,
	);
	return await api.execution(newest.id);
}

/** Every execution of the workflow once none is running and their number held still for `quietMs` (oldest first). */
export async function settledExecutions(api: N8nApi, workflowId: string, quietMs = 1500, timeoutMs = 60_000) {
	return (await waitForExecutionsToSettle(api, workflowId, quietMs, timeoutMs)).sort(byId);
}
