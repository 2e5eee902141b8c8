/**
 * Bench 2, listing: Return All of 10k tickets and of 100k assets from one sandbox. Requests
 * (limit ceil(N/100): Halo caps pages at 100 rows), wall time and peak memory, ours against
 * n8n's built-in HaloPSA node where it has a list (tickets; it has no asset resource).
 *
 * Both nodes run in-process through n8n-core's WorkflowExecute (test/helpers/n8n-harness.ts;
 * the built-in is loaded from the n8n runtime's node_modules, see bench/peer-node.ts). Each case
 * runs in a fresh child process so its peak memory is its own: the growth of the child's peak
 * RSS over its RSS just before the node started (the sandbox stays in the parent). The goal rows
 * measure the listing after one identical warm-up execution per contender (Limit 1), as a running
 * n8n sees it; further rows measure it as the first execution of a fresh process.
 */
import { fork } from 'node:child_process';
import { getHeapSpaceStatistics } from 'node:v8';

import { ensureRuntime } from '../scripts/n8n-env';
import { startHaloSandbox } from '../sandbox';
import { apiRequestCount, log, megabytes, percentile, type BenchResult, type Measure } from './support';

const median = (values: number[]) => percentile(values, 0.5);

const CHILD_FLAG = '--listing-child';
const TICKETS = 10_000;
const ASSETS = 100_000;
/** Runs per ticket case: enough for the middle half of the runs to show a difference of a few per cent. */
const REPETITIONS = 9;
/** Runs of the asset listing, which has no peer to resolve a difference against. */
const ASSET_REPETITIONS = 3;
const WARMED_UP = 'warmed-up';
/** Why ours sends one request more than the peer on the first call in a fresh process. */
const FIRST_CALL_REASON =
	'before its first token ours asks Halo where its auth server is (GET /api/authinfo, once per token fetch), as its credential leaves the Authorisation Server URL empty; the peer\'s credential names its auth URL';
/** Where ours' CPU time is the higher: the price of reading answers as they arrive. */
const STREAMED_CPU_REASON =
	'ours reads each answer from n8n\'s response stream, decoding each chunk as it comes, which costs n8n\'s HTTP layer more CPU than its own buffered reading (about 10% for the same 100 pages with axios alone); it is what lets the response buffers die young (the RSS rows)';
/** Where ours' JS heap peak is the higher: the text of the answers lives in the heap, not outside it. */
const STREAMED_HEAP_REASON =
	'ours decodes each answer\'s text into the JS heap as it arrives, where n8n\'s own reading holds the bytes in buffers outside the heap until it parses them; the total, outside the heap included, is the RSS row';
/** Where ours' RSS growth is the higher: what it is made of (the rows below the goal rows). */
const STEADY_RSS_REASON =
	'the RSS growth is not the rows (they fit in old space the process already had: see the old-space row) but response text and buffers not yet collected and the young generation\'s growth (the rows "of the RSS"), which V8\'s collection timing decides';
/** Where ours trails on a part of the RSS. */
const RSS_PART_REASON =
	'ours decodes the answers\' text into the JS heap as it arrives (young generation, some of it promoted to old space) instead of holding it in buffers outside the heap (the external row): less in total, the RSS row';

type Who = 'ours' | 'peer';
/** The measures each run reports and the summary takes medians and quartiles of. */
const KEYS = ['wallMs', 'cpuMs', 'peakRssGrowthBytes', 'peakHeapGrowthBytes', 'externalGrowthBytes', 'newSpaceGrowthBytes', 'oldSpaceGrowthBytes'] as const;
type Key = (typeof KEYS)[number];
type Resource = 'ticket' | 'asset';

interface ChildJob {
	who: Who;
	resource: Resource;
	sandbox: { baseUrl: string; clientId: string; clientSecret: string };
	runtimeNodeModules: string;
	/** run the contender's node once with Limit 1 on the same resource before the measured run */
	warmUp: boolean;
}

interface ChildOutcome {
	rows: number;
	distinctIds: number;
	wallMs: number;
	/** the child's CPU time (user and system) over the node run: its own work, less shaken by other load than wall time */
	cpuMs: number;
	peakRssGrowthBytes: number;
	/** the JS heap's peak over its size before the node started, sampled every 2 ms */
	peakHeapGrowthBytes: number;
	/** memory outside the JS heap (buffers) held at the end over before the run: response bodies not yet collected */
	externalGrowthBytes: number;
	/** growth of the committed pages of the JS heap's young generation, and of its old space, over the run */
	newSpaceGrowthBytes: number;
	oldSpaceGrowthBytes: number;
	error?: string;
}

interface CaseOutcome extends ChildOutcome {
	/** API requests, the auth-server look-up (GET /api/authinfo) left out */
	requests: number;
	/** every request the sandbox answered: API, auth-server look-up and token */
	allRequests: number;
	tokenRequests: number;
	/** the middle half of the runs (first and third quartile) of wall time and memory: the run-to-run spread */
	spread?: Record<Key, [number, number]>;
}

/** Return All, or only the first row (the warm-up) when `limit` is given. */
function nodeParameters(who: Who, resource: Resource, limit?: number) {
	const amount = limit === undefined ? { returnAll: true } : { returnAll: false, limit };
	if (who === 'peer') return { resource, operation: 'getAll', ...amount, simplify: false, filters: {} };
	// Inactive assets too: the count must be every row the sandbox holds.
	const filters = resource === 'asset' ? { includeInactive: true } : {};
	return { resource, operation: 'getMany', ...amount, simplify: false, filters };
}

/** Runs in the child: one Return All, timed, with the process's peak RSS around it. */
async function runChild(job: ChildJob): Promise<void> {
	// Loaded here so the parent (which only serves the sandbox) never pays for n8n-core.
	const { makeCredentials, runNode } = await import('../test/helpers/n8n-harness');
	const { loadPeerNode, peerCredentials } = await import('./peer-node');
	const { HaloPsa } = await import('../nodes/HaloPsa/HaloPsa.node');
	// Every child loads and makes both nodes before the baseline (n8n makes its node instances once, when
	// it loads them), so both contenders run in the same process state: loading the built-in's module
	// alone adds about 18 MB to the JS heap's reserved size, room a run then fills without new RSS.
	const peerNode = loadPeerNode(job.runtimeNodeModules);
	const ourNode = new HaloPsa();
	const nodeType = job.who === 'peer' ? peerNode : ourNode;
	const credentials = job.who === 'peer' ? peerCredentials(job.sandbox) : makeCredentials(job.sandbox);
	if (job.warmUp) {
		const warmUp = await runNode({ parameters: nodeParameters(job.who, job.resource, 1), credentials, nodeType });
		if (warmUp.error || warmUp.items.length !== 1) throw new Error(`warm-up failed: ${warmUp.error?.message ?? `${warmUp.items.length} rows`}`);
		// The parent clears the sandbox's counters, so the requests counted are the measured run's alone.
		await new Promise<void>((resolve) => {
			process.once('message', () => resolve());
			process.send!(WARMED_UP);
		});
	}
	(globalThis as { gc?: () => void }).gc?.();
	const baseline = process.memoryUsage();
	const spacesBefore = getHeapSpaceStatistics();
	// The process's lifetime peak RSS so far (loading modules, the warm-up): a run that stays below it
	// leaves it unchanged, so the run's own peak is sampled too.
	const lifetimePeakRssBefore = process.resourceUsage().maxRSS * 1024;
	let peakHeap = baseline.heapUsed;
	let sampledPeakRss = baseline.rss;
	const sampler = setInterval(() => {
		const now = process.memoryUsage();
		peakHeap = Math.max(peakHeap, now.heapUsed);
		sampledPeakRss = Math.max(sampledPeakRss, now.rss);
	}, 2);
	const cpuBefore = process.cpuUsage();
	const started = performance.now();
	const { items, error } = await runNode({ parameters: nodeParameters(job.who, job.resource), credentials, nodeType });
	const wallMs = performance.now() - started;
	const cpu = process.cpuUsage(cpuBefore);
	clearInterval(sampler);
	const after = process.memoryUsage();
	peakHeap = Math.max(peakHeap, after.heapUsed);
	const lifetimePeakRssAfter = process.resourceUsage().maxRSS * 1024;
	// A new lifetime peak was set by the run (exact); otherwise the run's peak is the highest sample.
	const peakRss = Math.max(sampledPeakRss, after.rss, lifetimePeakRssAfter > lifetimePeakRssBefore ? lifetimePeakRssAfter : 0);
	// Where the RSS went: the JS heap's spaces as the OS sees them (committed pages touched), and the
	// memory outside the heap still held at the end (response buffers not yet collected).
	const spacesAfter = getHeapSpaceStatistics();
	const spaceGrowth = (name: string) => {
		const index = spacesAfter.findIndex((space) => space.space_name === name);
		return index < 0 ? 0 : Math.max(0, spacesAfter[index].physical_space_size - spacesBefore[index].physical_space_size);
	};
	const baselineRss = baseline.rss;
	const outcome: ChildOutcome = {
		rows: items.length,
		distinctIds: new Set(items.map((item) => item.json.id)).size,
		wallMs,
		cpuMs: (cpu.user + cpu.system) / 1000,
		peakRssGrowthBytes: Math.max(0, peakRss - baselineRss),
		peakHeapGrowthBytes: Math.max(0, peakHeap - baseline.heapUsed),
		externalGrowthBytes: Math.max(0, after.external - baseline.external),
		newSpaceGrowthBytes: spaceGrowth('new_space'),
		oldSpaceGrowthBytes: spaceGrowth('old_space'),
		error: error ? String(error.message) : undefined,
	};
	process.send!(outcome, () => process.exit(0));
}

/** Runs `job` in a fresh child; `afterWarmUp` runs in the parent between the warm-up and the measured run. */
/** Child flags for tracing a case by hand, e.g. LISTING_CHILD_FLAGS="--cpu-prof --cpu-prof-dir=/tmp/prof". */
function extraChildFlags(): string[] {
	return (process.env.LISTING_CHILD_FLAGS ?? '').split(' ').filter(Boolean);
}

function runInChild(job: ChildJob, afterWarmUp: () => void): Promise<ChildOutcome> {
	return new Promise((resolve, reject) => {
		const child = fork(__filename, [CHILD_FLAG, JSON.stringify(job)], { execArgv: ['--expose-gc', ...extraChildFlags()] });
		let outcome: ChildOutcome | undefined;
		child.on('message', (message) => {
			if (message === WARMED_UP) {
				afterWarmUp();
				child.send('go');
			} else outcome = message as ChildOutcome;
		});
		child.once('error', reject);
		child.once('exit', (code) => {
			if (outcome) resolve(outcome);
			else reject(new Error(`listing child (${job.who} ${job.resource}) exited with ${code} before reporting`));
		});
	});
}

export async function runListingBench(): Promise<BenchResult> {
	const runtime = ensureRuntime(log);
	log(`listing: generating ${TICKETS} tickets and ${ASSETS} assets`);
	const sandbox = await startHaloSandbox({
		dataset: { tickets: TICKETS, assets: ASSETS, clients: 500, softwarePerAsset: 1, actionsPerTicket: 1 },
	});
	try {
		const runCase = async (who: Who, resource: Resource, warmUp: boolean): Promise<CaseOutcome> => {
			sandbox.reset();
			const outcome = await runInChild(
				{
					who,
					resource,
					sandbox: { baseUrl: sandbox.baseUrl, clientId: sandbox.clientId, clientSecret: sandbox.clientSecret },
					runtimeNodeModules: runtime.nodeModules,
					warmUp,
				},
				() => sandbox.reset(),
			);
			if (outcome.error) throw new Error(`${who} Return All ${resource}s failed: ${outcome.error}`);
			const stats = sandbox.stats();
			return { ...outcome, requests: apiRequestCount(stats.requestsByRoute), allRequests: stats.requests, tokenRequests: stats.tokensIssued };
		};
		/** Alternates the contenders REPETITIONS times; times and memory are the medians, counts must not vary. */
		const repeated = async (resource: Resource, contenders: Who[], warmUp: boolean, repetitions = REPETITIONS): Promise<Partial<Record<Who, CaseOutcome>>> => {
			const outcomes: Record<Who, CaseOutcome[]> = { ours: [], peer: [] };
			const setting = warmUp ? 'after a warm-up' : 'first call';
			for (let repetition = 1; repetition <= repetitions; repetition++) {
				// Who goes first alternates, so neither always follows the other's load on the sandbox.
				for (const who of repetition % 2 ? contenders : [...contenders].reverse()) {
					log(`listing: ${who} Return All ${resource}s, ${setting} (${repetition}/${repetitions})`);
					outcomes[who].push(await runCase(who, resource, warmUp));
				}
			}
			const summary = (runs: CaseOutcome[]): CaseOutcome => {
				for (const run of runs) {
					if (run.allRequests !== runs[0].allRequests || run.distinctIds !== runs[0].distinctIds) {
						throw new Error(`${resource} listing counts varied between repetitions: ${JSON.stringify(runs)}`);
					}
				}
				const range = (values: number[]): [number, number] => [percentile(values, 0.25), percentile(values, 0.75)];
				const medians = Object.fromEntries(KEYS.map((key) => [key, median(runs.map((run) => run[key]))])) as Record<Key, number>;
				const spread = Object.fromEntries(KEYS.map((key) => [key, range(runs.map((run) => run[key]))])) as Record<Key, [number, number]>;
				return { ...runs[0], ...medians, spread };
			};
			return Object.fromEntries(contenders.map((who) => [who, summary(outcomes[who])]));
		};
		const steady = await repeated('ticket', ['ours', 'peer'], true);
		const firstCall = await repeated('ticket', ['ours', 'peer'], false);
		const oursAssets = (await repeated('asset', ['ours'], true, ASSET_REPETITIONS)).ours!;

		const noAssetList = 'n/a: no asset resource';
		/** Side by side, with both contenders' run-to-run spread; `goal` says whether the row has a goal (the issue's: <= 1.0x the peer's wall time and peak memory). */
		const sideBySide = (cases: Partial<Record<Who, CaseOutcome>>, setting: string, measure: string, key: Key, unit: 'ms' | 'MB', goal: string, reason?: string): Measure => {
			const ours = cases.ours!;
			const peer = cases.peer!;
			const shown = (bytesOrMs: number) => (unit === 'MB' ? megabytes(bytesOrMs) : Math.round(bytesOrMs));
			const [oursLow, oursHigh] = ours.spread![key];
			const [peerLow, peerHigh] = peer.spread![key];
			const overlapping = oursLow <= peerHigh && peerLow <= oursHigh;
			const trailsBecause = overlapping
				? `the middle halves of the runs overlap: not a difference this bench can resolve${reason ? `; what costs ours: ${reason}` : ''}`
				: reason;
			return {
				measure: `${TICKETS} tickets, ${setting}: ${measure}`,
				value: shown(ours[key]),
				unit,
				peer: shown(peer[key]),
				limit: `${goal}; middle half of runs: ours ${shown(oursLow)}-${shown(oursHigh)}, peer ${shown(peerLow)}-${shown(peerHigh)} ${unit}`,
				better: 'lower',
				trailsBecause,
			};
		};
		const STEADY = 'after a warm-up';
		const GOAL = 'goal <= 1.0x';
		const NO_GOAL = 'no goal';
		const FIRST = 'first call in a fresh process';
		const firstCallRows: Measure[] = [
			{
				measure: `${TICKETS} tickets, ${FIRST}: requests, token and auth-server look-up included`,
				value: firstCall.ours!.allRequests,
				unit: 'req',
				peer: firstCall.peer!.allRequests,
				limit: `${Math.ceil(TICKETS / 100)} pages + 1 token${firstCall.ours!.allRequests > firstCall.peer!.allRequests ? ' + 1 look-up (ours)' : ''}`,
				better: 'lower',
				trailsBecause: firstCall.ours!.allRequests > firstCall.peer!.allRequests ? FIRST_CALL_REASON : undefined,
			},
			sideBySide(firstCall, FIRST, 'wall time', 'wallMs', 'ms', NO_GOAL, `one request more: ${FIRST_CALL_REASON}`),
			sideBySide(firstCall, FIRST, 'CPU time of the n8n process', 'cpuMs', 'ms', NO_GOAL, `one request more (${FIRST_CALL_REASON}); and ${STREAMED_CPU_REASON}`),
			sideBySide(firstCall, FIRST, 'peak memory (RSS growth)', 'peakRssGrowthBytes', 'MB', NO_GOAL, STEADY_RSS_REASON),
			sideBySide(firstCall, FIRST, 'peak JS heap growth (sampled every 2 ms)', 'peakHeapGrowthBytes', 'MB', NO_GOAL, STREAMED_HEAP_REASON),
		];
		const oursTrails = (row: Measure) => typeof row.peer === 'number' && typeof row.value === 'number' && row.value > row.peer;
		const steadyRows: Measure[] = [
			{ measure: `${TICKETS} tickets: rows returned (distinct ids)`, value: steady.ours!.distinctIds, unit: 'rows', peer: steady.peer!.distinctIds, limit: `${TICKETS}`, better: 'higher' },
			{ measure: `${TICKETS} tickets: API requests`, value: steady.ours!.requests, unit: 'req', peer: steady.peer!.requests, limit: `${Math.ceil(TICKETS / 100)} (ceil(N/100))`, better: 'lower' },
			{ measure: `${TICKETS} tickets, ${STEADY}: token requests`, value: steady.ours!.tokenRequests, unit: 'req', peer: steady.peer!.tokenRequests, limit: '0 while the kept token is valid', better: 'lower' },
			sideBySide(steady, STEADY, 'wall time', 'wallMs', 'ms', GOAL),
			sideBySide(steady, STEADY, 'CPU time of the n8n process', 'cpuMs', 'ms', 'no goal of its own (the time goal is wall time)', STREAMED_CPU_REASON),
			sideBySide(steady, STEADY, 'peak memory (RSS growth)', 'peakRssGrowthBytes', 'MB', GOAL, STEADY_RSS_REASON),
			sideBySide(steady, STEADY, 'peak JS heap growth (sampled every 2 ms)', 'peakHeapGrowthBytes', 'MB', 'no goal of its own (the peak memory goal is the RSS row: the process as the machine sees it)', STREAMED_HEAP_REASON),
			// What the RSS growth is made of: no goal, they explain the RSS row.
			sideBySide(steady, STEADY, 'of the RSS, buffers outside the JS heap still held at the end (response bodies not yet collected)', 'externalGrowthBytes', 'MB', NO_GOAL, RSS_PART_REASON),
			sideBySide(steady, STEADY, 'of the RSS, growth of the JS heap\'s young generation (committed pages)', 'newSpaceGrowthBytes', 'MB', NO_GOAL, RSS_PART_REASON),
			sideBySide(steady, STEADY, 'of the RSS, growth of the JS heap\'s old space (committed pages; where the rows live)', 'oldSpaceGrowthBytes', 'MB', NO_GOAL, RSS_PART_REASON),
		];
		const measures: Measure[] = [
			// Where ours trails on the first call, those rows come first, with their reason.
			...(firstCallRows.some(oursTrails) ? firstCallRows : []),
			...steadyRows,
			...(firstCallRows.some(oursTrails) ? [] : firstCallRows),
			{ measure: `${ASSETS} assets: rows returned (distinct ids)`, value: oursAssets.distinctIds, unit: 'rows', peer: noAssetList, limit: `${ASSETS}` },
			{ measure: `${ASSETS} assets: API requests`, value: oursAssets.requests, unit: 'req', peer: noAssetList, limit: `${Math.ceil(ASSETS / 100)} (ceil(N/100))` },
			{ measure: `${ASSETS} assets, ${STEADY}: wall time`, value: Math.round(oursAssets.wallMs), unit: 'ms', peer: noAssetList, limit: 'as today (no peer)' },
			{ measure: `${ASSETS} assets, ${STEADY}: CPU time of the n8n process`, value: Math.round(oursAssets.cpuMs), unit: 'ms', peer: noAssetList, limit: 'as today (no peer)' },
			{ measure: `${ASSETS} assets, ${STEADY}: peak memory (RSS growth)`, value: megabytes(oursAssets.peakRssGrowthBytes), unit: 'MB', peer: noAssetList, limit: 'as today (no peer)' },
		];
		return {
			name: 'listing: Return All',
			peer: 'n8n-nodes-base.haloPSA (Ticket > Get Many, Return All)',
			measures,
			notes: [
				'Both nodes run in-process through n8n-core\'s WorkflowExecute (the test harness); the built-in node class is loaded from the n8n 2.41.1 runtime\'s node_modules. Every child loads and makes both node instances before the measurement starts (n8n makes them once, when it loads its nodes), so both run in the same process state: loading the built-in\'s module alone grows the JS heap\'s reserved size by about 18 MB, room a run then fills without new RSS (before, only the peer\'s child had it, and ours showed 1.27x the peer\'s RSS growth with a lower JS heap growth).',
				`Goal rows ("after a warm-up"): each contender's child first runs its own node once with Limit 1 on tickets (the same warm-up for both), then the sandbox's counters are cleared and Return All is measured: the listing as a running n8n sees it. "First call in a fresh process" rows measure Return All as the child's first execution, with every lazy initialisation (n8n's request helpers, the first token, compiling the code path) in it.`,
				`Each ticket case runs ${REPETITIONS} times (the asset listing ${ASSET_REPETITIONS}), ours and the peer taking turns (who goes first alternates), each time in a fresh child process; times and memory are medians, the limit column shows the middle half of each contender's runs (first to third quartile), and a difference counts only where those do not overlap. Peak memory is its peak RSS (or its JS heap, sampled every 2 ms) minus the same just before the node started, with every row held as an n8n item at the end.`,
				'Peak memory (RSS) is the highest of: the RSS sampled every 2 ms, the RSS at the end, and the process\'s lifetime peak RSS when the run raised it (a peak set earlier, while loading modules or during the warm-up, does not count). The three rows "of the RSS" say what it is made of. The rows themselves fit in old space the process already had. The peer reads every answer through n8n\'s own buffered reading (axios collects the body\'s chunks and parses them at the end), whose buffers outlive the answer until V8\'s next full collection: about 8.7 MB of them are still held at the end of 100 pages. Ours asks n8n for the answer as a stream and decodes each chunk the moment it comes, so the buffers die young (0.1 to 0.4 MB at the end); the text then lives in the JS heap until the page is parsed, which is why its JS heap peak and young generation are a little higher and its RSS lower.',
				'Measured here and not kept: one copy of each repeated text across a list\'s rows (client, site, user names, dates) halved the JS heap the 10k rows keep (7.4 to 3.5 MB, measured apart) and cut our peak JS heap growth to 0.83x the peer\'s, but left the RSS growth at 1.12x and raised the CPU time to 1.11x (with n8n\'s buffered reading, before the streamed one), since the rows\' memory was never what grew the RSS.',
				'Ours keeps its token between executions as n8n keeps it in the credential; the built-in fetches a new token at every execution (its token requests row after the warm-up).',
				'CPU time is the n8n process\'s (the child\'s) user and system time over the run: the work the node makes n8n do, which the machine\'s other load shakes less than wall time.',
				'Wall time: once page 1 has given the total, ours asks for each next page while the one before it is on its way (two requests open at most), so the sandbox (in the parent process) serves one page while the node reads the last; the peer asks one page at a time. A CPU profile of the children (with n8n\'s buffered reading) showed our own code (request loop, pacer, transport, pager) at under 10 ms of a run; the rest is n8n\'s request helpers (axios), sockets and n8n-core. LISTING_CHILD_FLAGS passes flags (e.g. "--cpu-prof") to the children.',
				'In the harness a credential read is an in-memory copy; in a real n8n each is a database read and a decryption (about 3 ms measured in the n8n-tokens setting). Ours reads the credential once per execution; the peer once per page for its API URL.',
				'The built-in HaloPSA node has no asset resource, so it cannot list assets at all.',
			],
		};
	} finally {
		await sandbox.stop();
	}
}

if (process.argv[2] === CHILD_FLAG) {
	runChild(JSON.parse(process.argv[3]) as ChildJob).catch((error) => {
		process.stderr.write(`${(error as Error).stack ?? error}\n`);
		process.exit(1);
	});
}
