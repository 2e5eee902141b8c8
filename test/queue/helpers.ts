/**
 * Driving the queue-mode cluster as its users do (a chat tool and Halo calling the load balancer)
 * and reading back which worker ran what. Shared by the queue suite and `npm run bench -- queue`.
 */
import { mapWithConcurrency } from '../../bench/support';
import { executionsStartedBy } from '../../scripts/queue-cluster';
import { until, type N8nApi, type SandboxControl } from '../e2e/helpers/n8n';

/** The chat-to-Halo sample's webhook path and the Halo-to-chat sample's workflow id (workflows/*.json). */
export const CHAT_TO_HALO_PATH = 'chat-to-halo';
export const CHAT_TO_HALO_WORKFLOW = 'NoteRoutingIn001';
export const HALO_TO_CHAT_WORKFLOW = 'NoteRoutingOut01';

export interface ChatMessage {
	ticket_id: number;
	text: string;
	kind: 'customer' | 'internal' | 'email';
}

export interface ChatAnswer {
	status: number;
	body: { ok?: boolean; action?: { id?: number }; message?: string };
}

/**
 * POSTs chat messages to the chat-to-Halo sample through `baseUrl` (the proxy), `concurrency` at a
 * time, as the chat tool does; `afterAnswer` sees how many have been answered so far.
 */
export async function sendChatMessages(
	baseUrl: string,
	secret: { header: string; value: string },
	messages: ChatMessage[],
	concurrency: number,
	afterAnswer?: (answered: number) => Promise<void> | void,
): Promise<ChatAnswer[]> {
	let answered = 0;
	return await mapWithConcurrency(messages, concurrency, async (message) => {
		const response = await fetch(`${baseUrl}/webhook/${CHAT_TO_HALO_PATH}`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json', [secret.header]: secret.value },
			body: JSON.stringify(message),
		});
		const text = await response.text();
		let body: ChatAnswer['body'] = {};
		try {
			body = JSON.parse(text) as ChatAnswer['body'];
		} catch {
			body = { message: text };
		}
		answered += 1;
		await afterAnswer?.(answered);
		return { status: response.status, body };
	});
}

/** How many of `executionIds` each worker ran (by the workers' own logs), in worker order. */
export function executionsPerWorker(workerLogFiles: string[], executionIds: string[]): number[] {
	const wanted = new Set(executionIds);
	return workerLogFiles.map((logFile) => executionsStartedBy(logFile).filter((id) => wanted.has(id)).length);
}

/** Which worker ran each execution (index into workerLogFiles), by id. */
export function workerOfExecution(workerLogFiles: string[]): Map<string, number> {
	const owner = new Map<string, number>();
	workerLogFiles.forEach((logFile, worker) => {
		for (const id of executionsStartedBy(logFile)) owner.set(id, worker);
	});
	return owner;
}

/** Finished executions of a workflow with their start and stop times, oldest first. */
export async function executionTimes(api: N8nApi, workflowId: string): Promise<Array<{ id: string; status: string; startedAt: number; stoppedAt: number }>> {
	const executions = (await api.executions(workflowId)) as Array<{ id: string; status: string; startedAt: string; stoppedAt?: string | null }>;
	return executions
		.map((execution) => ({
			id: execution.id,
			status: execution.status,
			startedAt: Date.parse(execution.startedAt),
			stoppedAt: execution.stoppedAt ? Date.parse(execution.stoppedAt) : Number.NaN,
		}))
		.sort((a, b) => Number(a.id) - Number(b.id));
}

/** The HaloPSA trigger node of a workflow: its name, and its webhook id (the part of its URL that names it). */
export async function haloTriggerOf(api: N8nApi, workflowId: string): Promise<{ name: string; webhookId: string }> {
	const workflow = await api.getWorkflow(workflowId);
	const trigger = workflow.nodes.find((node: { type: string }) => /\.haloPsaTrigger$/.test(node.type));
	if (!trigger?.webhookId) throw new Error(`workflow ${workflowId} has no HaloPSA trigger`);
	return { name: String(trigger.name), webhookId: String(trigger.webhookId) };
}

/**
 * Waits until Halo answered the main process's webhook registration (POST /api/Webhook), read from
 * the sandbox's request log, which costs no token (a look at Halo's webhooks would fetch one).
 */
export async function haloWebhookRegistered(sandbox: SandboxControl, timeoutMs = 60_000): Promise<void> {
	await until(
		'the main process to register the trigger sample\'s webhook in Halo',
		async () => (await sandbox.requests('POST /api/webhook')).some((request) => request.status >= 200 && request.status < 300),
		timeoutMs,
	);
}
