/**
 * Bench 5, trigger: 1,000 webhook deliveries from the sandbox into a published workflow with our
 * trigger in a real n8n 2.41.1; one delivery in ten is a redelivery of an earlier one with the same
 * id, as Halo retries. Executions started are counted from n8n's executions API (goal exactly 900),
 * every delivered event must have started one, and delivery-to-start latency is the execution's
 * startedAt minus the moment the delivery reached n8n's door.
 *
 * n8n's HaloPSA node has no trigger, so the peer is what a user builds instead: n8n's Webhook node
 * (POST, Basic Auth, respond immediately) in a second published workflow of the same n8n, with a
 * Halo webhook registered by hand for the same events (full payloads). Halo sends every event to
 * both webhooks, and each webhook gets its own repeat of the same event: one schedule, one run.
 *
 * The sandbox's delivery log stamps attempts to the second, after n8n answered; so a small
 * recording proxy on 127.0.0.1 sits in front of n8n (n8n announces it as its webhook URL) and
 * notes, to the millisecond, when each delivery id first arrived before passing it on unchanged.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

import { startHaloSandbox } from '../sandbox';
import {
	basicAuthCredentialJson,
	BENCH_OUR_CREDENTIAL,
	deliverWithRepeats,
	deliveryIdsOf,
	peerTriggerWorkflow,
	PEER_TRIGGER_RECEIVER,
	registerHaloWebhook,
	startBenchN8n,
	triggerWebhookId,
	triggerWorkflow,
	waitForExecutionsToSettle,
	waitForTriggerEndpoint,
	waitForWebhookEndpoint,
	waitForWebhookRegistration,
	type BenchN8n,
	type DeliveryAttempt,
	type DeliveryReceiver,
	type ExecutionSummary,
} from './real-n8n';
import { log, percentile, type BenchResult, type Measure } from './support';

const EVENTS = 900;
const TICKETS = 100;
const PEER_PATH = 'bench-halo-webhook';
const PEER_BASIC_AUTH = { ref: { id: 'BenchBasicAuth01', name: 'Halo webhook Basic Auth (bench)' }, user: 'halo-bench', password: 'Bench-Basic-Pass-1' };

interface RecordingProxy {
	url: string;
	/** n8n's port, known once n8n's port is chosen */
	targetPort: number;
	firstArrival: Map<string, number>;
	stop(): Promise<void>;
}

async function startRecordingProxy(): Promise<RecordingProxy> {
	const firstArrival = new Map<string, number>();
	const proxy: Partial<RecordingProxy> = { firstArrival, targetPort: 0 };
	const server = http.createServer((req, res) => {
		const arrived = Date.now();
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => {
			const body = Buffer.concat(chunks);
			try {
				const parsed = JSON.parse(body.toString('utf8')) as unknown;
				for (const delivery of Array.isArray(parsed) ? parsed : [parsed]) {
					const id = (delivery as { id?: unknown })?.id;
					if (id !== undefined && !firstArrival.has(String(id))) firstArrival.set(String(id), arrived);
				}
			} catch {
				// Not JSON: nothing to note, n8n still gets it as sent.
			}
			const forward = http.request(
				{ host: '127.0.0.1', port: proxy.targetPort, method: req.method, path: req.url, headers: req.headers },
				(answer) => {
					res.writeHead(answer.statusCode ?? 502, answer.headers);
					answer.pipe(res);
				},
			);
			forward.on('error', () => {
				res.writeHead(502);
				res.end();
			});
			forward.end(body);
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	proxy.stop = () =>
		new Promise<void>((resolve) => {
			server.closeAllConnections();
			server.close(() => resolve());
		});
	return proxy as RecordingProxy;
}

interface ReceiverFigures {
	deliveries: number;
	refused: number;
	started: number;
	lost: number;
	startedTwice: number;
	latencyP50: number;
	latencyP95: number;
}

/**
 * What one receiving workflow made of its deliveries. Latency is taken per delivery id, from the
 * id's first arrival at the proxy to the first execution it started, so a receiver that starts a
 * second execution for a repeat is not charged the wait between the two deliveries.
 */
async function figuresOf(
	n8n: BenchN8n,
	proxy: RecordingProxy,
	workflowId: string,
	attempts: DeliveryAttempt[],
	receiver?: DeliveryReceiver,
): Promise<ReceiverFigures> {
	const executions: ExecutionSummary[] = await waitForExecutionsToSettle(n8n.api, workflowId);
	log(`trigger: reading ${executions.length} executions of ${workflowId}`);
	const startedFrom = await deliveryIdsOf(n8n.api, executions, receiver);
	const firstStart = new Map<string, number>();
	startedFrom.forEach((id, index) => {
		if (id === undefined) return;
		const started = Date.parse(executions[index].startedAt);
		firstStart.set(id, Math.min(started, firstStart.get(id) ?? Infinity));
	});
	const deliveredIds = new Set(attempts.filter((attempt) => attempt.success).map((attempt) => attempt.id));
	const latencies = [...firstStart]
		.map(([id, started]) => {
			const arrived = proxy.firstArrival.get(id);
			return arrived === undefined ? undefined : started - arrived;
		})
		.filter((latency): latency is number => latency !== undefined);
	return {
		deliveries: attempts.length,
		refused: attempts.filter((attempt) => !attempt.success).length,
		started: executions.length,
		lost: [...deliveredIds].filter((id) => !firstStart.has(id)).length,
		startedTwice: executions.length - firstStart.size,
		latencyP50: percentile(latencies, 0.5),
		latencyP95: percentile(latencies, 0.95),
	};
}

export async function runTriggerBench(): Promise<BenchResult> {
	const sandbox = await startHaloSandbox({ dataset: { tickets: TICKETS, clients: 10, assets: 10, softwarePerAsset: 1, actionsPerTicket: 1 } });
	const proxy = await startRecordingProxy();
	const workflow = triggerWorkflow(BENCH_OUR_CREDENTIAL, 'BenchTrigger0001');
	const peerWorkflow = peerTriggerWorkflow(PEER_PATH, PEER_BASIC_AUTH.ref, 'BenchWebhook0001');
	let n8n: BenchN8n | undefined;
	try {
		n8n = await startBenchN8n({
			sandbox,
			workflows: [workflow, peerWorkflow],
			credentials: [basicAuthCredentialJson(PEER_BASIC_AUTH.ref, PEER_BASIC_AUTH.user, PEER_BASIC_AUTH.password)],
			announcedWebhookBase: (port) => {
				proxy.targetPort = port;
				return `${proxy.url}/`;
			},
		});
		const ours = await waitForWebhookRegistration(sandbox, triggerWebhookId(workflow));
		await waitForTriggerEndpoint(n8n.instance.url, triggerWebhookId(workflow));
		await waitForWebhookEndpoint(n8n.instance.url, PEER_PATH);
		// The peer's Halo webhook, as an admin makes it: our trigger's events, Basic, full payloads.
		await registerHaloWebhook(sandbox, {
			name: 'n8n Webhook node (bench peer)',
			url: `${proxy.url}/webhook/${PEER_PATH}`,
			username: PEER_BASIC_AUTH.user,
			password: PEER_BASIC_AUTH.password,
			events: ours.events,
		});
		sandbox.reset();
		log(`trigger: ${EVENTS} events and ${Math.ceil(EVENTS / 9)} redeliveries to each of two webhooks`);
		const peerUrlPart = `/webhook/${PEER_PATH}`;
		const attempts = await deliverWithRepeats(sandbox, { events: EVENTS, ticketCount: TICKETS, webhookId: [triggerWebhookId(workflow), peerUrlPart] });
		const our = await figuresOf(n8n, proxy, workflow.id!, attempts.filter((attempt) => attempt.url.includes(triggerWebhookId(workflow))));
		const peer = await figuresOf(n8n, proxy, peerWorkflow.id!, attempts.filter((attempt) => attempt.url.includes(peerUrlPart)), PEER_TRIGGER_RECEIVER);

		const measure = (name: string, key: keyof ReceiverFigures, unit: string, limit?: string): Measure => ({
			measure: name,
			value: our[key],
			unit,
			peer: peer[key],
			...(limit ? { limit } : {}),
		});
		return {
			name: `trigger: ${our.deliveries} deliveries into a published workflow in a real n8n 2.41.1`,
			peer: 'n8n-nodes-base.webhook (POST, Basic Auth, respond immediately) with a Halo webhook made by hand; n8n-nodes-base.haloPSA has no trigger',
			measures: [
				measure('deliveries made (one in ten a repeat of an earlier id)', 'deliveries', '', `${EVENTS} events + ${Math.ceil(EVENTS / 9)} repeats`),
				measure('deliveries n8n did not accept (non-2xx)', 'refused', '', 'goal 0'),
				measure('executions started', 'started', '', `goal exactly ${EVENTS}`),
				measure('events delivered but never started (lost)', 'lost', '', 'goal 0'),
				measure('executions started twice for one delivery id', 'startedTwice', '', 'goal 0'),
				measure('delivery-to-start latency p50', 'latencyP50', 'ms'),
				measure('delivery-to-start latency p95', 'latencyP95', 'ms'),
			],
			notes: [
				"Both workflows are published in the same n8n; Halo (the sandbox) sends every event to both webhooks (ours registered first, so its copy of each event leaves first) and, per webhook, each delivery after the previous one was answered. Each webhook gets its own repeat of the same event of every ten. The two streams run at once, so each latency includes the other receiver's load (ours alone measured 67 ms p50 before the peer was added).",
				"The Webhook node starts an execution for every delivery, repeats included: it has no notion of Halo's delivery id. Our trigger answers as soon as it has accepted a delivery and starts nothing for an id it has seen.",
				"Latency = the first execution's startedAt (n8n's executions API) minus the millisecond the delivery id first reached a pass-through proxy in front of n8n; both clocks are this machine's. Both receivers' deliveries go through the one proxy.",
				"No batches here (Halo sends one event per POST in this run), so there is no items-per-execution figure.",
			],
		};
	} finally {
		await n8n?.stop();
		await proxy.stop();
		await sandbox.stop();
	}
}
