import type { TopLevelCondition } from 'json-rules-engine';

import type { ConditionNode, LeafCondition, Literal, Policy, PolicyEffect } from './schema';
import { parsePolicies } from './schema';

/** The common cases, as the node's form asks for them. */
export interface FormPolicy {
	/** defaults to a slug of the software name and the effect */
	id?: string;
	software: string;
	effect?: PolicyEffect;
	/** what grants the software: contract types, or recurring invoice items */
	coverageKind: 'contractType' | 'recurringItem';
	/** contract type names or ids (for coverageKind contractType) */
	contractTypes?: Array<string | number>;
	/** recurring item ids, codes (internal reference) or names (for coverageKind recurringItem) */
	items?: Array<string | number>;
	/** client: any in-force coverage of the asset's client; asset: only contracts and lines linked to the asset */
	coverageScope?: 'client' | 'asset';
	assetTypes?: Array<string | number>;
	excludedClients?: Array<string | number>;
	removeWhenCoverageEnds?: boolean;
}

function slug(text: string): string {
	return text
		.toLowerCase()
		.replace(/[^a-z0-9]+/g, '-')
		.replace(/^-|-$/g, '');
}

/** Splits "Managed Security, 12" into ["Managed Security", 12]: numbers are ids, anything else a name. */
export function splitNamesAndIds(text: string | Array<string | number> | undefined): Array<string | number> {
	const parts = Array.isArray(text) ? text : (text ?? '').split(',');
	return parts
		.map((part) => (typeof part === 'string' ? part.trim() : part))
		.filter((part) => part !== '')
		.map((part) => (typeof part === 'string' && /^\d+$/.test(part) ? Number(part) : part));
}

/** A form policy as the same JSON policy a user could have written; validated like any other. */
export function compileFormPolicy(form: FormPolicy): Policy {
	const effect = form.effect ?? 'deploy';
	const scope = form.coverageScope ?? 'client';
	const byItem = form.coverageKind === 'recurringItem';
	const values = splitNamesAndIds(byItem ? form.items : form.contractTypes);
	const policy: Policy = {
		id: form.id?.trim() || `${slug(form.software) || 'software'}-${effect}`,
		software: form.software.trim(),
		effect,
		conditions: {
			all: [
				{
					fact: 'coverage',
					path: `$.${scope}.${byItem ? 'items' : 'contractTypes'}`,
					operator: 'containsAny',
					value: values,
				},
			],
		},
	};
	const assetTypes = splitNamesAndIds(form.assetTypes);
	if (assetTypes.length > 0) policy.assetTypes = assetTypes;
	const excludedClients = splitNamesAndIds(form.excludedClients);
	if (excludedClients.length > 0) policy.clients = { exclude: excludedClients };
	if (form.removeWhenCoverageEnds) policy.removeWhenCoverageEnds = true;
	return parsePolicies(policy)[0];
}

export function isLeaf(node: ConditionNode): node is LeafCondition {
	return 'fact' in node;
}

/** Calls `visit` for every leaf with its path inside the policy (`conditions.all[0]`). */
export function forEachLeaf(node: ConditionNode | undefined, path: string, visit: (leaf: LeafCondition, path: string) => void): void {
	if (!node) return;
	if (isLeaf(node)) visit(node, path);
	else if ('all' in node) node.all.forEach((child, index) => forEachLeaf(child, `${path}.all[${index}]`, visit));
	else if ('any' in node) node.any.forEach((child, index) => forEachLeaf(child, `${path}.any[${index}]`, visit));
	else forEachLeaf(node.not, `${path}.not`, visit);
}

/** A copy of the tree whose leaves are named by their path, so failed conditions can say where they are. */
function namedConditions(node: ConditionNode, path: string): TopLevelCondition {
	const named = (child: ConditionNode, childPath: string): Record<string, unknown> =>
		isLeaf(child)
			? { ...child, name: (child as { name?: string }).name ?? childPath }
			: (namedConditions(child, childPath) as unknown as Record<string, unknown>);
	if ('all' in node) return { ...node, all: node.all.map((child, index) => named(child, `${path}.all[${index}]`)) } as TopLevelCondition;
	if ('any' in node) return { ...node, any: node.any.map((child, index) => named(child, `${path}.any[${index}]`)) } as TopLevelCondition;
	if ('not' in node) return { ...node, not: named(node.not, `${path}.not`) } as TopLevelCondition;
	return { all: [named(node, path)] } as TopLevelCondition;
}

function nameOrIdCondition(fact: 'asset' | 'client', namePath: string, idPath: string, values: Array<string | number>, name: string) {
	const ids = values.filter((value) => typeof value === 'number' || /^\d+$/.test(String(value).trim()));
	const names = values.filter((value) => !ids.includes(value));
	const any: Array<Record<string, unknown>> = [];
	if (names.length > 0) any.push({ fact, path: namePath, operator: 'inIgnoreCase', value: names as Literal[], name: `${name} (names)` });
	if (ids.length > 0) any.push({ fact, path: idPath, operator: 'inIgnoreCase', value: ids as Literal[], name: `${name} (ids)` });
	return { any, name };
}

export const SCOPE_CONDITION = 'scope';
export const POLICY_CONDITION = 'conditions';

/**
 * The json-rules-engine conditions of a policy: its filters (asset types, clients) as a `scope`
 * branch next to its own conditions, so one evaluation tells both "in scope" and "matched".
 */
export function ruleConditions(policy: Policy): TopLevelCondition {
	const scope: Array<Record<string, unknown>> = [];
	if (policy.assetTypes) scope.push(nameOrIdCondition('asset', '$.typeName', '$.typeId', policy.assetTypes, 'assetTypes'));
	if (policy.clients?.include) {
		scope.push(nameOrIdCondition('client', '$.name', '$.id', policy.clients.include, 'clients.include'));
	}
	if (policy.clients?.exclude) {
		scope.push({ not: nameOrIdCondition('client', '$.name', '$.id', policy.clients.exclude, 'clients.exclude'), name: 'clients.exclude' });
	}
	return {
		all: [
			{ all: scope, name: SCOPE_CONDITION },
			{ ...namedConditions(policy.conditions ?? { all: [] }, POLICY_CONDITION), name: POLICY_CONDITION },
		],
	} as unknown as TopLevelCondition;
}
