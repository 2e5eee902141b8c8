import type { RuleResult } from 'json-rules-engine';

import type { CoverageKeys, CoverageScope } from '../coverage';
import { coveragePath } from '../coverage';
import type { FactName } from '../facts';
import { MEMBERSHIP_OPERATORS, POSITIVE_LIST_OPERATORS, normalizeKey } from '../operators';
import { POLICY_CONDITION, SCOPE_CONDITION } from '../policy/compile';

/** Coverage keys a positive condition found: the values that explain why a policy matched. */
export interface MatchedKeys {
	scope: CoverageScope;
	field: keyof CoverageKeys;
	keys: string[];
}

/** What one policy concluded for one asset (and for every asset with the same fact signature). */
export interface PolicyOutcome {
	/** scope and conditions both hold */
	fired: boolean;
	/** the asset-type and client filters hold */
	inScope: boolean;
	matched: MatchedKeys[];
}

export interface ConditionResultNode {
	fact?: string;
	path?: string;
	operator?: string;
	value?: unknown;
	name?: string;
	result?: boolean;
	factResult?: unknown;
	all?: ConditionResultNode[];
	any?: ConditionResultNode[];
	not?: ConditionResultNode;
}

export function isFactReference(value: unknown): value is { fact: string; path?: string } {
	return typeof value === 'object' && value !== null && !Array.isArray(value) && 'fact' in value;
}

function collectMatches(node: ConditionResultNode, negated: boolean, into: Map<string, MatchedKeys>): void {
	if (node.all) node.all.forEach((child) => collectMatches(child, negated, into));
	else if (node.any) node.any.forEach((child) => collectMatches(child, negated, into));
	else if (node.not) collectMatches(node.not, !negated, into);
	else if (!negated && node.result === true && node.fact === 'coverage' && POSITIVE_LIST_OPERATORS.has(node.operator ?? '')) {
		const target = coveragePath(node.path);
		if (!target || isFactReference(node.value) || !Array.isArray(node.factResult)) return;
		const wanted = new Set((Array.isArray(node.value) ? node.value : [node.value]).map(normalizeKey));
		const id = `${target.scope}.${target.field}`;
		const entry = into.get(id) ?? { ...target, keys: [] };
		for (const present of node.factResult) {
			const normalized = normalizeKey(present);
			if (wanted.has(normalized) && !entry.keys.includes(normalized)) entry.keys.push(normalized);
		}
		into.set(id, entry);
	}
}

/** Reads a rule result: fired, in scope, and the coverage keys its positive conditions matched. */
export function outcomeOf(result: RuleResult): PolicyOutcome {
	const [scope, conditions] = (result.conditions as ConditionResultNode).all ?? [];
	const matched = new Map<string, MatchedKeys>();
	if (result.result === true && conditions?.name === POLICY_CONDITION) collectMatches(conditions, false, matched);
	for (const entry of matched.values()) entry.keys.sort();
	return {
		fired: result.result === true,
		inScope: scope?.name === SCOPE_CONDITION && scope.result === true,
		matched: [...matched.values()].filter((entry) => entry.keys.length > 0),
	};
}

/** How a path is read into a signature: the whole value, or only which of the named values it holds. */
interface PathProjection {
	full: boolean;
	keys: Set<string>;
}

/** path -> how it is projected, for one fact */
export type FactPaths = Map<string, PathProjection>;

export type ProjectionSpec = Map<FactName, FactPaths>;

function note(spec: ProjectionSpec, fact: string, path: string | undefined, keys: unknown[] | undefined): void {
	const paths = spec.get(fact as FactName) ?? new Map<string, PathProjection>();
	spec.set(fact as FactName, paths);
	const projectionPath = path ?? '$';
	const projection = paths.get(projectionPath) ?? { full: false, keys: new Set<string>() };
	paths.set(projectionPath, projection);
	if (keys === undefined) projection.full = true;
	else for (const key of keys) projection.keys.add(normalizeKey(key));
}

/**
 * Which parts of the facts a rule can see. A path tested only by membership operators against
 * literal values (equal, in, contains, containsAny, ...) depends only on which of those values it
 * holds, so assets that differ elsewhere share one evaluation; any other use reads the whole value.
 */
export function projectionSpec(conditions: ConditionResultNode, spec: ProjectionSpec = new Map()): ProjectionSpec {
	if (conditions.all) conditions.all.forEach((child) => projectionSpec(child, spec));
	else if (conditions.any) conditions.any.forEach((child) => projectionSpec(child, spec));
	else if (conditions.not) projectionSpec(conditions.not, spec);
	else if (conditions.fact) {
		if (isFactReference(conditions.value)) {
			note(spec, conditions.fact, conditions.path, undefined);
			note(spec, conditions.value.fact, conditions.value.path, undefined);
		} else if (MEMBERSHIP_OPERATORS.has(conditions.operator ?? '')) {
			note(spec, conditions.fact, conditions.path, Array.isArray(conditions.value) ? conditions.value : [conditions.value]);
		} else {
			note(spec, conditions.fact, conditions.path, undefined);
		}
	}
	return spec;
}

function encodeFull(value: unknown): string {
	return value === undefined ? '~u' : JSON.stringify(value);
}

function encodeMembership(value: unknown, keys: Set<string>): string {
	if (!Array.isArray(value)) return keys.has(normalizeKey(value)) ? `S${encodeFull(value)}` : '~';
	let present: string[] | undefined;
	for (const entry of value) {
		if (!keys.has(normalizeKey(entry))) continue;
		const encoded = encodeFull(entry);
		if (!present) present = [encoded];
		else if (!present.includes(encoded)) present.push(encoded);
	}
	return present ? `L${present.sort().join(',')}` : 'L';
}

export type PathReader = (value: unknown, path: string) => unknown;

/** The part of a fact a spec can see, as text: equal texts give equal rule results. */
export function project(value: unknown, paths: FactPaths | undefined, read: PathReader): string {
	if (!paths) return '';
	let text = '';
	for (const [path, projection] of paths) {
		const found = read(value, path);
		text += `${projection.full ? encodeFull(found) : encodeMembership(found, projection.keys)}\u0001`;
	}
	return text;
}
