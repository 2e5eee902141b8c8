/**
 * Driving the queue-mode cluster as its users do (a chat tool and Halo calling the load balancer)
 * and reading back which worker ran what. Shared by the queue suite and `npm run bench -- queue`.
 */
import {
	deliveryIdsOf,
	keyedNoteWorkflow,
	triggerWebhookId,
	waitForExecutionsToSettle,
	waitForTriggerEndpoint,
	type CredentialRef,
	type DeliveryAttempt,
	type ExecutionSummary,
	type HaloApi,
} from '../../bench/real-n8n';
import { mapWithConcurrency } from '../../bench/support';
import { executionsStartedBy } from '../../scripts/queue-cluster';
import { forwardedRequests, type ForwardedRequest } from '../../scripts/round-robin-proxy';
import { until, type N8nApi, type SandboxControl } from '../e2e/helpers/n8n';

/** The chat-to-Halo sample's webhook path and the Halo-to-chat sample's workflow id (workflows/*.json). */
export const CHAT_TO_HALO_PATH = 'chat-to-halo';
export const CHAT_TO_HALO_WORKFLOW = 'NoteRoutingIn001';
export const HALO_TO_CHAT_WORKFLOW = 'NoteRoutingOut01';

export interface ChatMessage {
	/** the chat message's id: the sample's Idempotency Key */
	message_id: string;
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

/** The highest execution id of a workflow so far (0 when it has none): later executions have higher ids. */
export async function newestExecutionId(api: N8nApi, workflowId: string): Promise<number> {
	return Math.max(0, ...(await api.executions(workflowId)).map((execution) => Number(execution.id)));
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

export interface HaloNotesRun {
	/** the sandbox's delivery attempts of this run, in order */
	attempts: DeliveryAttempt[];
	/** what the proxy forwarded on the trigger's path during this run, in order of arrival */
	forwarded: ForwardedRequest[];
	/** the Halo-to-chat executions this run started, once all are finished */
	executions: ExecutionSummary[];
	/** the delivery id each of those executions started from (same order) */
	startedFrom: Array<string | undefined>;
	/** delivery ids that started no execution, and those that started more than one */
	lost: number;
	/** the delivery attempts of the ids that started no execution (to tell a lost repeat from a lost single) */
	lostAttempts: DeliveryAttempt[];
	doubled: number;
}

/**
 * `events` notes added in Halo (Action Added, delivered by the sandbox one after the other through
 * the proxy) into the Halo-to-chat sample; with `repeatEvery` N, every Nth delivery also goes out a
 * second time at the same moment, which the proxy hands to the other webhook process.
 */
export async function deliverHaloNotes(
	api: N8nApi,
	sandbox: SandboxControl,
	proxyUrl: string,
	options: { events: number; repeatEvery?: number; label: string },
): Promise<HaloNotesRun> {
	return await deliverHaloEvents(api, sandbox, proxyUrl, {
		...options,
		workflowId: HALO_TO_CHAT_WORKFLOW,
		happen: async (index) => await sandbox.call('POST', '/simulate/agent-note', { ticket_id: (index % 8) + 1, note: `${options.label} ${index + 1}`, hiddenfromuser: false }),
	});
}

/**
 * `events` things happening in Halo (`happen`, one after the other), whose deliveries the sandbox
 * sends through the proxy into the workflow `workflowId` (its HaloPSA trigger subscribed to them);
 * with `repeatEvery` N, every Nth delivery also goes out a second time at the same moment, which
 * the proxy hands to the other webhook process.
 */
export async function deliverHaloEvents(
	api: N8nApi,
	sandbox: SandboxControl,
	proxyUrl: string,
	options: { workflowId: string; events: number; repeatEvery?: number; happen: (index: number) => Promise<unknown> },
): Promise<HaloNotesRun> {
	const trigger = await haloTriggerOf(api, options.workflowId);
	const triggerPath = `/webhook/${trigger.webhookId}/webhook`;
	const after = await newestExecutionId(api, options.workflowId);
	const attemptsBefore = (await sandbox.call<DeliveryAttempt[]>('GET', '/webhook-deliveries')).length;
	const forwardedBefore = (await forwardedRequests(proxyUrl)).length;
	if (options.repeatEvery) await sandbox.call('POST', '/config', { webhooks: { duplicateEvery: options.repeatEvery } });
	try {
		for (let index = 0; index < options.events; index++) await options.happen(index);
		await sandbox.call('POST', '/webhooks/flush');
	} finally {
		if (options.repeatEvery) await sandbox.call('POST', '/config', { webhooks: { duplicateEvery: 0 } });
	}
	// Only this trigger's: a webhook removed just before may still have deliveries being retried.
	const attempts = (await sandbox.call<DeliveryAttempt[]>('GET', '/webhook-deliveries')).slice(attemptsBefore).filter((attempt) => attempt.url.includes(trigger.webhookId));
	const forwarded = (await forwardedRequests(proxyUrl)).slice(forwardedBefore).filter((request) => request.path === triggerPath);
	const executions = (await waitForExecutionsToSettle(api, options.workflowId, 2000)).filter((execution) => Number(execution.id) > after);
	const startedFrom = await deliveryIdsOf(api, executions, { node: trigger.name, deliveryId: (json) => json.deliveryId });
	const started = new Map<string, number>();
	for (const id of startedFrom) if (id !== undefined) started.set(id, (started.get(id) ?? 0) + 1);
	const deliveryIds = new Set(attempts.map((attempt) => attempt.id));
	return {
		attempts,
		forwarded,
		executions,
		startedFrom,
		lost: [...deliveryIds].filter((id) => !started.has(id)).length,
		lostAttempts: attempts.filter((attempt) => !started.has(attempt.id)),
		doubled: [...started.values()].filter((count) => count > 1).length,
	};
}

export interface KeyedNotesRun extends HaloNotesRun {
	/** notes in Halo whose marker carries one of this run's delivery ids */
	notes: number;
	/** delivery ids with no note, and with more than one */
	withoutNote: number;
	withSeveralNotes: number;
	/** notes a run posted and deleted again because one with the same key was there first */
	removedRepeats: number;
}

/**
 * `events` end-user replies on `tickets` new tickets, delivered (every `repeatEvery`th also sent at
 * the same moment to the other webhook process) into a workflow that adds an internal note keyed by
 * the delivery id (bench/real-n8n.ts keyedNoteWorkflow); then the notes in Halo, per delivery id.
 * The Halo-to-chat sample is unpublished meanwhile (its Action Added would get every note too) and
 * published again afterwards, with the keyed-note workflow unpublished, so tests after this one find
 * the cluster as the samples left it.
 */
export async function deliverKeyedNotes(
	api: N8nApi,
	sandbox: SandboxControl,
	halo: HaloApi,
	cluster: { proxyUrl: string; credential: CredentialRef },
	options: { events: number; repeatEvery: number; tickets: number },
): Promise<KeyedNotesRun> {
	await api.unpublish(HALO_TO_CHAT_WORKFLOW);
	try {
		return await deliverKeyedNotesWhileHaloToChatRests();
	} finally {
		await api.publish(HALO_TO_CHAT_WORKFLOW);
	}

	async function deliverKeyedNotesWhileHaloToChatRests(): Promise<KeyedNotesRun> {
		// Deliveries still queued for it end now, before this run's count of deliveries starts.
		await sandbox.call('POST', '/webhooks/flush');
		const ticketIds: number[] = [];
		for (let index = 0; index < options.tickets; index++) {
			const ticket = await halo.request<{ id: number }>('POST', '/Tickets', [{ summary: `Keyed notes ${index + 1}`, client_id: 1 }]);
			ticketIds.push(ticket.id);
		}
		const workflow = keyedNoteWorkflow(cluster.credential);
		const { id } = await api.request<{ id: string }>('POST', '/workflows', { ...workflow, active: false });
		await api.publish(id);
		const webhookId = triggerWebhookId(workflow);
		await until('the keyed-note workflow\'s webhook in Halo', async () => (await halo.webhooks()).some((webhook) => webhook.url?.includes(webhookId)));
		await waitForTriggerEndpoint(cluster.proxyUrl, webhookId);

		const actionDeletes = async () => (await sandbox.call<{ requestsByRoute: Record<string, number> }>('GET', '/stats')).requestsByRoute['DELETE /api/actions/:id'] ?? 0;
		const deletesBefore = await actionDeletes();
		const run = await deliverHaloEvents(api, sandbox, cluster.proxyUrl, {
			workflowId: id,
			events: options.events,
			repeatEvery: options.repeatEvery,
			happen: async (index) => await sandbox.call('POST', '/simulate/end-user-reply', { ticket_id: ticketIds[index % ticketIds.length], note: `Reply ${index + 1}` }),
		});
		const deletes = await actionDeletes();
		await api.unpublish(id);

		const notesPerDelivery = new Map<string, number>();
		for (const ticketId of ticketIds) {
			const { actions, record_count: total } = await halo.request<{ actions: Array<{ note_html?: string }>; record_count: number }>('GET', `/Actions?ticket_id=${ticketId}`);
			if (actions.length !== total) throw new Error(`ticket ${ticketId}: ${actions.length} of ${total} actions read`);
			for (const action of actions) {
				const key = /<!-- n8n-write:key:([^;]*); -->/.exec(action.note_html ?? '')?.[1];
				if (key === undefined) continue;
				const deliveryId = decodeURIComponent(key);
				notesPerDelivery.set(deliveryId, (notesPerDelivery.get(deliveryId) ?? 0) + 1);
			}
		}
		const deliveryIds = [...new Set(run.attempts.map((attempt) => attempt.id))];
		return {
			...run,
			notes: deliveryIds.reduce((sum, deliveryId) => sum + (notesPerDelivery.get(deliveryId) ?? 0), 0),
			withoutNote: deliveryIds.filter((deliveryId) => !notesPerDelivery.has(deliveryId)).length,
			withSeveralNotes: deliveryIds.filter((deliveryId) => (notesPerDelivery.get(deliveryId) ?? 0) > 1).length,
			removedRepeats: deletes - deletesBefore,
		};
	}
}
