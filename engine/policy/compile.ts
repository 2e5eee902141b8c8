import type { TopLevelCondition } from 'json-rules-engine';

import type { CoverageScope } from '../coverage';
import type { ConditionNode, LeafCondition, Literal, Policy, PolicyEffect } from './schema';
import { parsePolicies, PolicyValidationError } from './schema';

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
	/**
	 * client: any in-force coverage of the asset's client; asset: only contracts and lines linked to the
	 * asset; contract (items only): lines without an asset on the recurring invoices of the asset's contracts
	 */
	coverageScope?: CoverageScope;
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
	if (scope === 'contract' && !byItem) {
		throw new PolicyValidationError([
			{
				path: '$.coverageScope',
				message:
					'expected Client-Wide or Asset-Linked Only for contract types, got Contract-Linked: it is for recurring items; for the machines on a contract of these types choose Asset-Linked Only',
			},
		]);
	}
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

/**
 * The policies with unique ids, in order: the form makes one id per software and effect, so a second
 * SentinelOne deploy policy becomes "sentinelone-deploy-2".
 */
export function withUniqueIds(policies: Policy[]): Policy[] {
	const taken = new Set<string>();
	return policies.map((policy) => {
		let id = policy.id;
		for (let uses = 2; taken.has(id); uses++) id = `${policy.id}-${uses}`;
		taken.add(id);
		return id === policy.id ? policy : { ...policy, id };
	});
}

export function isLeaf(node: ConditionNode): node is LeafCondition {
	return 'fact' in node;
}

/**
 * Calls `visit` for every leaf with its path inside the policy (`conditions.all[0]`) and whether it
 * sits under an odd number of `not`s (then it counts when it does NOT hold).
 */
export function forEachLeaf(
	node: ConditionNode | undefined,
	path: string,
	visit: (leaf: LeafCondition, path: string, negated: boolean) => void,
	negated = false,
): void {
	if (!node) return;
	if (isLeaf(node)) visit(node, path, negated);
	else if ('all' in node) node.all.forEach((child, index) => forEachLeaf(child, `${path}.all[${index}]`, visit, negated));
	else if ('any' in node) node.any.forEach((child, index) => forEachLeaf(child, `${path}.any[${index}]`, visit, negated));
	else forEachLeaf(node.not, `${path}.not`, visit, !negated);
}

/** A shallow copy of a condition without its `priority`. */
function withoutPriority<T extends object>(condition: T): T {
	const copy: T & { priority?: unknown } = { ...condition };
	delete copy.priority;
	return copy;
}

/**
 * A copy of the tree whose leaves are named by their path, so failed conditions can say where they
 * are. `priority` is dropped: it only orders evaluation, and json-rules-engine skips the rest of an
 * `all` once a higher-priority part fails, which would leave the policy's scope unevaluated (and
 * removals unplanned) and why-not reports incomplete. Every fact here is in memory, so order buys nothing.
 */
function namedConditions(node: ConditionNode, path: string): TopLevelCondition {
	const named = (child: ConditionNode, childPath: string): Record<string, unknown> => {
		if (!isLeaf(child)) return namedConditions(child, childPath) as unknown as Record<string, unknown>;
		const leaf = withoutPriority(child as LeafCondition & { name?: string });
		return { ...leaf, name: leaf.name ?? childPath };
	};
	const branch = withoutPriority(node) as ConditionNode;
	if ('all' in branch) return { ...branch, all: branch.all.map((child, index) => named(child, `${path}.all[${index}]`)) } as TopLevelCondition;
	if ('any' in branch) return { ...branch, any: branch.any.map((child, index) => named(child, `${path}.any[${index}]`)) } as TopLevelCondition;
	if ('not' in branch) return { ...branch, not: named(branch.not, `${path}.not`) } as TopLevelCondition;
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
