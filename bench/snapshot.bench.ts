/**
 * Bench, snapshot cost: what loading a deployment snapshot from Halo costs in requests and in time
 * under Halo's rate limit, for tenants of 1k, 10k and 100k assets. The Halo Deployment Targets node
 * loads the snapshot (clients, contracts, recurring invoices, items, assets and installed software)
 * through the n8n-core harness, as it does in a workflow: ours reads installed software for the
 * assets whose decisions need it (Installed Software Of: Assets a Decision Needs), the peer is the
 * same node reading every asset's (Every Asset: one request per asset, the only way before).
 *
 * Requests are counted by the sandbox without a limit (they do not depend on it). The goal: at most
 * ceil(rows/100) requests per list plus one per asset whose decision needs its software; with the
 * policies here (deploy only, no removal, no condition on installed software) those are the assets
 * some policy targets, counted from the same node's plan without software. The time under the
 * window is the least a rolling window admits that many requests in; real runs under the scaled
 * window show what the pacing and the default wait budget make of it.
 */
import type { INodeParameters } from 'n8n-workflow';

import { DeploymentTargets } from '../nodes/DeploymentTargets/DeploymentTargets.node';
import { startHaloSandbox, type HaloSandbox } from '../sandbox';
import { makeCredentials, runNode } from '../test/helpers/n8n-harness';
import { apiRequestCount, log, type BenchResult, type Measure } from './support';

const SIZES = [1_000, 10_000, 100_000];
/** Hosted Halo's window, and the rate-limit bench's scaled one. */
const HOSTED = { limit: 300, windowMs: 300_000 };
const SCALED = { limit: 30, windowMs: 10_000 };
const PLAN_DAY = '2025-06-15';

const POLICIES: INodeParameters = {
	formPolicies: {
		policy: [
			// The two kinds of rule the package is built for: by contract type, and by a recurring item on the contract.
			{ software: 'Huntress', coverageKind: 'contractType', contractTypes: 'Managed Security', coverageScope: 'client', assetTypes: 'Workstation, Server, Laptop' },
			{ software: 'SentinelOne', coverageKind: 'recurringItem', items: 'S1-CORE', coverageScope: 'contract' },
		],
	},
};

/** The earliest a rolling window of `limit` per `windowMs` admits the last of `requests` requests. */
const minimumMs = (requests: number, window: { limit: number; windowMs: number }) => Math.floor((requests - 1) / window.limit) * window.windowMs;

const minutes = (ms: number) => Math.round((ms / 60_000) * 10) / 10;

type SoftwareMode = 'none' | 'needed' | 'all';

interface Load {
	requests: number;
	byRoute: Record<string, number>;
	wallMs: number;
	error?: string;
	rows: Array<Record<string, unknown>>;
}

async function load(sandbox: HaloSandbox, software: SoftwareMode, output: 'changes' | 'assets'): Promise<Load> {
	sandbox.reset();
	const started = performance.now();
	const { items, error } = await runNode({
		nodeType: new DeploymentTargets(),
		credentials: makeCredentials(sandbox),
		parameters: {
			dataSource: 'halo',
			...POLICIES,
			includeInstalledSoftware: software !== 'none',
			installedSoftwareFor: software === 'all' ? 'all' : 'needed',
			output,
			options: { planDate: PLAN_DAY, includeSummary: false },
		},
	});
	const wallMs = performance.now() - started;
	const stats = sandbox.stats();
	return { requests: apiRequestCount(stats.requestsByRoute), byRoute: stats.requestsByRoute, wallMs, error: error?.message, rows: items.map((item) => item.json) };
}

/** One load under the scaled window with the node's default Max Rate-Limit Wait (300 s per item). */
async function loadUnderWindow(sandbox: HaloSandbox, software: 'needed' | 'all') {
	sandbox.reset();
	sandbox.setRateLimit(SCALED);
	const started = performance.now();
	const { error } = await runNode({
		nodeType: new DeploymentTargets(),
		// a credential of its own: the pacer (one per credential in the process) starts without the window
		credentials: makeCredentials(sandbox, { tenant: `snapshot-${software}-${sandbox.baseUrl}` }),
		parameters: { dataSource: 'halo', ...POLICIES, includeInstalledSoftware: true, installedSoftwareFor: software, output: 'changes', options: { planDate: PLAN_DAY, includeSummary: false } },
	});
	const seconds = Math.round((performance.now() - started) / 1000);
	const requests = sandbox.requests();
	const admitted = requests.filter((request) => request.status !== 429).length;
	sandbox.setRateLimit(false);
	return { seconds, admitted, refused: requests.length - admitted, error: error?.message };
}

/** The rows of each list the snapshot reads, from the sandbox's store. */
function listRows(sandbox: HaloSandbox): Record<string, number> {
	const { store } = sandbox.state;
	return {
		clients: store.clients.size,
		contracts: store.contracts.size,
		invoices: store.invoices.size,
		items: store.items.size,
		assets: store.assets.bucket('active', 1).length,
	};
}

export async function runSnapshotBench(): Promise<BenchResult> {
	const measures: Measure[] = [];
	for (const assets of SIZES) {
		log(`snapshot: generating ${assets} assets`);
		const sandbox = await startHaloSandbox({ dataset: { assets, clients: Math.max(10, assets / 20), softwarePerAsset: 3, tickets: 0, actionsPerTicket: 0 } });
		try {
			log(`snapshot ${assets}: plan without software (what needs software)`);
			const plan = await load(sandbox, 'none', 'assets');
			log(`snapshot ${assets}: software for the assets a decision needs (ours)`);
			const ours = await load(sandbox, 'needed', 'changes');
			log(`snapshot ${assets}: every asset's software (peer)`);
			const peer = await load(sandbox, 'all', 'changes');
			for (const run of [plan, ours, peer]) if (run.error) throw new Error(`snapshot of ${assets} assets failed: ${run.error}`);
			const rows = listRows(sandbox);
			const listLimit = Object.values(rows).reduce((sum, count) => sum + Math.ceil(count / 100), 0);
			const targeted = plan.rows.filter((row) => ((row.targetedSoftware as string[] | undefined) ?? []).length > 0).length;
			const goal = listLimit + targeted;
			const softwareReads = (run: Load) => run.byRoute['GET /api/assetsoftware'] ?? 0;
			const sameChanges = JSON.stringify(ours.rows) === JSON.stringify(peer.rows);
			const label = (text: string) => `${assets.toLocaleString('en-US')} assets: ${text}`;
			measures.push(
				{
					measure: label('requests'),
					value: ours.requests,
					peer: peer.requests,
					unit: 'req',
					better: 'lower',
					limit: `goal <= ${goal}: ${listLimit} for the lists (ceil(rows/100): ${Object.entries(rows).map(([list, count]) => `${list} ${count}`).join(', ')}) + ${targeted} assets a policy targets; software reads ${softwareReads(ours)} vs ${softwareReads(peer)}`,
				},
				{
					measure: label('installs and removals planned'),
					value: ours.rows.length,
					peer: peer.rows.length,
					unit: '',
					limit: `the same rows: ${sameChanges ? 'yes' : 'NO'}`,
				},
				...[
					{ name: 'hosted Halo\'s window (300 / 5 min)', window: HOSTED },
					{ name: 'the scaled window (30 / 10 s)', window: SCALED },
				].map(({ name, window }) => ({
					measure: label(`least time under ${name}`),
					value: minutes(minimumMs(ours.requests, window)),
					peer: minutes(minimumMs(peer.requests, window)),
					unit: 'min',
					better: 'lower' as const,
					limit: `at the goal: ${minutes(minimumMs(goal, window))} min`,
				})),
				{
					measure: label('wall time without a limit'),
					value: Math.round(ours.wallMs),
					peer: Math.round(peer.wallMs),
					unit: 'ms',
					better: 'lower',
					limit: `lists only: ${Math.round(plan.wallMs)} ms (ours plans twice: once from the lists to know what needs software)`,
				},
			);
			if (assets <= SIZES[1]) {
				log(`snapshot ${assets}: ours under ${SCALED.limit} req / ${SCALED.windowMs / 1000} s`);
				const paced = await loadUnderWindow(sandbox, 'needed');
				let peerRun: number | string = `not run: least ${minutes(minimumMs(peer.requests + 1, SCALED))} min`;
				let peerText = '';
				if (assets === SIZES[0]) {
					log(`snapshot ${assets}: peer under ${SCALED.limit} req / ${SCALED.windowMs / 1000} s`);
					const peerPaced = await loadUnderWindow(sandbox, 'all');
					peerRun = peerPaced.seconds;
					peerText = `; peer ${peerPaced.error ? 'FAILED' : 'done'}, ${peerPaced.admitted} let through, ${peerPaced.refused} answered 429${peerPaced.error ? ` (${peerPaced.error})` : ''}`;
				}
				const least = minimumMs(ours.requests + 1, SCALED) / 1000;
				measures.push({
					measure: label('load under the scaled window (default Max Rate-Limit Wait, 300 s per item)'),
					value: paced.seconds,
					peer: peerRun,
					unit: 's',
					better: 'lower',
					limit: `ours ${paced.error ? `FAILED (${paced.error})` : 'done'}, least ${least} s (${least > 0 ? (paced.seconds / least).toFixed(2) : '-'}x), ${paced.admitted} let through, ${paced.refused} answered 429${peerText}`,
				});
			}
		} finally {
			await sandbox.stop();
		}
	}
	return {
		name: 'snapshot: loading a deployment snapshot from Halo, 1k, 10k and 100k assets',
		peer: 'the same node reading every asset\'s installed software (Installed Software Of: Every Asset; one request per asset, the only way before)',
		measures,
		notes: [
			'Halo Deployment Targets node (dataSource HaloPSA, two form policies: Huntress on the workstations, servers and laptops of every client with a Managed Security contract, SentinelOne on the machines of a contract whose recurring invoice carries S1-CORE; deploy only, no removal) through the n8n-core harness against a generated sandbox tenant (assets/20 clients, 3 software per asset).',
			'Ours plans from the lists first, reads installed software for the assets whose decisions need it (targeted ones here; a removal policy adds the assets it reaches, a condition on software every asset its policy reaches), then plans again; installs, removals, reasons and licence pools are those of reading every asset\'s (test/engine/installedSoftwareNeeds.test.ts), the other assets\' decisions say unknown instead of compliant or unmanaged.',
			'Requests are counted without a rate limit. "Least time" is the earliest a rolling window admits the last of those requests (floor((requests - 1) / limit) x window); hosted Halo allows 300 requests per rolling 5 minutes. The 100k loads under a window are not run (ours: the least time above).',
			'Halo documents no paged bulk read of installed software; GET /AssetSoftware?device_id= reads one asset\'s.',
		],
	};
}
