import type { RuleResult } from 'json-rules-engine';

import type { FactName } from '../facts';
import { resolvePath } from '../facts';
import type { Snapshot } from '../types';
import type { ConditionResultNode, FactPaths, PolicyOutcome, ProjectionSpec } from './outcome';
import { outcomeOf, project, projectionSpec } from './outcome';
import type { PlanOptions } from './prepare';
import { PreparedPlan } from './prepare';
import { DeploymentPlan, outcomeFlags } from './result';

/** Interns texts as small numbers. */
class Interner {
	private readonly ids = new Map<string, number>();

	id(text: string): number {
		let id = this.ids.get(text);
		if (id === undefined) {
			id = this.ids.size;
			this.ids.set(text, id);
		}
		return id;
	}

	get size(): number {
		return this.ids.size;
	}
}

function mergeSpecs(specs: ProjectionSpec[], fact: FactName): ProjectionSpec {
	const merged: ProjectionSpec = new Map();
	for (const spec of specs) {
		for (const [path, projection] of spec.get(fact) ?? []) {
			const paths = merged.get(fact) ?? new Map();
			merged.set(fact, paths);
			const into = paths.get(path) ?? { full: false, keys: new Set<string>() };
			into.full ||= projection.full;
			for (const key of projection.keys) into.keys.add(key);
			paths.set(path, into);
		}
	}
	return merged;
}

/** A spec as text, to share work between policies that read the same paths for the same values. */
function pathsText(paths: FactPaths | undefined): string {
	return JSON.stringify([...(paths ?? [])].map(([path, projection]) => [path, projection.full, [...projection.keys].sort()]));
}

function specText(spec: ProjectionSpec): string {
	return [...spec.keys()]
		.sort()
		.map((fact) => `${fact}\u0003${pathsText(spec.get(fact))}`)
		.join('\u0004');
}

/** Projects each of `values` through `paths`, then numbers the distinct projections. */
function projectionIds(values: readonly unknown[], paths: FactPaths | undefined) {
	const interner = new Interner();
	const ids = new Int32Array(values.length);
	if (paths) for (let index = 0; index < values.length; index++) ids[index] = interner.id(project(values[index], paths, resolvePath));
	return { ids, count: Math.max(1, interner.size) };
}

/** Tuples whose key space is at most this large are numbered through a flat table instead of a Map. */
const TABLE_LIMIT = 1 << 22;

/** Numbers the distinct tuples of small non-negative numbers; `bases` bound each position. */
class TupleInterner {
	private readonly ids = new Map<number | string, number>();
	private readonly table: Int32Array | undefined;
	private readonly fitsInNumber: boolean;
	private count = 0;

	constructor(private readonly bases: number[]) {
		const product = bases.reduce((total, base) => total * base, 1);
		this.fitsInNumber = product < Number.MAX_SAFE_INTEGER;
		this.table = product <= TABLE_LIMIT ? new Int32Array(product).fill(-1) : undefined;
	}

	/** How many distinct tuples have been numbered (so a caller can tell a new one). */
	get size(): number {
		return this.count;
	}

	id(first: number, second: number, third: number, fourth: number): number {
		const { bases } = this;
		const key: number | string = this.fitsInNumber
			? ((first * bases[1] + second) * bases[2] + third) * bases[3] + fourth
			: `${first}:${second}:${third}:${fourth}`;
		const known = this.table ? this.table[key as number] : this.ids.get(key);
		if (known !== undefined && known >= 0) return known;
		if (this.table) this.table[key as number] = this.count;
		else this.ids.set(key, this.count);
		return this.count++;
	}
}

/**
 * Groups assets into classes: same client, same coverage, and equal values on every asset and
 * software path any policy reads. Assets of a class get the same answer from every policy, so the
 * per-policy work below is per class, not per asset.
 */
function buildClasses(prepared: PreparedPlan, specs: ProjectionSpec[]) {
	const assetUnion = projectionIds(prepared.assets, mergeSpecs(specs, 'asset').get('asset'));
	const softwarePaths = mergeSpecs(specs, 'software').get('software');
	const softwareUnion = softwarePaths
		? projectionIds(prepared.assets.map((_, assetIndex) => prepared.softwareFactOf(assetIndex)), softwarePaths)
		: { ids: new Int32Array(prepared.assets.length), count: 1 };
	const tuples = new TupleInterner([prepared.clients.length, prepared.coverages.length, assetUnion.count, softwareUnion.count]);
	const classOf = new Int32Array(prepared.assets.length);
	const representatives: number[] = [];
	const assetUnionOfClass: number[] = [];
	const softwareUnionOfClass: number[] = [];
	const assetUnionRepresentative = new Int32Array(assetUnion.count);
	const softwareUnionRepresentative = new Int32Array(softwareUnion.count);
	for (let assetIndex = 0; assetIndex < prepared.assets.length; assetIndex++) {
		const assetPart = assetUnion.ids[assetIndex];
		const softwarePart = softwareUnion.ids[assetIndex];
		const known = tuples.size;
		const classIndex = tuples.id(prepared.clientOf[assetIndex], prepared.coverageOf[assetIndex], assetPart, softwarePart);
		if (classIndex === known) {
			representatives.push(assetIndex);
			assetUnionOfClass.push(assetPart);
			softwareUnionOfClass.push(softwarePart);
			assetUnionRepresentative[assetPart] = assetIndex;
			softwareUnionRepresentative[softwarePart] = assetIndex;
		}
		classOf[assetIndex] = classIndex;
	}
	return {
		classOf,
		representative: Int32Array.from(representatives),
		assetUnionOfClass: Int32Array.from(assetUnionOfClass),
		softwareUnionOfClass: Int32Array.from(softwareUnionOfClass),
		assetUnionRepresentative,
		softwareUnionRepresentative,
	};
}

type AssetClasses = ReturnType<typeof buildClasses>;

/** Projections of the shared fact components, reused by every policy that reads the same paths and values. */
class ComponentProjections {
	private readonly cache = new Map<string, { ids: Int32Array; count: number }>();

	constructor(
		private readonly prepared: PreparedPlan,
		private readonly classes: AssetClasses,
	) {}

	of(fact: FactName, spec: ProjectionSpec): { ids: Int32Array; count: number } {
		const paths = spec.get(fact);
		const cacheKey = `${fact}\u0003${pathsText(paths)}`;
		let found = this.cache.get(cacheKey);
		if (!found) {
			found = projectionIds(this.valuesOf(fact), paths);
			this.cache.set(cacheKey, found);
		}
		return found;
	}

	private valuesOf(fact: FactName): readonly unknown[] {
		const { prepared, classes } = this;
		if (fact === 'client') return prepared.clients;
		if (fact === 'coverage') return prepared.coverages.map((coverage) => coverage.fact);
		// assets and installed software are projected per distinct union projection (few), not per asset
		if (fact === 'asset') return Array.from(classes.assetUnionRepresentative, (assetIndex) => prepared.assets[assetIndex]);
		if (fact === 'software') return Array.from(classes.softwareUnionRepresentative, (assetIndex) => prepared.softwareFactOf(assetIndex));
		return [prepared.context];
	}
}

/** For one policy: per class, the index of its fact signature (classes that look the same to the policy). */
function signaturesOf(prepared: PreparedPlan, spec: ProjectionSpec, classes: AssetClasses, components: ComponentProjections) {
	const { representative } = classes;
	const client = components.of('client', spec);
	const coverage = components.of('coverage', spec);
	const asset = components.of('asset', spec);
	const software = components.of('software', spec);
	const tuples = new TupleInterner([client.count, coverage.count, asset.count, software.count]);
	const signatureOf = new Int32Array(representative.length);
	const signatureRepresentative: number[] = [];
	for (let classIndex = 0; classIndex < representative.length; classIndex++) {
		const assetIndex = representative[classIndex];
		const known = tuples.size;
		const signature = tuples.id(
			client.ids[prepared.clientOf[assetIndex]],
			coverage.ids[prepared.coverageOf[assetIndex]],
			asset.ids[classes.assetUnionOfClass[classIndex]],
			software.ids[classes.softwareUnionOfClass[classIndex]],
		);
		if (signature === known) signatureRepresentative.push(assetIndex);
		signatureOf[classIndex] = signature;
	}
	return { signatureOf, signatureRepresentative };
}

/**
 * Plans deployments: evaluates every policy with json-rules-engine once per distinct fact
 * signature (not once per asset), then expands the answers to every asset.
 *
 * @param snapshot a normalised snapshot (see `normalizeSnapshot`)
 * @param policies a policy document: `{ policies: [...] }`, a list, JSON text, or compiled form policies
 */
export async function planDeployments(snapshot: Snapshot, policies: unknown, options: PlanOptions = {}): Promise<DeploymentPlan> {
	const prepared = new PreparedPlan(snapshot, policies, options);
	const specs = prepared.rules.map((rule) => projectionSpec(rule.conditions as ConditionResultNode));
	const classes = buildClasses(prepared, specs);
	const components = new ComponentProjections(prepared, classes);

	const outcomesByPolicy: PolicyOutcome[][] = [];
	const signatureByPolicy: Int32Array[] = [];
	const fired: Uint8Array[] = [];
	const inScope: Uint8Array[] = [];
	const signaturesBySpec = new Map<string, ReturnType<typeof signaturesOf>>();
	for (let policyIndex = 0; policyIndex < prepared.rules.length; policyIndex++) {
		const specKey = specText(specs[policyIndex]);
		let signatures = signaturesBySpec.get(specKey);
		if (!signatures) {
			signatures = signaturesOf(prepared, specs[policyIndex], classes, components);
			signaturesBySpec.set(specKey, signatures);
		}
		const { signatureOf, signatureRepresentative } = signatures;
		const engine = prepared.createEngine([prepared.rules[policyIndex]]);
		const outcomes: PolicyOutcome[] = [];
		for (const assetIndex of signatureRepresentative) {
			const { results, failureResults } = await engine.run(prepared.factsOf(assetIndex));
			outcomes.push(outcomeOf(results[0] ?? failureResults[0]));
		}
		outcomesByPolicy.push(outcomes);
		signatureByPolicy.push(signatureOf);
		const flags = outcomeFlags(signatureOf, outcomes);
		fired.push(flags.fired);
		inScope.push(flags.inScope);
	}

	return new DeploymentPlan(prepared, {
		classOf: classes.classOf,
		representative: classes.representative,
		fired,
		inScope,
		outcome: (policyIndex, classIndex) => outcomesByPolicy[policyIndex][signatureByPolicy[policyIndex][classIndex]],
	});
}

/**
 * The ids of the assets whose decisions under `policies` depend on their installed software (see
 * {@link DeploymentPlan.assetsNeedingInstalledSoftware}), from a snapshot without it: read it for
 * these alone (one Halo request per asset) and plan with the same policies and options.
 */
export async function assetsNeedingInstalledSoftware(snapshot: Snapshot, policies: unknown, options: PlanOptions = {}): Promise<number[]> {
	const withoutSoftware: Snapshot = { ...snapshot, installedSoftware: undefined, installedSoftwareReadFor: undefined };
	return (await planDeployments(withoutSoftware, policies, options)).assetsNeedingInstalledSoftware();
}

/**
 * The reference planner: one json-rules-engine run per asset with all the rules. Slow by design;
 * it exists to check {@link planDeployments} and to measure it against.
 */
export async function planNaive(snapshot: Snapshot, policies: unknown, options: PlanOptions = {}): Promise<DeploymentPlan> {
	const prepared = new PreparedPlan(snapshot, policies, options);
	const engine = prepared.createEngine(prepared.rules);
	const assetCount = prepared.assets.length;
	const policyCount = prepared.rules.length;
	const outcomeIds = new Map<string, number>();
	const outcomes: PolicyOutcome[] = [];
	const outcomeOfAsset = Array.from({ length: policyCount }, () => new Int32Array(assetCount));
	for (let assetIndex = 0; assetIndex < assetCount; assetIndex++) {
		const { results, failureResults } = await engine.run(prepared.factsOf(assetIndex));
		for (const result of [...results, ...failureResults] as RuleResult[]) {
			const outcome = outcomeOf(result);
			const key = JSON.stringify(outcome);
			let id = outcomeIds.get(key);
			if (id === undefined) {
				id = outcomes.length;
				outcomes.push(outcome);
				outcomeIds.set(key, id);
			}
			outcomeOfAsset[Number(result.name)][assetIndex] = id;
		}
	}
	const flags = outcomeOfAsset.map((ids) => outcomeFlags(ids, outcomes));
	return new DeploymentPlan(prepared, {
		classOf: Int32Array.from({ length: assetCount }, (_, index) => index),
		representative: Int32Array.from({ length: assetCount }, (_, index) => index),
		fired: flags.map((flag) => flag.fired),
		inScope: flags.map((flag) => flag.inScope),
		outcome: (policyIndex, classIndex) => outcomes[outcomeOfAsset[policyIndex][classIndex]],
	});
}
