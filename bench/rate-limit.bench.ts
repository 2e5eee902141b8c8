/**
 * Bench 3, rate limit: the sandbox's rolling window scaled down from hosted Halo's 300 requests
 * per 5 minutes to 30 per 10 s, and a job of 300 ticket reads (one node run, 300 items, Continue
 * On Fail so every failure shows as an item). Failures (goal 0) and total time against the
 * shortest time the window allows for the job itself (300 reads and the token requests, not any
 * extra requests a client adds); then the built-in HaloPSA
 * node with the same job on a fresh window. Both in-process through the n8n-core harness.
 */
import type { INodeParameters } from 'n8n-workflow';

import { ensureRuntime } from '../scripts/n8n-env';
import { startHaloSandbox, type HaloSandbox } from '../sandbox';
import { locator, makeCredentials, runNode, type StoredCredential } from '../test/helpers/n8n-harness';
import { loadPeerNode, peerCredentials } from './peer-node';
import { log, type BenchResult } from './support';

const WINDOW = { limit: 30, windowMs: 10_000 };
const CALLS = 300;

interface JobOutcome {
	failures: number;
	wallMs: number;
	/** requests Halo let through (token and discovery requests count against the window too) */
	admitted: number;
	/** token requests Halo let through */
	tokenRequests: number;
	rejected: number;
}

/** The earliest the last of `requests` requests can pass a rolling window of `limit` per `windowMs`. */
const minimumMs = (requests: number) => Math.floor((requests - 1) / WINDOW.limit) * WINDOW.windowMs;

async function runJob(
	sandbox: HaloSandbox,
	parameters: INodeParameters,
	credentials: StoredCredential,
	nodeType?: ReturnType<typeof loadPeerNode>,
): Promise<JobOutcome> {
	sandbox.reset();
	sandbox.setRateLimit(WINDOW);
	const started = performance.now();
	const { items, error } = await runNode({
		parameters,
		credentials,
		nodeType,
		continueOnFail: true,
		inputItems: Array.from({ length: CALLS }, (_, index) => ({ ticketId: index + 1 })),
	});
	const wallMs = performance.now() - started;
	if (error) throw new Error(`the job stopped: ${error.message}`);
	if (items.length !== CALLS) throw new Error(`the job returned ${items.length} items for ${CALLS} calls`);
	const requests = sandbox.requests();
	return {
		failures: items.filter((item) => item.json.error !== undefined).length,
		wallMs,
		admitted: requests.filter((request) => request.status !== 429).length,
		tokenRequests: requests.filter((request) => request.path === '/auth/token' && request.status !== 429).length,
		rejected: requests.filter((request) => request.status === 429).length,
	};
}

export async function runRateLimitBench(): Promise<BenchResult> {
	const runtime = ensureRuntime(log);
	const sandbox = await startHaloSandbox({ dataset: { tickets: CALLS, clients: 10, assets: 10, softwarePerAsset: 1, actionsPerTicket: 1 } });
	try {
		log(`rate limit: ours, ${CALLS} ticket reads through ${WINDOW.limit} requests per ${WINDOW.windowMs / 1000} s`);
		const ours = await runJob(
			sandbox,
			{ resource: 'ticket', operation: 'get', ticketId: locator('={{ $json.ticketId }}') },
			makeCredentials(sandbox),
		);
		log('rate limit: the built-in HaloPSA node, same job, fresh window');
		const peer = await runJob(
			sandbox,
			{ resource: 'ticket', operation: 'get', ticketId: '={{ $json.ticketId }}', simplify: false },
			peerCredentials(sandbox),
			loadPeerNode(runtime.nodeModules),
		);
		const window = `${WINDOW.limit} req / ${WINDOW.windowMs / 1000} s`;
		// The job's own requests: every read once, plus the tokens. Requests a client adds on top (repeats) do
		// not lower the bar, so they cannot make a slow run look close to the minimum.
		const jobRequests = CALLS + ours.tokenRequests;
		return {
			name: `rate limit: ${CALLS} ticket reads through a window of ${window}`,
			peer: 'n8n-nodes-base.haloPSA (Ticket > Get, Continue On Fail)',
			measures: [
				{ measure: 'failed calls', value: ours.failures, unit: '', peer: peer.failures, limit: 'goal 0' },
				{ measure: 'requests Halo let through (incl. token)', value: ours.admitted, unit: 'req', peer: peer.admitted, limit: `${jobRequests} (${CALLS} reads + ${ours.tokenRequests} token)` },
				{ measure: '429 answers received', value: ours.rejected, unit: '', peer: peer.rejected },
				{ measure: 'total time', value: Math.round(ours.wallMs), unit: 'ms', peer: Math.round(peer.wallMs) },
				{
					measure: 'total time / minimum the window allows',
					value: Math.round((ours.wallMs / minimumMs(jobRequests)) * 100) / 100,
					unit: 'x',
					limit: `>= 1 (minimum ${minimumMs(jobRequests) / 1000} s for ${jobRequests} requests)`,
				},
			],
			notes: [
				'The window is hosted Halo\'s 300 requests per 5 minutes scaled down to 30 per 10 s; like Halo, the sandbox sends no Retry-After.',
				'The minimum is floor((300 reads + token requests - 1) / 30) x 10 s: the earliest a rolling window admits the last of the job\'s own requests.',
				'The built-in node does not retry a 429: every call after the window filled fails at once, which is why its total time is short.',
			],
		};
	} finally {
		await sandbox.stop();
	}
}
