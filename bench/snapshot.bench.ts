/**
 * Bench, snapshot cost: what loading a deployment snapshot from Halo costs in requests and in time
 * under Halo's rate limit, for tenants of 1k, 10k and 100k assets. The Halo Deployment Targets node
 * loads the snapshot (clients, contracts, recurring invoices, items, assets and, asked for, every
 * asset's installed software) through the n8n-core harness, as it does in a workflow.
 *
 * Requests are counted by the sandbox without a limit (they do not depend on it). The goal: at most
 * ceil(rows/100) requests per list plus one per asset whose decision needs its software; with the
 * policies here (deploy only, no removal, no condition on installed software) those are the assets
 * some policy targets, counted from the same node's plan without software. The time under the
 * window is the least a rolling window admits that many requests in; one real run under the
 * scaled window (1k assets) shows what today's pacing and wait budget make of it.
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

interface Load {
	requests: number;
	byRoute: Record<string, number>;
	wallMs: number;
	error?: string;
	targetedAssets?: number;
}

async function load(sandbox: HaloSandbox, includeInstalledSoftware: boolean, output: 'software' | 'assets'): Promise<Load> {
	sandbox.reset();
	const started = performance.now();
	const { items, error } = await runNode({
		nodeType: new DeploymentTargets(),
		credentials: makeCredentials(sandbox),
		parameters: { dataSource: 'halo', ...POLICIES, includeInstalledSoftware, output, options: { planDate: PLAN_DAY, includeSummary: false } },
	});
	const wallMs = performance.now() - started;
	const stats = sandbox.stats();
	const targetedAssets =
		output === 'assets' ? items.filter((item) => ((item.json.targetedSoftware as string[] | undefined) ?? []).length > 0).length : undefined;
	return { requests: apiRequestCount(stats.requestsByRoute), byRoute: stats.requestsByRoute, wallMs, error: error?.message, targetedAssets };
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
			const plan = await load(sandbox, false, 'assets');
			log(`snapshot ${assets}: load with every asset's software (today's code)`);
			const full = await load(sandbox, true, 'software');
			for (const run of [plan, full]) if (run.error) throw new Error(`snapshot of ${assets} assets failed: ${run.error}`);
			const rows = listRows(sandbox);
			const listLimit = Object.values(rows).reduce((sum, count) => sum + Math.ceil(count / 100), 0);
			const goal = listLimit + plan.targetedAssets!;
			const software = full.byRoute['GET /api/assetsoftware'] ?? 0;
			const label = (text: string) => `${assets.toLocaleString('en-US')} assets: ${text}`;
			measures.push(
				{
					measure: label('requests, lists without software'),
					value: plan.requests,
					unit: 'req',
					limit: `${listLimit} (ceil(rows/100) per list: ${Object.entries(rows).map(([list, count]) => `${list} ${count}`).join(', ')})`,
				},
				{
					measure: label('requests with installed software (today: one per asset)'),
					value: full.requests,
					unit: 'req',
					limit: `goal ${goal} (lists + ${plan.targetedAssets} assets a policy targets); ratio ${(full.requests / goal).toFixed(2)}x; ${software} software requests`,
				},
				{
					measure: label('least time under hosted Halo\'s window (300 / 5 min)'),
					value: minutes(minimumMs(full.requests, HOSTED)),
					unit: 'min',
					limit: `at the goal: ${minutes(minimumMs(goal, HOSTED))} min`,
				},
				{
					measure: label('least time under the scaled window (30 / 10 s)'),
					value: minutes(minimumMs(full.requests, SCALED)),
					unit: 'min',
					limit: `at the goal: ${minutes(minimumMs(goal, SCALED))} min`,
				},
				{
					measure: label('wall time without a limit, with software'),
					value: Math.round(full.wallMs),
					unit: 'ms',
					limit: `lists only: ${Math.round(plan.wallMs)} ms`,
				},
			);
			if (assets === SIZES[0]) {
				log(`snapshot ${assets}: load with software under ${SCALED.limit} req / ${SCALED.windowMs / 1000} s`);
				sandbox.reset();
				sandbox.setRateLimit(SCALED);
				const started = performance.now();
				const { error } = await runNode({
					nodeType: new DeploymentTargets(),
					credentials: makeCredentials(sandbox),
					parameters: { dataSource: 'halo', ...POLICIES, includeInstalledSoftware: true, output: 'software', options: { planDate: PLAN_DAY, includeSummary: false } },
				});
				const wallMs = performance.now() - started;
				const requests = sandbox.requests();
				const admitted = requests.filter((request) => request.status !== 429).length;
				const rejected = requests.length - admitted;
				measures.push({
					measure: label(`load with software under the scaled window (default Max Rate-Limit Wait, 300 s per item): ${error ? 'FAILED' : 'done'} after`),
					value: Math.round(wallMs / 1000),
					unit: 's',
					limit: `least ${minimumMs(full.requests + 1, SCALED) / 1000} s; ${admitted} requests let through, ${rejected} answered 429${error ? `; error: ${error.message}` : ''}`,
				});
			}
		} finally {
			await sandbox.stop();
		}
	}
	return {
		name: 'snapshot: loading a deployment snapshot from Halo, 1k, 10k and 100k assets',
		measures,
		notes: [
			'Halo Deployment Targets node (dataSource HaloPSA, two form policies: Huntress on the workstations, servers and laptops of every client with a Managed Security contract, SentinelOne on the machines of a contract whose recurring invoice carries S1-CORE; deploy only, no removal) through the n8n-core harness against a generated sandbox tenant (assets/20 clients, 3 software per asset).',
			'Requests are counted without a rate limit. "Least time" is the earliest a rolling window admits the last of those requests (floor((requests - 1) / limit) x window); hosted Halo allows 300 requests per rolling 5 minutes.',
			'The goal counts ceil(rows/100) requests per list plus one software read per asset whose decision needs it: with deploy-only policies that test no installed software, the assets some policy targets (install or compliant turns on it). A removal policy adds the assets in its scope; a condition on software adds every asset its policy reaches.',
			'Halo documents no paged bulk read of installed software; GET /AssetSoftware?device_id= reads one asset\'s.',
		],
	};
}
