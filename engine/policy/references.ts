import { normalizeKey, MEMBERSHIP_OPERATORS } from '../operators';
import { closestMatches } from '../suggest';
import type { Snapshot } from '../types';
import { forEachLeaf } from './compile';
import type { Policy } from './schema';

export type ReferenceKind = 'contract type' | 'recurring item' | 'asset type' | 'client';

/** A name or id a policy uses that the tenant's data does not have. */
export interface UnknownReference {
	policyId: string;
	/** path in the policy document, e.g. `$.policies[0].conditions.all[0].value[1]` */
	path: string;
	kind: ReferenceKind;
	value: string | number;
	/** the tenant's closest real names */
	suggestions: string[];
}

const FIELD_KINDS: Record<string, ReferenceKind> = {
	contractTypes: 'contract type',
	contractTypeNames: 'contract type',
	contractTypeIds: 'contract type',
	items: 'recurring item',
	itemIds: 'recurring item',
	itemCodes: 'recurring item',
	itemNames: 'recurring item',
};

interface KnownNames {
	keys: Set<string>;
	names: string[];
}

function known(entries: Array<{ id: number | null; names: string[] }>): KnownNames {
	const keys = new Set<string>();
	const names = new Set<string>();
	for (const entry of entries) {
		if (entry.id !== null) keys.add(normalizeKey(entry.id));
		for (const name of entry.names) {
			if (!name) continue;
			keys.add(normalizeKey(name));
			names.add(name);
		}
	}
	return { keys, names: [...names].sort() };
}

/**
 * Contract types, recurring items, asset types and clients that policies name but the snapshot
 * does not contain, each with the closest real names, so a typo is caught before a plan targets nothing.
 */
export function findUnknownReferences(policies: Policy[], snapshot: Snapshot, basePath = '$.policies'): UnknownReference[] {
	const contractTypes = known(snapshot.contracts.map((contract) => ({ id: contract.typeId, names: [contract.typeName] })));
	const lineItems = snapshot.recurringInvoices.flatMap((invoice) =>
		invoice.lines.map((line) => ({ id: line.itemId, names: [line.itemCode, line.itemName] })),
	);
	const items = known([...snapshot.items.map((item) => ({ id: item.id, names: [item.name, item.code] })), ...lineItems]);
	const assetTypes = known(snapshot.assets.map((asset) => ({ id: asset.typeId, names: [asset.typeName] })));
	const clients = known([
		...snapshot.clients.map((client) => ({ id: client.id, names: [client.name] })),
		...snapshot.assets.map((asset) => ({ id: asset.clientId, names: [asset.clientName] })),
	]);
	const catalogs: Record<ReferenceKind, KnownNames> = {
		'contract type': contractTypes,
		'recurring item': items,
		'asset type': assetTypes,
		client: clients,
	};

	const unknown: UnknownReference[] = [];
	const check = (policy: Policy, path: string, kind: ReferenceKind, value: unknown) => {
		if (typeof value !== 'string' && typeof value !== 'number') return;
		const catalog = catalogs[kind];
		if (catalog.keys.has(normalizeKey(value))) return;
		unknown.push({ policyId: policy.id, path, kind, value, suggestions: closestMatches(String(value), catalog.names) });
	};
	policies.forEach((policy, index) => {
		const policyPath = `${basePath}[${index}]`;
		forEachLeaf(policy.conditions, `${policyPath}.conditions`, (leaf, leafPath) => {
			const field = /^\$\.(?:client|asset)\.([A-Za-z]+)$/.exec(leaf.path)?.[1];
			const kind = field ? FIELD_KINDS[field] : undefined;
			if (leaf.fact !== 'coverage' || !kind || !MEMBERSHIP_OPERATORS.has(leaf.operator)) return;
			if (Array.isArray(leaf.value)) leaf.value.forEach((value, at) => check(policy, `${leafPath}.value[${at}]`, kind, value));
			else check(policy, `${leafPath}.value`, kind, leaf.value);
		});
		policy.assetTypes?.forEach((value, at) => check(policy, `${policyPath}.assetTypes[${at}]`, 'asset type', value));
		for (const list of ['include', 'exclude'] as const) {
			policy.clients?.[list]?.forEach((value, at) => check(policy, `${policyPath}.clients.${list}[${at}]`, 'client', value));
		}
	});
	return unknown;
}

/** One readable line per unknown reference. */
export function describeUnknownReference(reference: UnknownReference): string {
	const hint =
		reference.suggestions.length > 0
			? `; did you mean ${reference.suggestions.map((name) => `"${name}"`).join(', ')}?`
			: '; the tenant has no similar name';
	return `${reference.path}: the ${reference.kind} "${reference.value}" (policy ${reference.policyId}) is not in the HaloPSA data${hint}`;
}
