import { coveragePath } from '../coverage';
import { normalizeKey, MEMBERSHIP_OPERATORS } from '../operators';
import { closestMatches } from '../suggest';
import type { Snapshot } from '../types';
import { forEachLeaf } from './compile';
import type { Policy } from './schema';

export type ReferenceKind = 'contract type' | 'recurring item' | 'asset type' | 'client';

/** A name or id a policy uses that the tenant's data does not have. */
export interface UnknownReference {
	policyId: string;
	software: string;
	/** path in the policy document, e.g. `$.policies[0].conditions.all[0].value[1]` */
	path: string;
	kind: ReferenceKind;
	value: string | number;
	/** the tenant's closest real names */
	suggestions: string[];
	/**
	 * true when the snapshot holds only some clients, so the name may exist for other clients: a hint,
	 * not an error. Items are never partial (the item list is the tenant's whole catalogue).
	 */
	partial: boolean;
}

export interface ReferenceCheckOptions {
	/** the JSON path of the policy list, default `$.policies` */
	basePath?: string;
	/**
	 * the snapshot was loaded for some clients only (Client IDs): contract types, asset types and
	 * clients are then known only for those clients
	 */
	partialSnapshot?: boolean;
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
export function findUnknownReferences(policies: Policy[], snapshot: Snapshot, options: ReferenceCheckOptions = {}): UnknownReference[] {
	const { basePath = '$.policies', partialSnapshot = false } = options;
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
		unknown.push({
			policyId: policy.id,
			software: policy.software,
			path,
			kind,
			value,
			suggestions: closestMatches(String(value), catalog.names),
			partial: partialSnapshot && kind !== 'recurring item',
		});
	};
	policies.forEach((policy, index) => {
		const policyPath = `${basePath}[${index}]`;
		forEachLeaf(policy.conditions, `${policyPath}.conditions`, (leaf, leafPath) => {
			const field = coveragePath(leaf.path)?.field;
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

/** Whether the reference should stop a plan: a contract type or item that certainly does not exist. */
export function isBlockingReference(reference: UnknownReference): boolean {
	return !reference.partial && (reference.kind === 'contract type' || reference.kind === 'recurring item');
}

/** One readable line per unknown reference. */
export function describeUnknownReference(reference: UnknownReference): string {
	const hint =
		reference.suggestions.length > 0
			? `; did you mean ${reference.suggestions.map((name) => `"${name}"`).join(', ')}?`
			: `; ${reference.partial ? 'they have' : 'the tenant has'} no similar name`;
	const where = reference.partial
		? "is not in the HaloPSA data of the loaded clients (the load is limited to some clients; other clients may have it)"
		: 'is not in the HaloPSA data';
	return `${reference.path}: the ${reference.kind} "${reference.value}" (policy ${reference.policyId}, ${reference.software}) ${where}${hint}`;
}
