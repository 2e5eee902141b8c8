import type { RuleProperties } from 'json-rules-engine';
import { Engine } from 'json-rules-engine';

import type { CoverageFacts, CoverageOptions, CoverageSet } from '../coverage';
import { computeCoverage } from '../coverage';
import type { AssetFacts, ClientFact, ContextFact, CoverageFact, SoftwareFact } from '../facts';
import { clientFact, coverageFact, resolvePath } from '../facts';
import { customOperators } from '../operators';
import { ruleConditions } from '../policy/compile';
import type { Policy } from '../policy/schema';
import { parsePolicies } from '../policy/schema';
import type { HaloAsset, Snapshot } from '../types';

export interface PlanOptions extends CoverageOptions {
	/** plan for assets Halo flags inactive too; default false */
	includeInactiveAssets?: boolean;
}

/** One software named by the policies, with the policies that decide it. */
export interface SoftwareTarget {
	name: string;
	key: string;
	deploy: number[];
	exclude: number[];
	/** lower-case fragments of installed names that mean the software is there */
	detect: string[];
}

export interface CoverageComponent {
	fact: CoverageFact;
	client: CoverageSet;
	asset: CoverageSet;
	contract: CoverageSet;
}

/**
 * Everything both planners share: validated policies and their rules, coverage for the day, and the
 * per-asset facts split into components that many assets share (client, coverage, software).
 */
export class PreparedPlan {
	readonly policies: Policy[];
	readonly rules: RuleProperties[];
	readonly coverage: CoverageFacts;
	readonly software: SoftwareTarget[];
	readonly assets: HaloAsset[];
	readonly context: ContextFact;
	readonly installedSoftwareKnown: boolean;

	readonly clients: ClientFact[] = [];
	readonly coverages: CoverageComponent[] = [];
	/** per asset (same order as `assets`): index into clients and coverages */
	readonly clientOf: Int32Array;
	readonly coverageOf: Int32Array;

	constructor(
		readonly snapshot: Snapshot,
		policies: unknown,
		readonly options: PlanOptions = {},
	) {
		this.policies = parsePolicies(policies);
		this.coverage = computeCoverage(snapshot, options);
		this.context = { date: this.coverage.date, timeZone: this.coverage.timeZone };
		this.rules = this.policies.map((policy, index) => ({
			name: String(index),
			conditions: ruleConditions(policy),
			event: { type: 'policy', params: { index } },
		}));
		this.software = groupBySoftware(this.policies);
		this.assets = options.includeInactiveAssets ? snapshot.assets : snapshot.assets.filter((asset) => !asset.inactive);
		this.installedSoftwareKnown = snapshot.installedSoftware !== undefined;

		this.clientOf = new Int32Array(this.assets.length);
		this.coverageOf = new Int32Array(this.assets.length);
		this.indexComponents();
	}

	private indexComponents(): void {
		const snapshotClients = new Map(this.snapshot.clients.map((client) => [client.id, client]));
		const clientIndex = new Map<number, number>();
		const coverageSetIndex = new Map<CoverageSet, number>();
		const coverageIndex = new Map<number, number>();
		/** (asset set, contract set) pairs, numbered so (client set, pair) fits one number too */
		const linkIndex = new Map<number, number>();
		const setIndex = (set: CoverageSet) => {
			let index = coverageSetIndex.get(set);
			if (index === undefined) {
				index = coverageSetIndex.size;
				coverageSetIndex.set(set, index);
			}
			return index;
		};
		// Coverage sets are few (one per client, one per distinct asset or contract link set), so a pair fits one number.
		const pairBase = 2 ** 26;

		this.assets.forEach((asset, assetIndex) => {
			let client = clientIndex.get(asset.clientId);
			if (client === undefined) {
				client = this.clients.length;
				this.clients.push(clientFact(snapshotClients.get(asset.clientId), asset));
				clientIndex.set(asset.clientId, client);
			}
			this.clientOf[assetIndex] = client;

			const clientSet = this.coverage.clientCoverage(asset.clientId);
			const assetSet = this.coverage.assetCoverage(asset);
			const contractSet = this.coverage.contractCoverage(asset);
			const linkKey = setIndex(assetSet) * pairBase + setIndex(contractSet);
			let link = linkIndex.get(linkKey);
			if (link === undefined) {
				link = linkIndex.size;
				linkIndex.set(linkKey, link);
			}
			const pairKey = setIndex(clientSet) * pairBase + link;
			let coverage = coverageIndex.get(pairKey);
			if (coverage === undefined) {
				coverage = this.coverages.length;
				this.coverages.push({
					fact: coverageFact(clientSet, assetSet, contractSet),
					client: clientSet,
					asset: assetSet,
					contract: contractSet,
				});
				coverageIndex.set(pairKey, coverage);
			}
			this.coverageOf[assetIndex] = coverage;
		});
	}

	/** The installed software of one asset as conditions see it (built on demand: most plans never read it). */
	softwareFactOf(assetIndex: number): SoftwareFact {
		if (!this.softwareKnownFor(this.assets[assetIndex].id)) return UNKNOWN_SOFTWARE;
		const installed = this.snapshot.installedSoftware?.get(this.assets[assetIndex].id) ?? [];
		return { known: true, names: [...new Set(installed.map((name) => name.toLowerCase()))].sort() };
	}

	/** Whether the installed software of the asset was read. */
	softwareKnownFor(assetId: number): boolean {
		const { installedSoftwareReadFor } = this.snapshot;
		return this.installedSoftwareKnown && (!installedSoftwareReadFor || installedSoftwareReadFor.has(assetId));
	}

	/**
	 * Per asset and target software: 0 installed software unknown, 1 not installed, 2 installed (an
	 * installed name contains one of the target's detect fragments). Index: asset * targets + target.
	 */
	installedStates(): Uint8Array {
		const targets = this.software.length;
		const states = new Uint8Array(this.assets.length * targets);
		if (!this.installedSoftwareKnown) return states;
		const detectedByName = new Map<string, number[]>();
		this.assets.forEach((asset, assetIndex) => {
			if (!this.softwareKnownFor(asset.id)) return;
			states.fill(1, assetIndex * targets, (assetIndex + 1) * targets);
			for (const installedName of this.snapshot.installedSoftware?.get(asset.id) ?? []) {
				let detected = detectedByName.get(installedName);
				if (!detected) {
					const name = installedName.toLowerCase();
					detected = this.software.flatMap((target, index) =>
						target.detect.some((fragment) => name.includes(fragment)) ? [index] : [],
					);
					detectedByName.set(installedName, detected);
				}
				for (const index of detected) states[assetIndex * targets + index] = 2;
			}
		});
		return states;
	}

	/** The facts json-rules-engine sees for one asset. */
	factsOf(assetIndex: number): AssetFacts {
		return {
			client: this.clients[this.clientOf[assetIndex]],
			asset: this.assets[assetIndex],
			coverage: this.coverages[this.coverageOf[assetIndex]].fact,
			software: this.softwareFactOf(assetIndex),
			context: this.context,
		};
	}

	/** An engine with the given rules and this plan's operators and path reader. */
	createEngine(rules: RuleProperties[]): Engine {
		const engine = new Engine(rules, { allowUndefinedFacts: true, pathResolver: resolvePath });
		for (const operator of customOperators(this.context.date, this.context.timeZone)) {
			engine.addOperator(operator.name, operator.evaluate);
		}
		return engine;
	}
}

const UNKNOWN_SOFTWARE: SoftwareFact = { known: false, names: [] };

function groupBySoftware(policies: Policy[]): SoftwareTarget[] {
	const targets = new Map<string, SoftwareTarget>();
	policies.forEach((policy, index) => {
		const key = policy.software.trim().toLowerCase();
		let target = targets.get(key);
		if (!target) {
			target = { name: policy.software.trim(), key, deploy: [], exclude: [], detect: [] };
			targets.set(key, target);
		}
		target[policy.effect].push(index);
		for (const name of policy.detect ?? [policy.software]) {
			const fragment = name.trim().toLowerCase();
			if (!target.detect.includes(fragment)) target.detect.push(fragment);
		}
	});
	return [...targets.values()];
}
