/**
 * Bench 1, tokens and requests: ONE real n8n 2.41.1 and ONE Halo sandbox; 100 executions of
 * "read a ticket, add a note" with our nodes, then 100 of the closest the built-in HaloPSA node
 * can do (read the ticket, update its details: it has no note/action operation). Each workflow
 * starts from a Webhook node hit by HTTP, one execution after the other. Token and API requests
 * are counted by the sandbox, reset between the two runs.
 */
import { startHaloSandbox, type HaloSandbox } from '../sandbox';
import {
	BENCH_OUR_CREDENTIAL,
	BENCH_PEER_CREDENTIAL,
	failureReasons,
	hitWebhook,
	oursReadAndNoteWorkflow,
	peerReadAndUpdateWorkflow,
	startBenchN8n,
	waitForExecutionsToSettle,
	type BenchN8n,
} from './real-n8n';
import { apiRequestCount, log, type BenchResult } from './support';

const EXECUTIONS = 100;
const TOKEN_LIFETIME_SECONDS = 3600;

interface RunCounts {
	failureReasons: string[];
	tokens: number;
	apiRequests: number;
	authRequests: number;
	succeeded: number;
	failedCalls: number;
	wallMs: number;
	tokenLimit: number;
}

async function measureRun(n8n: BenchN8n, sandbox: HaloSandbox, workflowId: string, webhookPath: string): Promise<RunCounts> {
	sandbox.reset();
	const started = performance.now();
	const failedCalls = await hitWebhook(n8n.instance.url, webhookPath, EXECUTIONS, (index) => index + 1);
	const wallMs = performance.now() - started;
	const stats = sandbox.stats();
	const executions = await waitForExecutionsToSettle(n8n.api, workflowId, 1000);
	const apiRequests = apiRequestCount(stats.requestsByRoute);
	return {
		failureReasons: await failureReasons(n8n.api, executions),
		tokens: stats.tokensIssued,
		apiRequests,
		authRequests: stats.requests - apiRequests,
		succeeded: executions.filter((execution) => execution.status === 'success').length,
		failedCalls,
		wallMs,
		// One token per started token lifetime is all a run physically needs.
		tokenLimit: Math.ceil(wallMs / 1000 / TOKEN_LIFETIME_SECONDS),
	};
}

export async function runN8nTokensBench(): Promise<BenchResult> {
	const sandbox = await startHaloSandbox({
		dataset: { tickets: EXECUTIONS, clients: 10, assets: 10, softwarePerAsset: 1, actionsPerTicket: 1 },
		tokenLifetimeSeconds: TOKEN_LIFETIME_SECONDS,
	});
	const ours = oursReadAndNoteWorkflow('bench-ours', BENCH_OUR_CREDENTIAL, 'BenchTokensOurs1');
	const peer = peerReadAndUpdateWorkflow('bench-peer', BENCH_PEER_CREDENTIAL, 'BenchTokensPeer1');
	let n8n: BenchN8n | undefined;
	try {
		n8n = await startBenchN8n({ sandbox, workflows: [ours, peer] });
		log(`tokens: ${EXECUTIONS} executions with our nodes`);
		const oursRun = await measureRun(n8n, sandbox, ours.id!, 'bench-ours');
		log(`tokens: ${EXECUTIONS} executions with the built-in HaloPSA node`);
		const peerRun = await measureRun(n8n, sandbox, peer.id!, 'bench-peer');
		for (const [who, run] of [['ours', oursRun], ['built-in', peerRun]] as const) {
			if (run.failedCalls > 0 || run.succeeded !== EXECUTIONS) {
				throw new Error(
					`${who}: ${run.failedCalls} webhook calls failed, ${run.succeeded}/${EXECUTIONS} executions succeeded\n${run.failureReasons.join('\n')}`,
				);
			}
		}
		const perExecution = (count: number) => Math.round((count / EXECUTIONS) * 100) / 100;
		return {
			name: `n8n tokens and requests: ${EXECUTIONS} executions of "read a ticket, add a note" in one real n8n 2.41.1`,
			peer: 'n8n-nodes-base.haloPSA: Ticket > Get, then Ticket > Update (details); it has no note operation',
			measures: [
				{ measure: 'executions that succeeded', value: oursRun.succeeded, unit: '', peer: peerRun.succeeded, limit: `goal ${EXECUTIONS}` },
				{
					measure: `token requests for ${EXECUTIONS} executions`,
					value: oursRun.tokens,
					unit: '',
					peer: peerRun.tokens,
					limit: `${oursRun.tokenLimit} (one per ${TOKEN_LIFETIME_SECONDS} s token lifetime)`,
				},
				{ measure: 'token requests per execution', value: perExecution(oursRun.tokens), unit: '', peer: perExecution(peerRun.tokens) },
				{ measure: 'API requests per execution', value: perExecution(oursRun.apiRequests), unit: '', peer: perExecution(peerRun.apiRequests), limit: '2 (one read, one write)' },
				{ measure: 'auth requests (token + discovery) in total', value: oursRun.authRequests, unit: '', peer: peerRun.authRequests },
				{ measure: `wall time for ${EXECUTIONS} executions, one after the other`, value: Math.round(oursRun.wallMs), unit: 'ms', peer: Math.round(peerRun.wallMs) },
			],
			notes: [
				'Both run in the same n8n process against the same sandbox, ours first; the sandbox\'s counters are reset between the two runs.',
				'The built-in node fetches a new token in every node execution (two per workflow execution here) and never reuses it; ours keeps the token in n8n\'s credential until Halo answers 401.',
				'The built-in node cannot add a note (Halo action); "update the ticket\'s details" is the closest write it has, one request like our note.',
				'Our note names its outcome (outcome ids differ between Halo tenants) and lets Halo resolve the name: no GET /Outcome, which is read only when Halo refuses a name.',
				'The built-in credential\'s hidden scope is set to "all", the scope ours uses (its default asks for "admin edit:tickets edit:customers").',
			],
		};
	} finally {
		await n8n?.stop();
		await sandbox.stop();
	}
}
