/**
 * Helpers for the trigger's real-n8n tests: workflows holding one HaloPSA Trigger, n8n's
 * publication status and the executions and calls of the trigger's URLs.
 */
import { randomUUID } from 'node:crypto';

import { waitForExecutionsToSettle } from '../../../bench/real-n8n';
import { postToTrigger } from '../../trigger/support';
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

export const WEBHOOK_AUTH_TYPE = 'haloPsaAutomationWebhookAuthApi';

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
	let status: PublicationStatus | undefined;
	return await until(
		() => `publication of ${workflowId} to settle: ${JSON.stringify(status)}`,
		async () => {
			status = await api.request<PublicationStatus>('GET', `/workflows/${workflowId}/publication-status`);
			// The publish call records the publication before it returns, so "not in progress" means done.
			return status.status !== 'in_progress' && status.pendingVersionId === null && status;
		},
		timeoutMs,
	);
}

/** POSTs a body to a trigger URL as some caller; returns the status. */
export async function postTo(url: string, body: unknown, authorization?: string): Promise<number> {
	return (await postToTrigger(url, body, authorization)).status;
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
