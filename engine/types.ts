/**
 * The snapshot the planner works on, normalised from Halo's answers: ids are numbers, arrays
 * are always present, names are trimmed. Dates stay as Halo sent them and are read in the
 * plan's time zone when coverage is computed.
 */

export interface HaloClient {
	id: number;
	name: string;
	inactive: boolean;
}

export interface HaloContract {
	id: number;
	clientId: number;
	ref: string;
	typeId: number | null;
	typeName: string;
	startDate: string | null;
	endDate: string | null;
	/** `false` when Halo flags the contract inactive */
	active: boolean;
	expired: boolean;
	siteId: number | null;
	/** assets listed on the contract itself (only present when loaded with details) */
	assetIds: number[];
}

export interface HaloRecurringLine {
	/** null when Halo sent the line without an id */
	id: number | null;
	invoiceId: number;
	itemId: number | null;
	itemCode: string;
	itemName: string;
	quantity: number;
	assetId: number | null;
	contractId: number | null;
	startDate: string | null;
	endDate: string | null;
	inactive: boolean;
}

export interface HaloRecurringInvoice {
	id: number;
	clientId: number;
	contractId: number | null;
	disabled: boolean;
	lines: HaloRecurringLine[];
}

export interface HaloItem {
	id: number;
	name: string;
	/** Halo's internal reference: the closest thing to a SKU */
	code: string;
	recurring: boolean;
}

export interface HaloAsset {
	id: number;
	name: string;
	clientId: number;
	clientName: string;
	siteId: number | null;
	typeId: number | null;
	typeName: string;
	inactive: boolean;
	/** contracts the asset is linked to (its `contract_id` and `contracts[]`) */
	contractIds: number[];
	/** the asset as Halo sent it, for conditions on other and custom fields (`$.fields.<name>`) */
	fields: Record<string, unknown>;
}

export interface Snapshot {
	clients: HaloClient[];
	contracts: HaloContract[];
	recurringInvoices: HaloRecurringInvoice[];
	items: HaloItem[];
	assets: HaloAsset[];
	/** installed software names by asset id; absent when the installed software was not loaded */
	installedSoftware?: Map<number, string[]>;
	/**
	 * the assets whose installed software was read, when it was read for some only (see
	 * `assetsNeedingInstalledSoftware`); the others' is unknown. Absent: every asset's was read.
	 */
	installedSoftwareReadFor?: Set<number>;
}

/** What a snapshot may look like before normalising: Halo's own field names, envelopes and variants. */
export interface RawSnapshot {
	clients?: unknown;
	contracts?: unknown;
	recurringInvoices?: unknown;
	invoices?: unknown;
	items?: unknown;
	assets?: unknown;
	/** `{ [assetId]: [{ name }] | string[] }` or rows `{ device_id | asset_id, name }` */
	installedSoftware?: unknown;
	software?: unknown;
}
