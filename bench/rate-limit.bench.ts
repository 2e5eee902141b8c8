/**
 * Bench 3, rate limit: the sandbox's rolling window scaled down from hosted Halo's 300 requests
 * per 5 minutes to 30 per 10 s, and from the 450 some tenants report to 45 per 10 s, and a job of
 * 300 ticket reads (one node run, 300 items, Continue On Fail so every failure shows as an item).
 * Failures (goal 0) and total time against the shortest time the window allows for the job itself
 * (300 reads and the token requests, not any extra requests a client adds; goal 1.1x), with a 429
 * that names the window (as Halo's does) and with one that does not; then the
 * built-in HaloPSA node with the same job on a fresh window. Both in-process through the n8n-core
 * harness.
 */
import type { INodeParameters } from 'n8n-workflow';

import { ensureRuntime } from '../scripts/n8n-env';
import { startHaloSandbox, type HaloSandbox } from '../sandbox';
import { locator, makeCredentials, runNode, type StoredCredential } from '../test/helpers/n8n-harness';
import { loadPeerNode, peerCredentials } from './peer-node';
import { log, type BenchResult, type Measure } from './support';
import { ESTIMATE_GROWTH, unannouncedRefusalBound } from '../halo-client';

/**
 * Hosted Halo's 300 per 5 minutes, and the 450 some tenants report, both scaled by 1/30 in time,
 * their 429 naming the window as Halo's does; then the first again with a 429 that names none, so
 * the pacer must estimate the window from its refusals.
 */
const WINDOWS = [
	{ limit: 30, windowMs: 10_000, announce: true, hosted: 'hosted 300 / 5 min' },
	{ limit: 45, windowMs: 10_000, announce: true, hosted: 'hosted 450 / 5 min' },
	{ limit: 30, windowMs: 10_000, announce: false, hosted: '429 names no window' },
];
type Window = (typeof WINDOWS)[number];
const CALLS = 300;
const PACING_GOAL = 1.1;

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
const minimumMs = (requests: number, window: Window) => Math.floor((requests - 1) / window.limit) * window.windowMs;

async function runJob(
	sandbox: HaloSandbox,
	window: Window,
	parameters: INodeParameters,
	credentials: StoredCredential,
	nodeType?: ReturnType<typeof loadPeerNode>,
): Promise<JobOutcome> {
	sandbox.reset();
	sandbox.setRateLimit({ limit: window.limit, windowMs: window.windowMs, announce: window.announce });
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

function measuresFor(window: Window, ours: JobOutcome, peer: JobOutcome): Measure[] {
	const label = (text: string) => `${window.limit} req / ${window.windowMs / 1000} s (${window.hosted}): ${text}`;
	// The job's own requests: every read once, plus the tokens. Requests a client adds on top (repeats) do
	// not lower the bar, so they cannot make a slow run look close to the minimum.
	const jobRequests = CALLS + ours.tokenRequests;
	const minimum = minimumMs(jobRequests, window);
	const paced = Math.round((ours.wallMs / minimum) * 100) / 100;
	return [
		{
			measure: label('total time / minimum the window allows'),
			value: paced,
			unit: 'x',
			limit: `goal <= ${PACING_GOAL}x (minimum ${minimum / 1000} s for ${jobRequests} requests)${paced > PACING_GOAL ? `; MISSED: ${window.announce ? 'paced slots came late' : 'the estimate\'s growth steps past the window and the refusals while estimating'}` : ''}`,
		},
		{ measure: label('failed calls'), value: ours.failures, unit: '', peer: peer.failures, limit: 'goal 0', better: 'lower' },
		{
			measure: label('requests Halo let through (incl. token)'),
			value: ours.admitted,
			unit: 'req',
			peer: peer.admitted,
			limit: `${jobRequests} (${CALLS} reads + ${ours.tokenRequests} token); the peer stops at the window`,
		},
		{
			measure: label('429 answers received'),
			value: ours.rejected,
			unit: '',
			peer: peer.rejected,
			limit: window.announce
				? '1 (the refusal that names the window), +2 for the token request and its discovery, which the nodes\' pacer does not see'
				: `at most ${2 + unannouncedRefusalBound(window.windowMs)}: the first, one per ${ESTIMATE_GROWTH}x growth of the estimate from 1 s, one per halving after the first admission, +2 for the unseen token request and its discovery`,
			better: 'lower',
		},
		{
			measure: label('total time'),
			value: Math.round(ours.wallMs),
			unit: 'ms',
			peer: Math.round(peer.wallMs),
			limit: `minimum ${minimum / 1000} s for the whole job; the peer fails ${peer.failures} calls instead of waiting`,
		},
	];
}

export async function runRateLimitBench(): Promise<BenchResult> {
	const runtime = ensureRuntime(log);
	const sandbox = await startHaloSandbox({ dataset: { tickets: CALLS, clients: 10, assets: 10, softwarePerAsset: 1, actionsPerTicket: 1 } });
	try {
		const measures: Measure[] = [];
		for (const window of WINDOWS) {
			log(`rate limit: ours, ${CALLS} ticket reads through ${window.limit} requests per ${window.windowMs / 1000} s`);
			const ours = await runJob(
				sandbox,
				window,
				{ resource: 'ticket', operation: 'get', ticketId: locator('={{ $json.ticketId }}') },
				// a credential per window (the sandbox ignores the tenant): the process's pacer keeps what it learned per credential
				makeCredentials(sandbox, { tenant: `window-${measures.length}` }),
			);
			log('rate limit: the built-in HaloPSA node, same job, fresh window');
			const peer = await runJob(
				sandbox,
				window,
				{ resource: 'ticket', operation: 'get', ticketId: '={{ $json.ticketId }}', simplify: false },
				peerCredentials(sandbox),
				loadPeerNode(runtime.nodeModules),
			);
			measures.push(...measuresFor(window, ours, peer));
		}
		return {
			name: `rate limit: ${CALLS} ticket reads through two rolling windows, announced and not`,
			peer: 'n8n-nodes-base.haloPSA (Ticket > Get, Continue On Fail)',
			measures,
			notes: [
				'The windows are hosted Halo\'s 300 requests per 5 minutes and the 450 some tenants report, scaled down to 30 and 45 per 10 s; like Halo, the sandbox sends no Retry-After, and its 429 says "Rate Limit Reached - N Requests per rolling M second window" (the third case: "Rate Limit Reached" alone).',
				`Ours sends freely until the first 429, learns the window from it (its text, or else the requests that passed before it and an estimate of the window that grows ${ESTIMATE_GROWTH}x past each refusal until a request is admitted, then is halved between the longest time refused and the shortest admitted, to within the 2% jitter margin), then sends each request when the window has room: one pacer per credential in the process, shared by every execution of the node (the credential's token request runs in n8n's copy of the credential, out of the pacer's sight).`,
				'The minimum is floor((300 reads + token requests - 1) / limit) x 10 s: the earliest a rolling window admits the last of the job\'s own requests.',
				'Ours runs first on each window, then the peer on a fresh one; each job starts from a fresh credential (ours fetches one token).',
				'The built-in node does not retry a 429: every call after the window filled fails at once, which is why its total time is short.',
			],
		};
	} finally {
		await sandbox.stop();
	}
}
