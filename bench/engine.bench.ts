/**
 * Bench: the deployment planner (json-rules-engine once per distinct fact signature) against the
 * naive planner (json-rules-engine once per asset with the same rules) on 100k assets, 5k clients
 * and 50 policies from the seeded synthetic tenant.
 *
 * Each run is a fresh child process that builds the same snapshot, warms the JIT on a small
 * tenant, then plans once. Time is the planner call alone. Memory is the growth of the peak RSS
 * over the RSS just before the call (Linux: the peak is reset through /proc/self/clear_refs so
 * building the snapshot does not count), and the heap the finished plan keeps. Both planners'
 * answers are hashed (every asset's targeted flag per software, the summary and the
 * reconciliation) and must be equal; the table counts the targeted flags the digests cover.
 */
import { fork } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';

import type { DeploymentPlan } from '../engine';
import { normalizeSnapshot, planDeployments } from '../engine';
import { generateSyntheticPolicies, generateSyntheticSnapshot, planNaive } from '../engine/testing';
import { log, megabytes, percentile, type BenchResult } from './support';

const CHILD_FLAG = '--engine-child';
const TENANT = { seed: 42, clients: 5_000, assets: 100_000, policies: 50, date: '2025-06-15' };
const PLANNER_RUNS = 3;

type Contender = 'planner' | 'naive';

interface ChildOutcome {
	wallMs: number;
	peakRssGrowthBytes: number;
	retainedHeapBytes: number;
	answerDigest: string;
	/** targeted flags (one per asset and software) the digest covers */
	flags: number;
	assets: number;
	software: number;
	changes: number;
}

function readPeakRss(): number | undefined {
	try {
		const status = fs.readFileSync('/proc/self/status', 'utf8');
		const kilobytes = /VmHWM:\s+(\d+) kB/.exec(status)?.[1];
		return kilobytes ? Number(kilobytes) * 1024 : undefined;
	} catch {
		return undefined;
	}
}

/** Resets the kernel's peak-RSS mark to the current RSS (Linux); false where that is not possible. */
function resetPeakRss(): boolean {
	try {
		fs.writeFileSync('/proc/self/clear_refs', '5');
		return true;
	} catch {
		return false;
	}
}

/** The answer's sha256 and the number of targeted flags it hashed. */
function digest(plan: DeploymentPlan): { answerDigest: string; flags: number } {
	const hash = createHash('sha256');
	let flags = 0;
	for (const software of plan.software) {
		const vector = plan.targetedVector(software);
		hash.update(software).update(vector);
		flags += vector.length;
	}
	hash.update(JSON.stringify(plan.summary())).update(JSON.stringify(plan.reconciliation()));
	return { answerDigest: hash.digest('hex'), flags };
}

async function runChild(contender: Contender): Promise<void> {
	const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
	const plan = contender === 'planner' ? planDeployments : planNaive;
	const policies = generateSyntheticPolicies(TENANT);
	const warmUp = normalizeSnapshot(generateSyntheticSnapshot({ ...TENANT, clients: 50, assets: 1_000 }));
	await plan(warmUp, policies, { date: TENANT.date });
	const snapshot = normalizeSnapshot(generateSyntheticSnapshot(TENANT));
	gc();
	const heapBefore = process.memoryUsage().heapUsed;
	const rssBefore = process.memoryUsage().rss;
	const canReset = resetPeakRss();
	const started = performance.now();
	const result = await plan(snapshot, policies, { date: TENANT.date });
	const wallMs = performance.now() - started;
	const peak = (canReset ? readPeakRss() : undefined) ?? process.resourceUsage().maxRSS * 1024;
	gc();
	const retainedHeapBytes = Math.max(0, process.memoryUsage().heapUsed - heapBefore);
	const outcome: ChildOutcome = {
		wallMs,
		peakRssGrowthBytes: Math.max(0, peak - rssBefore),
		retainedHeapBytes,
		...digest(result),
		assets: result.assetCount,
		software: result.software.length,
		changes: [...result.changes()].length,
	};
	process.send!(outcome, () => process.exit(0));
}

function runInChild(contender: Contender): Promise<ChildOutcome> {
	return new Promise((resolve, reject) => {
		const child = fork(__filename, [CHILD_FLAG, contender], { execArgv: ['--expose-gc'] });
		let outcome: ChildOutcome | undefined;
		child.once('message', (message) => {
			outcome = message as ChildOutcome;
		});
		child.once('error', reject);
		child.once('exit', (code) => {
			if (outcome) resolve(outcome);
			else reject(new Error(`engine child (${contender}) exited with ${code} before reporting`));
		});
	});
}

export async function runEngineBench(): Promise<BenchResult> {
	const planner: ChildOutcome[] = [];
	for (let run = 1; run <= PLANNER_RUNS; run++) {
		log(`engine: planner on ${TENANT.assets} assets (${run}/${PLANNER_RUNS})`);
		planner.push(await runInChild('planner'));
	}
	log(`engine: naive per-asset planner on ${TENANT.assets} assets (this takes minutes)`);
	const naive = await runInChild('naive');
	for (const outcome of planner) {
		if (outcome.answerDigest !== naive.answerDigest) {
			throw new Error('The planner and the naive planner gave different answers on the same tenant and policies');
		}
	}
	// Equal digests: every targeted flag (software names and order included) is the naive planner's.
	const median = (pick: (outcome: ChildOutcome) => number) => percentile(planner.map(pick), 0.5);
	return {
		name: `engine: plan ${TENANT.assets / 1000}k assets, ${TENANT.clients / 1000}k clients, ${TENANT.policies} policies`,
		peer: 'planNaive: json-rules-engine run once per asset with the same rules',
		measures: [
			{
				measure: 'targeted flags equal to the naive planner\'s (worst of the runs)',
				value: Math.min(...planner.map((outcome) => outcome.flags)),
				unit: '',
				peer: naive.flags,
				limit: 'all equal',
			},
			{ measure: 'plan wall time', value: Math.round(median((outcome) => outcome.wallMs)), unit: 'ms', peer: Math.round(naive.wallMs), limit: 'about 1 s (2 cores)' },
			{ measure: 'peak memory (RSS growth during the plan)', value: megabytes(median((outcome) => outcome.peakRssGrowthBytes)), unit: 'MB', peer: megabytes(naive.peakRssGrowthBytes) },
			{ measure: 'heap kept by the finished plan', value: megabytes(median((outcome) => outcome.retainedHeapBytes)), unit: 'MB', peer: megabytes(naive.retainedHeapBytes) },
			{ measure: 'decisions (assets x software)', value: planner[0].assets * planner[0].software, unit: '', peer: naive.assets * naive.software },
			{ measure: 'changes (install + remove)', value: planner[0].changes, unit: '', peer: naive.changes },
		],
		notes: [
			`Seeded synthetic tenant (engine/synthetic.ts, seed ${TENANT.seed}): contracts in force, expired, future and flagged; recurring invoices with client-, contract- and asset-linked lines; assets on contracts through contract_id, contracts[] and the contracts' assets[]; installed software on every asset. Policies by contract type and recurring item, client-wide, asset- and contract-linked, with asset-type and client filters and exclusions on a per-asset warranty date.`,
			`Each run is a fresh child process, JIT warmed on a 1k-asset tenant first. The planner ran ${PLANNER_RUNS} times (medians); the naive planner once, as it takes minutes.`,
			'Snapshot building and normalising are not timed: both planners take the same normalised snapshot.',
			`Answer digests (sha256 of every targeted flag, the summary and the reconciliation): planner ${[...new Set(planner.map((outcome) => outcome.answerDigest.slice(0, 16)))].join(', ')}, naive ${naive.answerDigest.slice(0, 16)}.`,
		],
	};
}

if (process.argv[2] === CHILD_FLAG) {
	runChild(process.argv[3] as Contender).catch((error: unknown) => {
		process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
		process.exit(1);
	});
}
