/**
 * Bench 5, trigger: 1,000 webhook deliveries from the sandbox into a published workflow with our
 * trigger in a real n8n 2.41.1; one delivery in ten is a redelivery of an earlier one with the same
 * id, as Halo retries. Executions started are counted from n8n's executions API (goal exactly 900),
 * every delivered event must have started one, and delivery-to-start latency is the execution's
 * startedAt minus the moment the delivery reached n8n's door.
 *
 * The sandbox's delivery log stamps attempts to the second, after n8n answered; so a small
 * recording proxy on 127.0.0.1 sits in front of n8n (n8n announces it as its webhook URL) and
 * notes, to the millisecond, when each delivery id first arrived before passing it on unchanged.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

import { startHaloSandbox } from '../sandbox';
import {
	BENCH_OUR_CREDENTIAL,
	deliverWithRepeats,
	deliveryIdsOf,
	startBenchN8n,
	triggerWebhookId,
	triggerWorkflow,
	waitForExecutionsToSettle,
	waitForTriggerEndpoint,
	waitForWebhookRegistration,
	type BenchN8n,
} from './real-n8n';
import { log, percentile, type BenchResult } from './support';

const EVENTS = 900;
const TICKETS = 100;

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

export async function runTriggerBench(): Promise<BenchResult> {
	const sandbox = await startHaloSandbox({ dataset: { tickets: TICKETS, clients: 10, assets: 10, softwarePerAsset: 1, actionsPerTicket: 1 } });
	const proxy = await startRecordingProxy();
	const workflow = triggerWorkflow(BENCH_OUR_CREDENTIAL, 'BenchTrigger0001');
	let n8n: BenchN8n | undefined;
	try {
		n8n = await startBenchN8n({
			sandbox,
			workflows: [workflow],
			announcedWebhookBase: (port) => {
				proxy.targetPort = port;
				return `${proxy.url}/`;
			},
		});
		await waitForWebhookRegistration(sandbox, triggerWebhookId(workflow));
		await waitForTriggerEndpoint(n8n.instance.url, triggerWebhookId(workflow));
		sandbox.reset();
		log(`trigger: ${EVENTS} events and ${Math.ceil(EVENTS / 9)} redeliveries`);
		const attempts = await deliverWithRepeats(sandbox, { events: EVENTS, ticketCount: TICKETS, webhookId: triggerWebhookId(workflow) });
		const executions = await waitForExecutionsToSettle(n8n.api, workflow.id!);
		log(`trigger: reading ${executions.length} executions`);
		const startedFrom = await deliveryIdsOf(n8n.api, executions);

		const deliveredIds = new Set(attempts.filter((attempt) => attempt.success).map((attempt) => attempt.id));
		const executionIds = new Set(startedFrom.filter((id): id is string => id !== undefined));
		const lost = [...deliveredIds].filter((id) => !executionIds.has(id)).length;
		const latencies = executions
			.map((execution, index) => {
				const arrived = proxy.firstArrival.get(startedFrom[index] ?? '');
				return arrived === undefined ? undefined : Date.parse(execution.startedAt) - arrived;
			})
			.filter((latency): latency is number => latency !== undefined);
		const noTrigger = 'n/a: no trigger node';
		return {
			name: `trigger: ${attempts.length} deliveries into a published workflow in a real n8n 2.41.1`,
			peer: 'n8n-nodes-base.haloPSA, which has no trigger (users poll or hand-build a Webhook node)',
			measures: [
				{ measure: 'deliveries made (one in ten a repeat of an earlier id)', value: attempts.length, unit: '', peer: noTrigger, limit: `${EVENTS} events + ${Math.ceil(EVENTS / 9)} repeats` },
				{ measure: 'deliveries n8n did not accept (non-2xx)', value: attempts.filter((attempt) => !attempt.success).length, unit: '', peer: noTrigger, limit: 'goal 0' },
				{ measure: 'executions started', value: executions.length, unit: '', peer: noTrigger, limit: `goal exactly ${EVENTS}` },
				{ measure: 'events delivered but never started (lost)', value: lost, unit: '', peer: noTrigger, limit: 'goal 0' },
				{ measure: 'executions started twice for one delivery id', value: executions.length - executionIds.size, unit: '', peer: noTrigger, limit: 'goal 0' },
				{ measure: 'delivery-to-start latency p50', value: percentile(latencies, 0.5), unit: 'ms', peer: noTrigger },
				{ measure: 'delivery-to-start latency p95', value: percentile(latencies, 0.95), unit: 'ms', peer: noTrigger },
			],
			notes: [
				'Halo (the sandbox) delivers one webhook\'s deliveries in order, each after the previous one was answered; our trigger answers as soon as it has accepted the delivery.',
				'Latency = the execution\'s startedAt (n8n\'s executions API) minus the millisecond the delivery reached a pass-through proxy in front of n8n; both clocks are this machine\'s.',
			],
		};
	} finally {
		await n8n?.stop();
		await proxy.stop();
		await sandbox.stop();
	}
}
