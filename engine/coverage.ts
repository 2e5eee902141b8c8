import type { HaloDay } from './dates';
import { isWithin, NO_DATE, readHaloDay, resolvePlanDate } from './dates';
import { normalizeKey } from './operators';
import type { HaloAsset, HaloContract, HaloItem, HaloRecurringInvoice, HaloRecurringLine, Snapshot } from './types';

/** Where a coverage key came from: the contract or recurring-invoice line that grants it. */
export type CoverageSource =
	| {
			type: 'contract';
			contractId: number;
			ref: string;
			contractTypeId: number | null;
			contractTypeName: string;
	  }
	| {
			type: 'recurringLine';
			invoiceId: number;
			/** null when Halo sent the line without an id */
			lineId: number | null;
			itemId: number | null;
			itemCode: string;
			itemName: string;
			quantity: number;
			/** the contract the line (or its invoice) names, null for none */
			contractId: number | null;
			/** that contract's ref, empty for none */
			contractRef: string;
	  };

/**
 * The lists a policy condition can test on `coverage.client`, `coverage.asset` or `coverage.contract`
 * (items only). Names, codes and refs are lower case; `contractTypes` and `items` hold names, codes
 * and ids (as text) together so one condition matches whichever the user wrote.
 */
export interface CoverageKeys {
	contractIds: number[];
	contractRefs: string[];
	contractTypes: string[];
	contractTypeIds: number[];
	contractTypeNames: string[];
	items: string[];
	itemIds: number[];
	itemCodes: string[];
	itemNames: string[];
}

export const COVERAGE_FIELDS: Array<keyof CoverageKeys> = [
	'contractIds',
	'contractRefs',
	'contractTypes',
	'contractTypeIds',
	'contractTypeNames',
	'items',
	'itemIds',
	'itemCodes',
	'itemNames',
];

const ITEM_FIELD_NAMES: Array<keyof CoverageKeys> = ['items', 'itemIds', 'itemCodes', 'itemNames'];

export const ITEM_FIELDS = new Set<keyof CoverageKeys>(ITEM_FIELD_NAMES);

/**
 * client: what the asset's client has (in-force contracts, lines without an asset); asset: what is
 * linked to the asset itself (its in-force contracts, lines naming it); contract: lines without an
 * asset on the invoices of the asset's in-force contracts.
 */
export type CoverageScope = 'client' | 'asset' | 'contract';

/** The lists of each scope: contract coverage is items only (the asset's contracts are in `asset`). */
export const SCOPE_FIELDS: Record<CoverageScope, Array<keyof CoverageKeys>> = {
	client: COVERAGE_FIELDS,
	asset: COVERAGE_FIELDS,
	contract: ITEM_FIELD_NAMES,
};

const COVERAGE_PATH = /^\$\.(client|asset|contract)\.([A-Za-z]+)$/;

/** `$.client.items` -> { scope: 'client', field: 'items' }; undefined for any other path. */
export function coveragePath(path: string | undefined): { scope: CoverageScope; field: keyof CoverageKeys } | undefined {
	const match = COVERAGE_PATH.exec(path ?? '');
	const scope = match?.[1] as CoverageScope | undefined;
	if (!match || !scope || !SCOPE_FIELDS[scope].includes(match[2] as keyof CoverageKeys)) return undefined;
	return { scope, field: match[2] as keyof CoverageKeys };
}

/**
 * What an in-force line is known by in each item list of {@link CoverageKeys}: its item id, its codes
 * and names (the line's and the item's), lower case; `items` holds them all, the id as text.
 */
export type LineItemKeys = Record<'items' | 'itemIds' | 'itemCodes' | 'itemNames', Array<string | number>>;

export interface InForceLine {
	/** position in {@link CoverageFacts.inForceLines}: identifies the line even when Halo sent no line id */
	index: number;
	line: HaloRecurringLine;
	invoice: HaloRecurringInvoice;
	item: HaloItem | undefined;
	/** the contracts the invoice and the line name (the invoice's first), all in force since the line is */
	contracts: HaloContract[];
	/** built once when the line is found in force; every coverage set it joins and the reconciliation read it */
	itemKeys: LineItemKeys;
}

function lineItemKeys(line: HaloRecurringLine, item: HaloItem | undefined): LineItemKeys {
	const distinct = (values: Array<string | undefined>) => [...new Set(values.filter((value): value is string => !!value).map((value) => value.toLowerCase()))];
	const itemIds = line.itemId === null ? [] : [line.itemId];
	const itemCodes = distinct([line.itemCode, item?.code]);
	const itemNames = distinct([line.itemName, item?.name]);
	return { items: [...itemIds.map(String), ...itemCodes, ...itemNames], itemIds, itemCodes, itemNames };
}

/** The coverage of one client or one asset on the plan date, with the sources of every key. */
export class CoverageSet {
	readonly keys: CoverageKeys = {
		contractIds: [],
		contractRefs: [],
		contractTypes: [],
		contractTypeIds: [],
		contractTypeNames: [],
		items: [],
		itemIds: [],
		itemCodes: [],
		itemNames: [],
	};

	readonly lines: InForceLine[] = [];

	private readonly sources = new Map<string, CoverageSource[]>();

	/** The contracts and lines that put `key` into the list `field`. */
	sourcesOf(field: keyof CoverageKeys, key: unknown): CoverageSource[] {
		return this.sources.get(`${field}\u0000${normalizeKey(key)}`) ?? [];
	}

	addContract(contract: HaloContract): void {
		const source: CoverageSource = {
			type: 'contract',
			contractId: contract.id,
			ref: contract.ref,
			contractTypeId: contract.typeId,
			contractTypeName: contract.typeName,
		};
		this.add('contractIds', contract.id, source);
		if (contract.ref) this.add('contractRefs', contract.ref.toLowerCase(), source);
		if (contract.typeId !== null) {
			this.add('contractTypeIds', contract.typeId, source);
			this.add('contractTypes', String(contract.typeId), source);
		}
		if (contract.typeName) {
			this.add('contractTypeNames', contract.typeName.toLowerCase(), source);
			this.add('contractTypes', contract.typeName.toLowerCase(), source);
		}
	}

	addLine(entry: InForceLine): void {
		const { line, item } = entry;
		this.lines.push(entry);
		const contractId = line.contractId ?? entry.invoice.contractId;
		const source: CoverageSource = {
			type: 'recurringLine',
			invoiceId: line.invoiceId,
			lineId: line.id,
			itemId: line.itemId,
			itemCode: line.itemCode || item?.code || '',
			itemName: item?.name || line.itemName,
			quantity: line.quantity,
			contractId,
			contractRef: entry.contracts.find((contract) => contract.id === contractId)?.ref ?? '',
		};
		for (const field of ['itemIds', 'itemCodes', 'itemNames', 'items'] as const) {
			for (const key of entry.itemKeys[field]) this.add(field, key, source);
		}
	}

	private add(field: keyof CoverageKeys, key: string | number, source: CoverageSource): void {
		const sourceKey = `${field}\u0000${normalizeKey(key)}`;
		const known = this.sources.get(sourceKey);
		if (known) {
			known.push(source);
			return;
		}
		this.sources.set(sourceKey, [source]);
		(this.keys[field] as Array<string | number>).push(key);
	}
}

export const EMPTY_COVERAGE = new CoverageSet();

export interface CoverageOptions {
	/** the day to plan for: `yyyy-MM-dd`, an ISO timestamp or a Date; today when left out */
	date?: string | Date;
	/** IANA zone the dates are read in; default UTC */
	timeZone?: string;
}

export interface CoverageFacts {
	date: string;
	timeZone: string;
	contractInForce(contractId: number): boolean;
	lineInForce(line: HaloRecurringLine, invoice: HaloRecurringInvoice): boolean;
	inForceLines: InForceLine[];
	clientCoverage(clientId: number): CoverageSet;
	/** shared between assets with the same in-force links, so equal coverage is one object */
	assetCoverage(asset: HaloAsset): CoverageSet;
	/** the contract-linked lines of the asset; shared like {@link assetCoverage} */
	contractCoverage(asset: HaloAsset): CoverageSet;
	warnings: string[];
}

/** Reads a Halo date text into a day; the planner passes a cached reader. */
export type DayReader = (raw: string | null) => HaloDay;

/** Whether the dates [start, end] contain the day: open ends allowed, an unreadable date contains nothing. */
function datesContain(date: string, start: HaloDay, end: HaloDay): boolean {
	if (start.kind === 'unreadable' || end.kind === 'unreadable') return false;
	return isWithin(date, start.kind === 'day' ? start.day : null, end.kind === 'day' ? end.day : null);
}

/**
 * Rule: not flagged expired or inactive, start (if any) on or before the day, end (if any) on or
 * after. A date that cannot be read makes the contract not in force: better no coverage than
 * coverage that never ends.
 */
export function isContractInForce(
	contract: HaloContract,
	date: string,
	timeZone: string,
	dayOf: DayReader = (raw) => readHaloDay(raw, timeZone),
): boolean {
	if (contract.expired || !contract.active) return false;
	return datesContain(date, dayOf(contract.startDate), dayOf(contract.endDate));
}

/** At most this many examples are named in one warning. */
const WARNING_EXAMPLES = 5;

/**
 * Computes, once per snapshot and day, which contracts and recurring lines are in force and
 * what every client and asset is covered by.
 */
export function computeCoverage(snapshot: Snapshot, options: CoverageOptions = {}): CoverageFacts {
	const timeZone = options.timeZone || 'UTC';
	const date = resolvePlanDate(options.date, timeZone);
	const warnings: string[] = [];
	// Halo repeats the same few dates thousands of times; parse each text once.
	const days = new Map<string, HaloDay>();
	const dayOf: DayReader = (raw) => {
		if (raw === null) return NO_DATE;
		let day = days.get(raw);
		if (day === undefined) {
			day = readHaloDay(raw, timeZone);
			days.set(raw, day);
		}
		return day;
	};
	const unreadable: string[] = [];
	const noteUnreadable = (owner: string, fields: Array<[string, string | null]>) => {
		for (const [field, raw] of fields) if (dayOf(raw).kind === 'unreadable') unreadable.push(`${owner} ${field} "${raw}"`);
	};

	const contractsById = new Map(snapshot.contracts.map((contract) => [contract.id, contract]));
	const contractsInForce = new Set<number>();
	for (const contract of snapshot.contracts) {
		if (isContractInForce(contract, date, timeZone, dayOf)) contractsInForce.add(contract.id);
		else if (!contract.expired && contract.active) {
			noteUnreadable(`contract ${contract.id}${contract.ref ? ` (${contract.ref})` : ''}`, [
				['start_date', contract.startDate],
				['end_date', contract.endDate],
			]);
		}
	}
	const contractInForce = (contractId: number) => contractsInForce.has(contractId);

	const missingContracts = new Set<number>();
	/** Rule: invoice enabled, line active, line dates contain the day, the invoice's (and line's) contract in force. */
	const lineInForce = (line: HaloRecurringLine, invoice: HaloRecurringInvoice) => {
		if (invoice.disabled || line.inactive) return false;
		if (!datesContain(date, dayOf(line.startDate), dayOf(line.endDate))) return false;
		for (const contractId of [invoice.contractId, line.contractId]) {
			if (contractId === null) continue;
			if (!contractsById.has(contractId)) missingContracts.add(contractId);
			if (!contractsInForce.has(contractId)) return false;
		}
		return true;
	};

	const itemsById = new Map(snapshot.items.map((item) => [item.id, item]));
	const clientSets = new Map<number, CoverageSet>();
	const clientSet = (clientId: number) => {
		let set = clientSets.get(clientId);
		if (!set) {
			set = new CoverageSet();
			clientSets.set(clientId, set);
		}
		return set;
	};
	for (const contract of snapshot.contracts) {
		if (contractsInForce.has(contract.id)) clientSet(contract.clientId).addContract(contract);
	}

	const inForceLines: InForceLine[] = [];
	const linesByAsset = new Map<number, InForceLine[]>();
	/** lines without an asset on an invoice (or line) naming a contract, under the first contract named */
	const contractLines = new Map<number, InForceLine[]>();
	for (const invoice of snapshot.recurringInvoices) {
		invoice.lines.forEach((line, position) => {
			if (!lineInForce(line, invoice)) {
				if (!invoice.disabled && !line.inactive) {
					noteUnreadable(`recurring invoice ${invoice.id} line ${line.id ?? `#${position + 1} (no id)`}`, [
						['startdate', line.startDate],
						['enddate', line.endDate],
					]);
				}
				return;
			}
			const item = line.itemId === null ? undefined : itemsById.get(line.itemId);
			const contracts = [...new Set([invoice.contractId, line.contractId])]
				.filter((contractId): contractId is number => contractId !== null)
				.map((contractId) => contractsById.get(contractId) as HaloContract);
			const entry: InForceLine = { index: inForceLines.length, line, invoice, item, contracts, itemKeys: lineItemKeys(line, item) };
			inForceLines.push(entry);
			// A line with an asset bills that one machine: it is the asset's coverage, never its client's.
			if (line.assetId === null) {
				clientSet(invoice.clientId).addLine(entry);
				if (contracts.length > 0) {
					const onContract = contractLines.get(contracts[0].id) ?? [];
					onContract.push(entry);
					contractLines.set(contracts[0].id, onContract);
				}
			} else {
				const forAsset = linesByAsset.get(line.assetId) ?? [];
				forAsset.push(entry);
				linesByAsset.set(line.assetId, forAsset);
			}
		});
	}
	if (unreadable.length > 0) {
		const more = unreadable.length > WARNING_EXAMPLES ? `, and ${unreadable.length - WARNING_EXAMPLES} more` : '';
		warnings.push(
			`${unreadable.length} date(s) in the snapshot are not dates, so their contracts and recurring lines count as not in force: ${unreadable.slice(0, WARNING_EXAMPLES).join(', ')}${more}. Halo dates should read yyyy-MM-dd, yyyy-MM-ddTHH:mm:ss or yyyy-MM-dd HH:mm:ss`,
		);
	}
	if (missingContracts.size > 0) {
		warnings.push(
			`${missingContracts.size} contract(s) referenced by recurring invoices are not in the snapshot (ids ${[...missingContracts].slice(0, 10).join(', ')}); their lines count as not in force`,
		);
	}

	const contractsByAsset = new Map<number, number[]>();
	for (const contract of snapshot.contracts) {
		if (!contractsInForce.has(contract.id)) continue;
		for (const assetId of contract.assetIds) {
			const linked = contractsByAsset.get(assetId) ?? [];
			linked.push(contract.id);
			contractsByAsset.set(assetId, linked);
		}
	}

	/** The in-force contracts an asset is on (its contract_id and contracts[], or the contract's assets[]), ascending. */
	const noContracts: number[] = [];
	const contractsOf = (asset: HaloAsset): number[] => {
		const fromContracts = contractsByAsset.get(asset.id);
		// most assets have no link at all: no arrays for them (this runs twice per asset)
		if (asset.contractIds.length === 0 && !fromContracts) return noContracts;
		const linked = asset.contractIds.filter(contractInForce);
		return [...new Set([...linked, ...(fromContracts ?? [])])].sort((a, b) => a - b);
	};

	const assetSets = new Map<string, CoverageSet>();
	const assetCoverage = (asset: HaloAsset): CoverageSet => {
		// a line naming an inactive machine covers nothing (and falls back to no other machine)
		const lines = asset.inactive ? undefined : linesByAsset.get(asset.id);
		const contractIds = contractsOf(asset);
		if (!lines && contractIds.length === 0) return EMPTY_COVERAGE;
		const lineIds = (lines ?? []).map((entry) => entry.index).sort((a, b) => a - b);
		const key = `${contractIds.join(',')}|${lineIds.join(',')}`;
		let set = assetSets.get(key);
		if (!set) {
			set = new CoverageSet();
			for (const contractId of contractIds) set.addContract(contractsById.get(contractId) as HaloContract);
			for (const entry of lines ?? []) set.addLine(entry);
			assetSets.set(key, set);
		}
		return set;
	};

	/**
	 * ImmyBot's preferred rule: the lines without an asset of the recurring invoices of contracts the
	 * asset is on. A line naming two contracts (its invoice's and its own) needs the asset on both, and
	 * the invoice must bill the asset's own client.
	 */
	const contractSets = new Map<string, CoverageSet>();
	const contractCoverage = (asset: HaloAsset): CoverageSet => {
		const contractIds = contractsOf(asset);
		let lines: InForceLine[] | undefined;
		for (const contractId of contractIds) {
			for (const entry of contractLines.get(contractId) ?? []) {
				if (entry.invoice.clientId !== asset.clientId) continue;
				if (entry.contracts.some((contract) => !contractIds.includes(contract.id))) continue;
				(lines ??= []).push(entry);
			}
		}
		if (!lines) return EMPTY_COVERAGE;
		const key = lines
			.map((entry) => entry.index)
			.sort((a, b) => a - b)
			.join(',');
		let set = contractSets.get(key);
		if (!set) {
			set = new CoverageSet();
			for (const entry of lines) set.addLine(entry);
			contractSets.set(key, set);
		}
		return set;
	};

	return {
		date,
		timeZone,
		contractInForce,
		lineInForce,
		inForceLines,
		clientCoverage: (clientId) => clientSets.get(clientId) ?? EMPTY_COVERAGE,
		assetCoverage,
		contractCoverage,
		warnings,
	};
}
