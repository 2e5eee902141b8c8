import type { RawSnapshot } from '../../engine';

/** Plan day used by the dated tests. */
export const TODAY = '2025-06-15';
export const YESTERDAY = '2025-06-14';
export const TOMORROW = '2025-06-16';

type Row = Record<string, unknown>;

/**
 * A small Halo-shaped tenant: client 1 has assets 10 (workstation) and 11 (server); client 2 has asset
 * 20. Every test overrides only what it is about.
 */
export function tenant(parts: { contracts?: Row[]; invoices?: Row[]; assets?: Row[]; installed?: RawSnapshot['installedSoftware'] } = {}): RawSnapshot {
	return {
		clients: [
			{ id: 1, name: 'Acme Ltd' },
			{ id: 2.0, name: 'Globex' },
		],
		items: [
			{ id: 100, name: 'SentinelOne Complete', internalreference: 'S1-COMPLETE', isrecurringitem: true },
			{ id: 101, name: 'Huntress EDR', internalreference: 'HUNTRESS', isrecurringitem: true },
		],
		contracts: parts.contracts ?? [],
		invoices: parts.invoices ?? [],
		assets: parts.assets ?? [
			{ id: 10, inventory_number: 'ACME-PC1', client_id: 1, client_name: 'Acme Ltd', assettype_id: 1, assettype_name: 'Workstation' },
			{ id: 11, inventory_number: 'ACME-SRV', client_id: 1, client_name: 'Acme Ltd', assettype_id: 2, assettype_name: 'Server' },
			{ id: 20, inventory_number: 'GLOBEX-PC', client_id: 2, client_name: 'Globex', assettype_id: 1, assettype_name: 'Workstation' },
		],
		installedSoftware: parts.installed,
	};
}

export function contract(overrides: Row = {}): Row {
	return {
		id: 1,
		client_id: 1,
		ref: 'MS-1',
		contracttype: 7,
		contracttype_name: 'Managed Security',
		start_date: '2025-01-01T00:00:00',
		end_date: '2025-12-31T00:00:00',
		active: true,
		expired: false,
		...overrides,
	};
}

export function invoice(lines: Row[], overrides: Row = {}): Row {
	return { id: 500, client_id: 1, contract_id: 0, disabled: false, lines, ...overrides };
}

export function line(overrides: Row = {}): Row {
	return {
		id: 900,
		ihid: 500,
		_itemid: 100,
		item_code: 'S1-COMPLETE',
		item_shortdescription: 'SentinelOne Complete',
		qty_order: 2,
		asset_id: 0,
		isinactive: false,
		...overrides,
	};
}

export const byContractType = (software = 'SentinelOne', scope = 'client') => ({
	id: `${software}-by-contract`,
	software,
	effect: 'deploy',
	conditions: { all: [{ fact: 'coverage', path: `$.${scope}.contractTypes`, operator: 'containsAny', value: ['managed security'] }] },
});

export const byItem = (software = 'SentinelOne', scope = 'client') => ({
	id: `${software}-by-item`,
	software,
	effect: 'deploy',
	conditions: { all: [{ fact: 'coverage', path: `$.${scope}.items`, operator: 'containsAny', value: ['S1-COMPLETE'] }] },
});
