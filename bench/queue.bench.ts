/**
 * Queue mode: the sample workflows in n8n 2.41.1 on PostgreSQL and Redis, with a main process, two
 * webhook processes behind a round-robin proxy (scripts/queue-cluster.ts), first one worker, then
 * two. Everything reaches n8n through the proxy, as through a load balancer.
 *
 * - Halo deliveries into the Halo-to-chat sample: the sandbox sends one webhook's deliveries one
 *   after the other, as Halo does; accepted per second is deliveries answered 2xx over the time from
 *   the first one sent to the last one answered; delivery-to-start latency is the execution's
 *   startedAt minus the moment the delivery reached the proxy (the k-th request on the trigger's path
 *   is the k-th delivery: they go out one at a time and all succeed).
 * - The same with every 9th of 90 deliveries sent a second time at the same moment (the proxy hands the
 *   copy to the other webhook process): executions started, deliveries lost and doubled.
 * - Token requests for 100 executions of "read a ticket, add a note" over both workers with a
 *   credential nobody used yet, ours against n8n's built-in HaloPSA node (`n8n-nodes-base.haloPSA`).
 * - Failures under mass expiry: 100 chat notes through the chat-to-Halo sample, Halo slowed to a second
 *   per note, every token expired after 30 answers.
 * - 1,000 Halo deliveries (900 end-user replies, every 9th delivery also sent at the same moment to the
 *   other webhook process) into a workflow that adds an internal note keyed by the delivery id:
 *   executions started, lost and doubled, and the notes in Halo.
 */
import { startHaloSandbox } from '../sandbox';
import { CHAT_SECRET_HEADER, DEFAULT_CHAT_SECRET, ensureRuntime } from '../scripts/n8n-env';
import { startQueueCluster, type QueueCluster } from '../scripts/queue-cluster';
import { N8nApi, SandboxControl } from '../test/e2e/helpers/n8n';
import { settledPublication } from '../test/e2e/helpers/trigger';
import {
	CHAT_TO_HALO_WORKFLOW,
	deliverHaloNotes,
	deliverKeyedNotes,
	executionsPerWorker,
	haloWebhookRegistered,
	newestExecutionId,
	sendChatMessages,
} from '../test/queue/helpers';
import { peerCredentialData } from './peer-node';
import { HaloApi, hitWebhook, oursReadAndNoteWorkflow, peerReadAndUpdateWorkflow, waitForExecutionsToSettle, type CredentialRef, type WorkflowJson } from './real-n8n';
import { log, percentile, type BenchResult, type Measure } from './support';

const DELIVERIES = 200;
const REPEATED_EVENTS = 90;
const REPEAT_EVERY = 9;
const EXECUTIONS = 100;
const PARALLEL_CALLS = 20;
const KEYED_EVENTS = 900;

interface DeliveryRun {
	accepted: number;
	perSecond: number;
	p50Ms: number;
	p95Ms: number;
	executions: number;
	perWorker: number[];
}

/** DELIVERIES Halo notes (Action Added) delivered one after the other to the Halo-to-chat sample. */
async function deliverNotes(cluster: QueueCluster, api: N8nApi, sandbox: SandboxControl): Promise<DeliveryRun> {
	const run = await deliverHaloNotes(api, sandbox, cluster.proxy.url, { events: DELIVERIES, label: 'Bench note' });
	const { attempts, forwarded, executions } = run;
	if (attempts.length !== DELIVERIES || forwarded.length !== DELIVERIES || attempts.some((attempt) => !attempt.success || attempt.attempt !== 1)) {
		throw new Error(`expected ${DELIVERIES} first-time deliveries that succeeded, got ${attempts.length} attempts and ${forwarded.length} forwarded`);
	}
	// One delivery at a time: the k-th request on the trigger's path is the k-th delivery.
	const arrivedAt = new Map(attempts.map((attempt, index) => [attempt.id, forwarded[index].startedAt]));
	const latencies = executions.flatMap((execution, index) => {
		const arrived = arrivedAt.get(String(run.startedFrom[index]));
		return arrived === undefined ? [] : [Date.parse(execution.startedAt) - arrived];
	});
	if (executions.length !== DELIVERIES || latencies.length !== DELIVERIES) {
		throw new Error(`${DELIVERIES} deliveries started ${executions.length} executions, ${latencies.length} of them from a delivery of this run`);
	}
	const seconds = (Math.max(...forwarded.map((request) => request.endedAt)) - forwarded[0].startedAt) / 1000;
	return {
		accepted: forwarded.filter((request) => request.status >= 200 && request.status < 300).length,
		perSecond: Math.round((DELIVERIES / seconds) * 10) / 10,
		p50Ms: percentile(latencies, 0.5),
		p95Ms: percentile(latencies, 0.95),
		executions: executions.length,
		perWorker: executionsPerWorker(cluster.workers.map((worker) => worker.logFile), executions.map((execution) => execution.id)),
	};
}

/** Token requests for EXECUTIONS webhook-started executions of a workflow on a credential nobody used yet. */
async function tokensForExecutions(api: N8nApi, sandbox: SandboxControl, cluster: QueueCluster, workflow: WorkflowJson, webhookPath: string) {
	const { id } = await api.request<{ id: string }>('POST', '/workflows', { ...workflow, active: false });
	await api.publish(id);
	await settledPublication(api, id);
	// All calls start together: both workers begin on the credential at the same moment.
	const before = await sandbox.call<{ tokensIssued: number }>('GET', '/stats');
	const failedCalls = await hitWebhook(cluster.proxy.url, webhookPath, EXECUTIONS, (index) => (index % 8) + 1, PARALLEL_CALLS);
	const executions = await waitForExecutionsToSettle(api, id, 2000);
	const after = await sandbox.call<{ tokensIssued: number }>('GET', '/stats');
	const succeeded = executions.filter((execution) => execution.status === 'success').length;
	if (failedCalls > 0 || succeeded !== EXECUTIONS) throw new Error(`${webhookPath}: ${failedCalls} calls failed, ${succeeded}/${EXECUTIONS} executions succeeded`);
	return {
		tokens: after.tokensIssued - before.tokensIssued,
		perWorker: executionsPerWorker(cluster.workers.map((worker) => worker.logFile), executions.map((execution) => execution.id)),
	};
}

async function createCredential(api: N8nApi, name: string, type: string, data: Record<string, unknown>): Promise<CredentialRef> {
	const credential = await api.request<{ id: string; name: string }>('POST', '/credentials', { name, type, data });
	return { id: credential.id, name: credential.name };
}

export async function runQueueBench(): Promise<BenchResult> {
	const halo = await startHaloSandbox({});
	const sandbox = new SandboxControl(halo.baseUrl);
	let cluster: QueueCluster | undefined;
	try {
		const runtime = ensureRuntime(log);
		cluster = await startQueueCluster({
			runtime,
			halo: { url: halo.baseUrl, clientId: halo.clientId, clientSecret: halo.clientSecret, scope: 'all' },
			sandboxUrl: halo.baseUrl,
			workers: 1,
			webhookProcesses: 2,
			publishKinds: ['webhook', 'haloTrigger', 'sandboxEventTrigger', 'other'],
			log,
		});
		const api = await new N8nApi({
			n8nUrl: cluster.main.url,
			port: cluster.main.port,
			userFolder: cluster.userFolder,
			runtimeDir: runtime.dir,
			logFile: cluster.main.logFile,
			encryptionKey: cluster.encryptionKey,
			sandboxUrl: halo.baseUrl,
			sandboxClientId: halo.clientId,
			sandboxClientSecret: halo.clientSecret,
			owner: cluster.owner,
			credentialId: cluster.credentialId,
			chatSecretHeader: '',
			chatSecret: '',
			tabKey: '',
			workflows: [],
			screenshotsDir: '',
		}).login();
		await haloWebhookRegistered(sandbox);

		log(`queue: ${DELIVERIES} Halo deliveries with 1 worker`);
		const oneWorker = await deliverNotes(cluster, api, sandbox);
		await cluster.addWorker();
		log(`queue: ${DELIVERIES} Halo deliveries with 2 workers`);
		const twoWorkers = await deliverNotes(cluster, api, sandbox);
		log(`queue: ${REPEATED_EVENTS} Halo deliveries, every ${REPEAT_EVERY}th also sent at the same moment to the other webhook process`);
		const repeats = await deliverHaloNotes(api, sandbox, cluster.proxy.url, { events: REPEATED_EVENTS, repeatEvery: REPEAT_EVERY, label: 'Bench repeated note' });

		log(`queue: token requests for ${EXECUTIONS} executions on new credentials, ours and the built-in node's`);
		const access = { baseUrl: halo.baseUrl, clientId: halo.clientId, clientSecret: halo.clientSecret };
		const ours = await createCredential(api, 'HaloPSA Automation (queue bench)', 'haloPsaAutomationApi', {
			url: halo.baseUrl,
			tenant: '',
			authUrl: '',
			clientId: halo.clientId,
			clientSecret: halo.clientSecret,
			scope: 'all',
		});
		const peer = await createCredential(api, 'HaloPSA built-in (queue bench)', 'haloPSAApi', peerCredentialData(access));
		const oursTokens = await tokensForExecutions(api, sandbox, cluster, oursReadAndNoteWorkflow('queue-bench-ours', ours), 'queue-bench-ours');
		const peerTokens = await tokensForExecutions(api, sandbox, cluster, peerReadAndUpdateWorkflow('queue-bench-peer', peer), 'queue-bench-peer');

		log(`queue: ${EXECUTIONS} chat notes with every token expired after 30 answers`);
		await sandbox.call('POST', '/faults', [{ route: 'POST /api/actions', kind: 'slow', delayMs: 1000 }]);
		const beforeExpiry = await sandbox.call<{ tokensIssued: number }>('GET', '/stats');
		const chatAfter = await newestExecutionId(api, CHAT_TO_HALO_WORKFLOW);
		const messages = Array.from({ length: EXECUTIONS }, (_, index) => ({ message_id: `bench-expiry-${index + 1}`, ticket_id: (index % 8) + 1, text: `Bench expiry note ${index + 1}`, kind: 'internal' as const }));
		const answers = await sendChatMessages(cluster.proxy.url, { header: CHAT_SECRET_HEADER, value: DEFAULT_CHAT_SECRET }, messages, PARALLEL_CALLS, async (answered) => {
			if (answered === 30) await sandbox.call('POST', '/tokens/expire');
		});
		await sandbox.call('DELETE', '/faults');
		const expiryExecutions = (await waitForExecutionsToSettle(api, CHAT_TO_HALO_WORKFLOW, 2000)).filter((execution) => Number(execution.id) > chatAfter);
		const expiryTokens = (await sandbox.call<{ tokensIssued: number }>('GET', '/stats')).tokensIssued - beforeExpiry.tokensIssued;

		log(`queue: ${KEYED_EVENTS} Halo deliveries + ${KEYED_EVENTS / REPEAT_EVERY} same-moment repeats into a note keyed by the delivery id`);
		const keyed = await deliverKeyedNotes(api, sandbox, new HaloApi(access), { proxyUrl: cluster.proxy.url, credential: { id: cluster.credentialId, name: 'HaloPSA (sandbox)' } }, {
			events: KEYED_EVENTS,
			repeatEvery: REPEAT_EVERY,
			tickets: 25,
		});
		const keyedDeliveries = keyed.attempts.length;

		const deliveryRows = (workers: number, run: DeliveryRun): Measure[] => [
			{ measure: `Halo deliveries accepted per second, ${workers} worker${workers > 1 ? 's' : ''}`, value: run.perSecond, unit: '/s', limit: `${run.accepted}/${DELIVERIES} accepted` },
			{ measure: `p95 delivery-to-start latency, ${workers} worker${workers > 1 ? 's' : ''}`, value: run.p95Ms, unit: 'ms', limit: `p50 ${run.p50Ms} ms; executions per worker ${run.perWorker.join(' + ')}` },
		];
		return {
			name: 'Queue mode: PostgreSQL + Redis, main, 2 webhook processes behind a round-robin proxy, 1 then 2 workers (n8n 2.41.1)',
			peer: 'n8n-nodes-base.haloPSA (token row only): Ticket > Get, then Ticket > Update',
			measures: [
				...deliveryRows(1, oneWorker),
				...deliveryRows(2, twoWorkers),
				{
					measure: `executions started by ${REPEATED_EVENTS} deliveries + ${REPEATED_EVENTS / REPEAT_EVERY} same-moment repeats at the other webhook process`,
					value: repeats.executions.length,
					unit: '',
					limit: `lost ${repeats.lost} (goal 0); doubled ${repeats.doubled} of ${REPEATED_EVENTS / REPEAT_EVERY}`,
				},
				{
					measure: `token requests for ${EXECUTIONS} executions over 2 workers, new credential`,
					value: oursTokens.tokens,
					unit: '',
					peer: peerTokens.tokens,
					limit: `at most 1 per worker (2); executions per worker ${oursTokens.perWorker.join(' + ')}`,
				},
				{
					measure: `failed executions of ${EXECUTIONS} when every token expires mid-run`,
					value: expiryExecutions.filter((execution) => execution.status !== 'success').length + answers.filter((answer) => answer.status !== 201).length,
					unit: '',
					limit: 'goal 0',
				},
				{ measure: 'token requests for that expiry', value: expiryTokens, unit: '', limit: 'goal 1; at most 1 per worker (2)' },
				{
					measure: `executions started by ${keyedDeliveries} deliveries (${KEYED_EVENTS} replies, every ${REPEAT_EVERY}th also at the other webhook process at the same moment) into a note keyed by the delivery id`,
					value: keyed.executions.length,
					unit: '',
					limit: `at least once: lost ${keyed.lost} (goal 0), doubled ${keyed.doubled} of ${KEYED_EVENTS / REPEAT_EVERY}`,
				},
				{
					measure: `notes in Halo for those ${KEYED_EVENTS} replies`,
					value: keyed.notes,
					unit: '',
					limit: `goal exactly ${KEYED_EVENTS}: ${keyed.withoutNote} replies without a note, ${keyed.withSeveralNotes} with more than one; ${keyed.removedRepeats} repeats posted and removed again`,
				},
			],
			notes: [
				'Halo sends one webhook\'s deliveries one after the other (the sandbox does too), so accepted per second is bounded by how fast one delivery is answered; the webhook processes answer before a worker runs the execution.',
				'Delivery-to-start latency includes the time an execution waits in the Redis queue for a free worker.',
				'A new credential has no token stored: workers that need one at the same moment can each fetch one (n8n refreshes a credential without a lock across processes); the executions within one worker share one fetch. The row shows how many this run needed. A credential tested once before use (its Test button stores the token) makes the workers fetch none: npm run test:queue proves it.',
				'The built-in HaloPSA node fetches a token in every node execution, on whichever worker runs it.',
				'The keyed note: with the Idempotency Key set, the node looks for a note with the key before posting (one GET) and again after it (one GET); a run that finds a note with the same key and a lower id deletes its own. Executions stay at least once; the notes come out exactly once.',
				'One machine runs everything (PostgreSQL, Redis, five n8n processes, the sandbox and this bench) and is shared; times compare the runs of one bench, they do not size a cluster.',
			],
		};
	} finally {
		await cluster?.stop();
		await halo.stop();
	}
}
