import type { Engine } from 'json-rules-engine';

import type { CoverageKeys, CoverageScope, CoverageSource, InForceLine } from '../coverage';
import { coveragePath, ITEM_FIELDS } from '../coverage';
import { normalizeKey, POSITIVE_LIST_OPERATORS } from '../operators';
import { forEachLeaf } from '../policy/compile';
import type { PolicyEffect } from '../policy/schema';
import type { ConditionResultNode, PolicyOutcome } from './outcome';
import { isFactReference, projectionSpec } from './outcome';
import type { PreparedPlan, SoftwareTarget } from './prepare';

export type DeploymentAction = 'install' | 'remove' | 'compliant' | 'unmanaged' | 'unknown';

export type MatchedSource = CoverageSource & { scope: CoverageScope };

export interface DecisionReason {
	policyId: string;
	effect: PolicyEffect;
	/** why the policy counts for this asset, in words */
	note: string;
	/** the contracts and recurring lines whose keys the policy's conditions matched */
	matched: MatchedSource[];
}

export interface Decision {
	assetId: number;
	assetName: string;
	clientId: number;
	clientName: string;
	assetTypeId: number | null;
	assetTypeName: string;
	software: string;
	/** a deploy policy matched and no exclude policy did */
	targeted: boolean;
	/** null when the installed software of the asset is not known */
	installed: boolean | null;
	/**
	 * install: targeted, not installed. remove: installed, not targeted, and a policy asks for removal.
	 * compliant: installed exactly when targeted. unmanaged: installed without coverage, removal not asked.
	 * unknown: targeted or not, but the installed software is not known.
	 */
	action: DeploymentAction;
	reasons: DecisionReason[];
}

export interface SoftwareSummary {
	software: string;
	policies: string[];
	assets: number;
	targeted: number;
	notTargeted: number;
	install: number;
	remove: number;
	compliant: number;
	unmanaged: number;
	unknown: number;
	clientsTargeted: number;
}

/**
 * A licence pool: in-force lines billing the software and the targeted machines they pay for.
 * asset: the lines naming one asset, and that asset if targeted. contract: the lines without an asset
 * on the recurring invoices of one contract, and the client's targeted machines on that contract that
 * have no line of their own. client: the client's other lines, and its targeted machines no other
 * pool counts. A machine counts in one pool only (on several contracts: the lowest contract id).
 */
export interface ReconciliationRow {
	software: string;
	/** the client billed (a contract or asset pool: the client of its invoices) */
	clientId: number;
	clientName: string;
	scope: CoverageScope;
	/** the contract of a contract pool, else null and '' */
	contractId: number | null;
	contractRef: string;
	/** the asset of an asset pool, else null and '' */
	assetId: number | null;
	assetName: string;
	/** the recurring items the software's policies are keyed on */
	items: Array<string | number>;
	targetedAssets: number;
	billedQuantity: number;
	/** targeted assets minus billed quantity: positive means under-billed */
	difference: number;
	status: 'under-billed' | 'over-billed' | 'matched';
	/** lineId is null when Halo sent the line without an id */
	lines: Array<{ invoiceId: number; lineId: number | null; itemId: number | null; itemName: string; quantity: number }>;
}

export interface FailedCondition {
	/** where the condition sits in the policy: `conditions.all[0]`, `assetTypes`, `clients.exclude` */
	condition: string;
	fact: string;
	path: string;
	operator: string;
	value: unknown;
	/** the value the asset has at that path */
	actual: unknown;
	/** true when the condition held but sits under `not` */
	negated: boolean;
}

export interface PolicyExplanation {
	policyId: string;
	effect: PolicyEffect;
	fired: boolean;
	inScope: boolean;
	failed: FailedCondition[];
}

export interface WhyNotReport {
	assetId: number;
	software: string;
	targeted: boolean;
	action: DeploymentAction;
	/** one line per policy, readable without the rest of the report */
	summary: string[];
	policies: PolicyExplanation[];
}

const ACTION_CODES: DeploymentAction[] = ['unknown', 'install', 'remove', 'compliant', 'unmanaged'];

/** A {@link ReconciliationRow} while it is counted. */
type LicencePool = Pick<ReconciliationRow, 'clientId' | 'scope' | 'contractId' | 'contractRef' | 'assetId' | 'assetName' | 'lines'> & {
	targeted: number;
	billed: number;
};

export interface PlanClasses {
	/** per asset: its class (assets in a class have equal client, coverage and seen facts) */
	classOf: Int32Array;
	/** per class: an asset of it */
	representative: Int32Array;
	/** per policy, per class: 1 when the policy fired */
	fired: Uint8Array[];
	/** per policy, per class: 1 when the asset is within the policy's filters */
	inScope: Uint8Array[];
	outcome(policyIndex: number, classIndex: number): PolicyOutcome;
}

/** Per-class fired and in-scope flags from per-class outcome numbers and the outcomes they name. */
export function outcomeFlags(outcomeIds: Int32Array, outcomes: PolicyOutcome[]): { fired: Uint8Array; inScope: Uint8Array } {
	const firedById = Uint8Array.from(outcomes, (outcome) => (outcome.fired ? 1 : 0));
	const inScopeById = Uint8Array.from(outcomes, (outcome) => (outcome.inScope ? 1 : 0));
	const fired = new Uint8Array(outcomeIds.length);
	const inScope = new Uint8Array(outcomeIds.length);
	for (let index = 0; index < outcomeIds.length; index++) {
		fired[index] = firedById[outcomeIds[index]];
		inScope[index] = inScopeById[outcomeIds[index]];
	}
	return { fired, inScope };
}

/**
 * The plan: per asset and software, targeted or not, the action and its reasons. Stored per class
 * (assets that share an answer) and expanded on demand, so 100k assets x 50 policies stay small.
 */
export class DeploymentPlan {
	readonly date: string;
	readonly timeZone: string;
	readonly warnings: string[];
	readonly installedSoftwareKnown: boolean;
	readonly software: string[];

	private readonly targetedByClass: Uint8Array[];
	private readonly removalByClass: Uint8Array[];
	/** see PreparedPlan.installedStates */
	private readonly installed: Uint8Array;
	private readonly assetIndexById = new Map<number, number>();
	private readonly policyEngines = new Map<number, Engine>();

	constructor(
		private readonly prepared: PreparedPlan,
		private readonly classes: PlanClasses,
	) {
		this.date = prepared.context.date;
		this.timeZone = prepared.context.timeZone;
		this.warnings = [...prepared.coverage.warnings];
		this.installedSoftwareKnown = prepared.installedSoftwareKnown;
		this.software = prepared.software.map((target) => target.name);
		prepared.assets.forEach((asset, index) => this.assetIndexById.set(asset.id, index));

		const classCount = classes.representative.length;
		this.targetedByClass = prepared.software.map(() => new Uint8Array(classCount));
		this.removalByClass = prepared.software.map(() => new Uint8Array(classCount));
		this.installed = prepared.installedStates();
		prepared.software.forEach((target, softwareIndex) => {
			const deployed = new Uint8Array(classCount);
			const excluded = new Uint8Array(classCount);
			const removal = new Uint8Array(classCount);
			const merge = (into: Uint8Array, from: Uint8Array) => {
				for (let classIndex = 0; classIndex < classCount; classIndex++) into[classIndex] |= from[classIndex];
			};
			for (const policy of target.deploy) {
				merge(deployed, classes.fired[policy]);
				if (prepared.policies[policy].removeWhenCoverageEnds) merge(removal, classes.inScope[policy]);
			}
			for (const policy of target.exclude) {
				merge(excluded, classes.fired[policy]);
				if (prepared.policies[policy].removeWhenCoverageEnds) merge(removal, classes.fired[policy]);
			}
			const targeted = this.targetedByClass[softwareIndex];
			for (let classIndex = 0; classIndex < classCount; classIndex++) {
				targeted[classIndex] = deployed[classIndex] & (excluded[classIndex] ^ 1);
				this.removalByClass[softwareIndex][classIndex] = removal[classIndex] & (targeted[classIndex] ^ 1);
			}
		});
	}

	get assetCount(): number {
		return this.prepared.assets.length;
	}

	get clientCount(): number {
		return this.prepared.clients.length;
	}

	get policyCount(): number {
		return this.prepared.policies.length;
	}

	private removers(target: SoftwareTarget, classIndex: number): number[] {
		const { policies } = this.prepared;
		return [
			...target.deploy.filter((policy) => policies[policy].removeWhenCoverageEnds && this.classes.inScope[policy][classIndex]),
			...target.exclude.filter((policy) => policies[policy].removeWhenCoverageEnds && this.classes.fired[policy][classIndex]),
		];
	}

	/** 0 unknown, 1 not installed, 2 installed */
	private installedState(softwareIndex: number, assetIndex: number): number {
		return this.installed[assetIndex * this.prepared.software.length + softwareIndex];
	}

	private actionCode(softwareIndex: number, assetIndex: number): number {
		const classIndex = this.classes.classOf[assetIndex];
		const installed = this.installedState(softwareIndex, assetIndex);
		if (installed === 0) return 0;
		if (this.targetedByClass[softwareIndex][classIndex]) return installed === 2 ? 3 : 1;
		if (installed === 1) return 3;
		return this.removalByClass[softwareIndex][classIndex] ? 2 : 4;
	}

	private softwareIndexOf(software: string): number {
		return this.prepared.software.findIndex((target) => target.key === software.trim().toLowerCase());
	}

	private matchedSources(assetIndex: number, outcome: PolicyOutcome): MatchedSource[] {
		const coverage = this.prepared.coverages[this.prepared.coverageOf[assetIndex]];
		// a set makes one source object per contract or line it holds, so identity tells them apart (ids may be missing)
		const seen = new Set<CoverageSource>();
		const sources: MatchedSource[] = [];
		for (const entry of outcome.matched) {
			const set = coverage[entry.scope];
			for (const key of entry.keys) {
				for (const source of set.sourcesOf(entry.field, key)) {
					if (seen.has(source)) continue;
					seen.add(source);
					sources.push({ ...source, scope: entry.scope });
				}
			}
		}
		return sources;
	}

	private decisionAt(softwareIndex: number, assetIndex: number): Decision {
		const { prepared, classes } = this;
		const target = prepared.software[softwareIndex];
		const asset = prepared.assets[assetIndex];
		const client = prepared.clients[prepared.clientOf[assetIndex]];
		const classIndex = classes.classOf[assetIndex];
		const action = ACTION_CODES[this.actionCode(softwareIndex, assetIndex)];
		const installed = this.installedState(softwareIndex, assetIndex);
		const reason = (policy: number, note: string): DecisionReason => ({
			policyId: prepared.policies[policy].id,
			effect: prepared.policies[policy].effect,
			note,
			matched: this.matchedSources(assetIndex, classes.outcome(policy, classIndex)),
		});
		const reasons = [
			...target.deploy
				.filter((policy) => classes.outcome(policy, classIndex).fired)
				.map((policy) => reason(policy, 'covered: the deploy conditions match')),
			...target.exclude
				.filter((policy) => classes.outcome(policy, classIndex).fired)
				.map((policy) => reason(policy, 'excluded: an exclude policy matches, and exclude wins over deploy')),
		];
		if (action === 'remove') {
			for (const policy of this.removers(target, classIndex)) {
				reasons.push({
					policyId: prepared.policies[policy].id,
					effect: prepared.policies[policy].effect,
					note:
						prepared.policies[policy].effect === 'deploy'
							? 'removal: in the policy scope but no longer covered (removeWhenCoverageEnds)'
							: 'removal: excluded (removeWhenCoverageEnds)',
					matched: [],
				});
			}
		}
		return {
			assetId: asset.id,
			assetName: asset.name,
			clientId: client.id,
			clientName: client.name,
			assetTypeId: asset.typeId,
			assetTypeName: asset.typeName,
			software: target.name,
			targeted: this.targetedByClass[softwareIndex][classIndex] === 1,
			installed: installed === 0 ? null : installed === 2,
			action,
			reasons,
		};
	}

	/** The decision for one asset and software, or undefined when either is not in the plan. */
	decision(assetId: number, software: string): Decision | undefined {
		const assetIndex = this.assetIndexById.get(assetId);
		const softwareIndex = this.softwareIndexOf(software);
		return assetIndex === undefined || softwareIndex < 0 ? undefined : this.decisionAt(softwareIndex, assetIndex);
	}

	decisionsForAsset(assetId: number): Decision[] {
		const assetIndex = this.assetIndexById.get(assetId);
		if (assetIndex === undefined) return [];
		return this.prepared.software.map((_, softwareIndex) => this.decisionAt(softwareIndex, assetIndex));
	}

	/** Every asset x software decision, asset by asset. */
	*decisions(): IterableIterator<Decision> {
		for (let assetIndex = 0; assetIndex < this.prepared.assets.length; assetIndex++) {
			for (let softwareIndex = 0; softwareIndex < this.prepared.software.length; softwareIndex++) {
				yield this.decisionAt(softwareIndex, assetIndex);
			}
		}
	}

	/** The installs and removals, asset by asset. */
	*changes(): IterableIterator<Decision> {
		for (let assetIndex = 0; assetIndex < this.prepared.assets.length; assetIndex++) {
			for (let softwareIndex = 0; softwareIndex < this.prepared.software.length; softwareIndex++) {
				const code = this.actionCode(softwareIndex, assetIndex);
				if (code === 1 || code === 2) yield this.decisionAt(softwareIndex, assetIndex);
			}
		}
	}

	/**
	 * The ids of the assets whose decisions depend on their installed software: those targeted for
	 * some software (install or compliant), those a removal policy reaches (remove or not), and those in
	 * the scope of a policy whose conditions read `software`. Every other asset is targeted for nothing
	 * and has no removal asked, whatever is installed: its software can only tell compliant from
	 * unmanaged. Read on a plan without installed software, it names the assets to read it for; a
	 * plan with it read for those gives every one of them, and every targeted flag, reason, install,
	 * removal and licence pool, as reading it for all would.
	 */
	assetsNeedingInstalledSoftware(): number[] {
		const { prepared, classes } = this;
		const classCount = classes.representative.length;
		const needed = new Uint8Array(classCount);
		prepared.software.forEach((_, softwareIndex) => {
			const targeted = this.targetedByClass[softwareIndex];
			const removal = this.removalByClass[softwareIndex];
			for (let classIndex = 0; classIndex < classCount; classIndex++) needed[classIndex] |= targeted[classIndex] | removal[classIndex];
		});
		// the scope filters read asset and client only, so a policy's scope does not depend on the software
		prepared.rules.forEach((rule, policyIndex) => {
			if (!projectionSpec(rule.conditions as ConditionResultNode).has('software')) return;
			const inScope = classes.inScope[policyIndex];
			for (let classIndex = 0; classIndex < classCount; classIndex++) needed[classIndex] |= inScope[classIndex];
		});
		const assetIds: number[] = [];
		prepared.assets.forEach((asset, assetIndex) => {
			if (needed[classes.classOf[assetIndex]]) assetIds.push(asset.id);
		});
		return assetIds;
	}

	/** Per asset: targeted (1) or not (0), for one software; compact, for comparisons and counting. */
	targetedVector(software: string): Uint8Array {
		const softwareIndex = this.softwareIndexOf(software);
		const vector = new Uint8Array(this.prepared.assets.length);
		if (softwareIndex < 0) return vector;
		const targeted = this.targetedByClass[softwareIndex];
		for (let assetIndex = 0; assetIndex < vector.length; assetIndex++) {
			vector[assetIndex] = targeted[this.classes.classOf[assetIndex]];
		}
		return vector;
	}

	summary(): SoftwareSummary[] {
		return this.prepared.software.map((target, softwareIndex) => {
			const counts = [0, 0, 0, 0, 0];
			const clients = new Set<number>();
			let targeted = 0;
			for (let assetIndex = 0; assetIndex < this.prepared.assets.length; assetIndex++) {
				counts[this.actionCode(softwareIndex, assetIndex)]++;
				if (this.targetedByClass[softwareIndex][this.classes.classOf[assetIndex]]) {
					targeted++;
					clients.add(this.prepared.clientOf[assetIndex]);
				}
			}
			return {
				software: target.name,
				policies: [...target.deploy, ...target.exclude].map((policy) => this.prepared.policies[policy].id),
				assets: this.prepared.assets.length,
				targeted,
				notTargeted: this.prepared.assets.length - targeted,
				unknown: counts[0],
				install: counts[1],
				remove: counts[2],
				compliant: counts[3],
				unmanaged: counts[4],
				clientsTargeted: clients.size,
			};
		});
	}

	/**
	 * For software whose deploy policies are keyed on recurring items: per licence pool (see
	 * {@link ReconciliationRow}), targeted assets against the quantity billed on in-force lines of those items.
	 */
	reconciliation(): ReconciliationRow[] {
		const rows: ReconciliationRow[] = [];
		const { prepared } = this;
		const clientNames = new Map(prepared.clients.map((client) => [client.id, client.name]));
		for (const client of prepared.snapshot.clients) if (!clientNames.has(client.id)) clientNames.set(client.id, client.name);
		let assetNames: Map<number, string> | undefined;
		const assetName = (assetId: number) => (assetNames ??= new Map(prepared.snapshot.assets.map((asset) => [asset.id, asset.name]))).get(assetId) ?? '';

		prepared.software.forEach((target, softwareIndex) => {
			// the item keys the deploy policies grant the software on, per item list; `not` branches grant nothing
			const items = new Map<string, string | number>();
			const wanted = new Map<keyof CoverageKeys, Set<string>>();
			for (const policy of target.deploy) {
				forEachLeaf(prepared.policies[policy].conditions, 'conditions', (leaf, _path, negated) => {
					const field = coveragePath(leaf.path)?.field;
					if (negated || leaf.fact !== 'coverage' || !field || !ITEM_FIELDS.has(field)) return;
					if (!POSITIVE_LIST_OPERATORS.has(leaf.operator) || isFactReference(leaf.value)) return;
					const keys = wanted.get(field) ?? new Set<string>();
					wanted.set(field, keys);
					for (const value of Array.isArray(leaf.value) ? leaf.value : [leaf.value]) {
						if (typeof value === 'boolean') continue;
						keys.add(normalizeKey(value));
						items.set(normalizeKey(value), value);
					}
				});
			}
			if (items.size === 0) return;
			const wantedLists = [...wanted];
			const billsTheSoftware = ({ itemKeys }: InForceLine) =>
				wantedLists.some(([field, values]) => itemKeys[field as keyof typeof itemKeys].some((key) => values.has(normalizeKey(key))));

			const pools = new Map<string, LicencePool>();
			const poolAt = (key: string, make: () => Omit<LicencePool, 'targeted' | 'billed' | 'lines'>) => {
				let pool = pools.get(key);
				if (!pool) {
					pool = { ...make(), targeted: 0, billed: 0, lines: [] };
					pools.set(key, pool);
				}
				return pool;
			};
			const clientPool = (clientId: number) =>
				poolAt(`client:${clientId}`, () => ({ clientId, scope: 'client', contractId: null, contractRef: '', assetId: null, assetName: '' }));
			const contractPoolKey = (clientId: number, contractId: number) => `contract:${clientId}:${contractId}`;
			const assetPoolKey = (assetId: number) => `asset:${assetId}`;

			for (const inForce of prepared.coverage.inForceLines) {
				if (!billsTheSoftware(inForce)) continue;
				const { line, invoice, item, contracts } = inForce;
				const { clientId } = invoice;
				const pool =
					line.assetId !== null
						? poolAt(assetPoolKey(line.assetId), () => ({ clientId, scope: 'asset', contractId: null, contractRef: '', assetId: line.assetId, assetName: assetName(line.assetId as number) }))
						: contracts.length > 0
							? poolAt(contractPoolKey(clientId, contracts[0].id), () => ({ clientId, scope: 'contract', contractId: contracts[0].id, contractRef: contracts[0].ref, assetId: null, assetName: '' }))
							: clientPool(clientId);
				pool.billed += line.quantity;
				pool.lines.push({ invoiceId: invoice.id, lineId: line.id, itemId: line.itemId, itemName: item?.name || line.itemName, quantity: line.quantity });
			}

			// Where a targeted machine counts, decided once per coverage component (it fixes the client too):
			// its own line (an asset set holds only lines naming its asset), else its contract's (lowest
			// contract id), else its client's. The first two pools exist: the same lines made them above.
			const countsIn = new Map<number, 'asset' | 'client' | string>();
			const poolOf = (component: number, assetId: number, clientId: number): LicencePool => {
				let where = countsIn.get(component);
				if (where === undefined) {
					const coverage = prepared.coverages[component];
					const contractIds = coverage.contract.lines.filter(billsTheSoftware).map((entry) => entry.contracts[0].id);
					where = coverage.asset.lines.some(billsTheSoftware) ? 'asset' : contractIds.length > 0 ? contractPoolKey(clientId, Math.min(...contractIds)) : 'client';
					countsIn.set(component, where);
				}
				if (where === 'client') return clientPool(clientId);
				return pools.get(where === 'asset' ? assetPoolKey(assetId) : where) as LicencePool;
			};
			const targeted = this.targetedByClass[softwareIndex];
			for (let assetIndex = 0; assetIndex < prepared.assets.length; assetIndex++) {
				if (!targeted[this.classes.classOf[assetIndex]]) continue;
				const clientId = prepared.clients[prepared.clientOf[assetIndex]].id;
				poolOf(prepared.coverageOf[assetIndex], prepared.assets[assetIndex].id, clientId).targeted++;
			}

			const scopeOrder: Record<CoverageScope, number> = { client: 0, contract: 1, asset: 2 };
			const ordered = [...pools.values()].sort(
				(a, b) => a.clientId - b.clientId || scopeOrder[a.scope] - scopeOrder[b.scope] || (a.contractId ?? 0) - (b.contractId ?? 0) || (a.assetId ?? 0) - (b.assetId ?? 0),
			);
			for (const pool of ordered) {
				const difference = pool.targeted - pool.billed;
				rows.push({
					software: target.name,
					clientId: pool.clientId,
					clientName: clientNames.get(pool.clientId) ?? '',
					scope: pool.scope,
					contractId: pool.contractId,
					contractRef: pool.contractRef,
					assetId: pool.assetId,
					assetName: pool.assetName,
					items: [...items.values()],
					targetedAssets: pool.targeted,
					billedQuantity: pool.billed,
					difference,
					status: difference > 0 ? 'under-billed' : difference < 0 ? 'over-billed' : 'matched',
					lines: pool.lines,
				});
			}
		});
		return rows;
	}

	/** Why an asset is (not) targeted for a software: every policy for it and the conditions that failed. */
	async whyNot(assetId: number, software: string): Promise<WhyNotReport | undefined> {
		const assetIndex = this.assetIndexById.get(assetId);
		const softwareIndex = this.softwareIndexOf(software);
		if (assetIndex === undefined || softwareIndex < 0) return undefined;
		const target = this.prepared.software[softwareIndex];
		const facts = this.prepared.factsOf(assetIndex);
		const policies: PolicyExplanation[] = [];
		for (const policyIndex of [...target.deploy, ...target.exclude]) {
			let engine = this.policyEngines.get(policyIndex);
			if (!engine) {
				engine = this.prepared.createEngine([this.prepared.rules[policyIndex]]);
				this.policyEngines.set(policyIndex, engine);
			}
			const { results, failureResults } = await engine.run(facts);
			const [result] = [...results, ...failureResults];
			const [scope, conditions] = (result.conditions as ConditionResultNode).all ?? [];
			const failed: FailedCondition[] = [];
			collectFailures(scope, false, failed);
			collectFailures(conditions, false, failed);
			const policy = this.prepared.policies[policyIndex];
			policies.push({
				policyId: policy.id,
				effect: policy.effect,
				fired: result.result === true,
				inScope: scope?.result === true,
				failed: result.result === true ? [] : failed,
			});
		}
		const decision = this.decisionAt(softwareIndex, assetIndex);
		return {
			assetId,
			software: target.name,
			targeted: decision.targeted,
			action: decision.action,
			summary: policies.map(describeExplanation),
			policies,
		};
	}
}

function collectFailures(node: ConditionResultNode | undefined, negated: boolean, into: FailedCondition[]): void {
	if (!node) return;
	if (node.all) node.all.forEach((child) => collectFailures(child, negated, into));
	else if (node.any) node.any.forEach((child) => collectFailures(child, negated, into));
	else if (node.not) collectFailures(node.not, !negated, into);
	else if (node.fact && node.result !== undefined && node.result === negated) {
		into.push({
			condition: node.name ?? '',
			fact: node.fact,
			path: node.path ?? '$',
			operator: node.operator ?? '',
			value: node.value,
			actual: node.factResult,
			negated,
		});
	}
}

function describeExplanation(explanation: PolicyExplanation): string {
	const verb = explanation.effect === 'deploy' ? 'deploys' : 'excludes';
	if (explanation.fired) return `${explanation.policyId} ${verb}: all its conditions hold`;
	const failed = explanation.failed
		.map(
			(condition) =>
				`${condition.condition}: ${condition.fact} ${condition.path} ${condition.negated ? 'must not satisfy' : ''}${
					condition.negated ? ' ' : ''
				}${condition.operator} ${JSON.stringify(condition.value)} (actual ${JSON.stringify(condition.actual) ?? 'nothing'})`,
		)
		.join('; ');
	return `${explanation.policyId} does not apply${explanation.inScope ? '' : ' (asset out of scope)'}: ${failed}`;
}
