import type {
	HaloAsset,
	HaloClient,
	HaloContract,
	HaloItem,
	HaloRecurringInvoice,
	HaloRecurringLine,
	RawSnapshot,
	Snapshot,
} from './types';

type Row = Record<string, unknown>;

/** Halo sends ids as numbers, doubles (`95.0`) or strings; 0 and negatives mean "none". */
export function toId(value: unknown): number | null {
	const numeric = typeof value === 'string' ? Number(value.trim()) : value;
	if (typeof numeric !== 'number' || !Number.isFinite(numeric)) return null;
	const id = Math.trunc(numeric);
	return id > 0 ? id : null;
}

function toText(value: unknown): string {
	if (typeof value === 'string') return value.trim();
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	return '';
}

function toFlag(value: unknown): boolean {
	if (typeof value === 'string') return ['true', '1', 'yes'].includes(value.trim().toLowerCase());
	return value === true || value === 1;
}

function toNumber(value: unknown): number {
	const numeric = typeof value === 'string' ? Number(value.trim()) : value;
	return typeof numeric === 'number' && Number.isFinite(numeric) ? numeric : 0;
}

function toDate(value: unknown): string | null {
	return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
}

function isRow(value: unknown): value is Row {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A list as Halo may answer it: a bare array, or an envelope `{ <key>: [...] }`. */
function rowsOf(value: unknown, envelopeKeys: string[]): Row[] {
	if (Array.isArray(value)) return value.filter(isRow);
	if (isRow(value)) {
		for (const key of envelopeKeys) {
			if (Array.isArray(value[key])) return (value[key] as unknown[]).filter(isRow);
		}
	}
	return [];
}

/**
 * The ids in a list of links: bare ids, the linked records (`{ id }`) or link rows, whose own `id` is
 * not the linked record's (`{ id, contract_id }`), so the named key wins over `id`.
 */
function idList(value: unknown, linkedKey: 'contract_id' | 'asset_id'): number[] {
	if (!Array.isArray(value)) return [];
	const ids: number[] = [];
	for (const entry of value) {
		const id = isRow(entry) ? toId(entry[linkedKey] ?? entry.id) : toId(entry);
		if (id !== null) ids.push(id);
	}
	return ids;
}

export function normalizeClient(row: Row): HaloClient | null {
	const id = toId(row.id);
	if (id === null) return null;
	return { id, name: toText(row.name) || `Client ${id}`, inactive: toFlag(row.inactive) };
}

export function normalizeContract(row: Row): HaloContract | null {
	const id = toId(row.id);
	if (id === null) return null;
	return {
		id,
		clientId: toId(row.client_id) ?? 0,
		ref: toText(row.ref),
		typeId: toId(row.contracttype ?? row.contracttype_id),
		typeName: toText(row.contracttype_name ?? row.contracttypename),
		startDate: toDate(row.start_date),
		endDate: toDate(row.end_date),
		active: row.active === undefined ? !toFlag(row.inactive) : toFlag(row.active),
		expired: toFlag(row.expired),
		siteId: toId(row.site_id),
		assetIds: idList(row.assets, 'asset_id'),
	};
}

function normalizeLine(row: Row, invoiceId: number): HaloRecurringLine {
	return {
		// no made-up id when Halo sends none: an invented one could equal another line's real id
		id: toId(row.id),
		invoiceId: toId(row.ihid) ?? invoiceId,
		itemId: toId(row._itemid ?? row.item_id),
		itemCode: toText(row.item_code),
		itemName: toText(row.item_shortdescription ?? row.item_name),
		quantity: toNumber(row.qty_order ?? row.quantity),
		assetId: toId(row.asset_id),
		contractId: toId(row.contract_id),
		startDate: toDate(row.startdate ?? row.start_date),
		endDate: toDate(row.enddate ?? row.end_date),
		inactive: toFlag(row.isinactive ?? row.inactive),
	};
}

export function normalizeRecurringInvoice(row: Row): HaloRecurringInvoice | null {
	const id = toId(row.id);
	if (id === null) return null;
	const lines = Array.isArray(row.lines) ? row.lines.filter(isRow) : [];
	return {
		id,
		clientId: toId(row.client_id) ?? 0,
		contractId: toId(row.contract_id),
		disabled: toFlag(row.disabled),
		lines: lines.map((line) => normalizeLine(line, id)),
	};
}

export function normalizeItem(row: Row): HaloItem | null {
	const id = toId(row.id);
	if (id === null) return null;
	return {
		id,
		name: toText(row.name),
		code: toText(row.internalreference ?? row.code),
		recurring: toFlag(row.isrecurringitem),
	};
}

export function normalizeAsset(row: Row): HaloAsset | null {
	const id = toId(row.id);
	if (id === null) return null;
	const contractIds = new Set(idList(row.contracts, 'contract_id'));
	const contractId = toId(row.contract_id);
	if (contractId !== null) contractIds.add(contractId);
	return {
		id,
		name: toText(row.inventory_number) || toText(row.key_field) || `Asset ${id}`,
		clientId: toId(row.client_id) ?? 0,
		clientName: toText(row.client_name),
		siteId: toId(row.site_id),
		typeId: toId(row.assettype_id),
		typeName: toText(row.assettype_name),
		inactive: toFlag(row.inactive),
		contractIds: [...contractIds],
		// the row itself, not a copy: 100k assets should not hold their fields twice
		fields: row,
	};
}

function softwareName(entry: unknown): string {
	return isRow(entry) ? toText(entry.name ?? entry.software_name) : toText(entry);
}

function normalizeInstalledSoftware(value: unknown): Map<number, string[]> | undefined {
	if (value === undefined || value === null) return undefined;
	const installed = new Map<number, string[]>();
	const add = (assetId: number | null, name: string) => {
		if (assetId === null) return;
		const names = installed.get(assetId) ?? [];
		if (name) names.push(name);
		installed.set(assetId, names);
	};
	if (value instanceof Map) {
		for (const [assetId, entries] of value) {
			add(toId(assetId), '');
			for (const entry of Array.isArray(entries) ? entries : []) add(toId(assetId), softwareName(entry));
		}
	} else if (Array.isArray(value)) {
		for (const row of value.filter(isRow)) add(toId(row.device_id ?? row.asset_id), softwareName(row));
	} else if (isRow(value)) {
		for (const [assetId, entries] of Object.entries(value)) {
			add(toId(assetId), '');
			for (const entry of Array.isArray(entries) ? entries : []) add(toId(assetId), softwareName(entry));
		}
	} else {
		return undefined;
	}
	return installed;
}

function compact<T>(values: Array<T | null>): T[] {
	return values.filter((value): value is T => value !== null);
}

/**
 * Turns Halo's answers (or a snapshot handed in by a workflow) into the planner's shapes.
 * Accepts envelopes, bare arrays, doubles and strings as ids, and missing lists.
 */
export function normalizeSnapshot(input: RawSnapshot): Snapshot {
	return {
		clients: compact(rowsOf(input.clients, ['clients']).map(normalizeClient)),
		contracts: compact(rowsOf(input.contracts, ['contracts']).map(normalizeContract)),
		recurringInvoices: compact(
			rowsOf(input.recurringInvoices ?? input.invoices, ['invoices', 'recurringInvoices']).map(
				normalizeRecurringInvoice,
			),
		),
		items: compact(rowsOf(input.items, ['items']).map(normalizeItem)),
		assets: compact(rowsOf(input.assets, ['assets']).map(normalizeAsset)),
		installedSoftware: normalizeInstalledSoftware(input.installedSoftware ?? input.software),
	};
}

