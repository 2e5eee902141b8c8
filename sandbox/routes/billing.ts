import { haloDate } from '../dates';
import { dotNetError } from '../http';
import type { HaloStore } from '../store';
import type { Contract, InvoiceLine, Item, RecurringInvoice } from '../types';
import { checkReferences, reference, type Schema } from '../validation';
import { contractView, invoiceView, itemView } from '../views';
import { allOf, assignFields, containsText, envelope, pageOf, type ApiRoute, type RouteContext } from './context';
import { entityRoutes } from './entity';

/** Contracts, recurring invoices and items: the billing side the deployment policies read. */

function checkContractReferences(record: Record<string, unknown>, { store }: RouteContext, notZero?: readonly string[]): void {
	checkReferences(
		record,
		{
			client_id: (id) => store.clients.get(id),
			site_id: (id) => store.sites.get(id),
			contracttype: (id) => store.contractTypes.get(id),
		},
		notZero,
	);
}

const contractRoutes = entityRoutes<Contract>({
	path: '/api/clientcontract',
	entity: 'Contract',
	area: 'contracts',
	table: (store) => store.contracts,
	schema: {
		id: 'int',
		client_id: 'int',
		site_id: 'int',
		ref: 'string',
		start_date: 'date',
		end_date: 'date',
		active: 'bool',
		contracttype: 'int',
	},
	view: (contract, { store, now }, details) => contractView(contract, store, now, details),
	list: ({ store, query, now }) => {
		const clientId = query.int('client_id');
		const siteId = query.int('site_id');
		const deviceId = query.int('device_id');
		const includeInactive = query.bool('includeinactive') ?? false;
		const excludeRenewed = query.bool('excluderenewed') ?? false;
		const deviceContracts = deviceId !== undefined ? new Set(store.assets.get(deviceId)?.contract_ids ?? []) : undefined;
		const candidates = clientId !== undefined ? store.contracts.bucket('client', clientId) : store.contracts.all();
		const matches = allOf<Contract>([
			siteId !== undefined && ((contract) => contract.site_id === siteId),
			deviceContracts && ((contract) => deviceContracts.has(contract.id)),
			!includeInactive && ((contract) => contract.active),
			excludeRenewed && ((contract) => !contract.renewed),
		]);
		return envelope(pageOf(query, candidates, matches), 'contracts', (contract) => contractView(contract, store, now, false));
	},
	create: (record, context) => {
		const { store, now } = context;
		checkContractReferences(record, context);
		const clientId = record.client_id as number | undefined;
		reference(clientId ? store.clients.get(clientId) : undefined, 'client_id', clientId);
		const type = (record.contracttype as number | undefined) || 2;
		reference(store.contractTypes.get(type), 'contracttype', type);
		return {
			id: store.contracts.nextId(),
			client_id: clientId as number,
			site_id: (record.site_id as number | undefined) ?? store.sites.bucket('client', clientId as number)[0]?.id ?? 0,
			ref: (record.ref as string | undefined) ?? `CON-${store.contracts.nextId()}`,
			// Dates arrive bound: checked and written the Halo way.
			start_date: (record.start_date as string | undefined) ?? haloDate(now),
			end_date: (record.end_date as string | undefined) ?? haloDate(now + 365 * 24 * 3600 * 1000),
			active: (record.active as boolean | undefined) ?? true,
			contracttype: type,
			renewed: false,
		};
	},
	update: (draft, record, context) => {
		checkContractReferences(record, context, ['client_id', 'contracttype']);
		assignFields(draft, record, ['client_id', 'site_id', 'ref', 'active', 'contracttype', 'start_date', 'end_date']);
	},
	events: { created: 'contractCreated', updated: 'contractUpdated', objectKey: 'contract' },
	doubleKeys: ['client_id'],
});

const lineSchema: Schema = {
	id: 'int',
	_itemid: 'int',
	item_id: 'int',
	qty_order: 'number',
	unit_price: 'number',
	asset_id: 'int',
	contract_id: 'int',
	startdate: 'date',
	enddate: 'date',
	isinactive: 'bool',
};

/**
 * Replaces an invoice's lines from bound line records: a line with one of the invoice's line ids
 * updates that line, any other is new. Validates every reference; writes nothing (new lines take
 * ids from the store's counter, which moves on only once the invoice is written).
 */
function linesFrom(records: ReadonlyArray<Record<string, unknown>>, invoice: RecurringInvoice, store: HaloStore): InvoiceLine[] {
	let nextLineId = store.nextInvoiceLineId();
	return records.map((fields, index) => {
		const previous = invoice.lines.find((line) => line.id === fields.id);
		const itemId = (fields._itemid ?? fields.item_id ?? previous?.item_id) as number | null | undefined;
		if (itemId === undefined || itemId === null) throw dotNetError(400, `lines[${index}]._itemid (the item billed) is required`);
		const item = reference(store.items.get(itemId), `lines[${index}]._itemid`, itemId);
		checkReferences(fields, {
			asset_id: (id) => store.assets.get(id),
			contract_id: (id) => store.contracts.get(id),
		});
		const date = (name: 'startdate' | 'enddate') => (fields[name] === undefined ? (previous?.[name] ?? null) : (fields[name] as string | null));
		return {
			id: previous?.id ?? nextLineId++,
			ihid: invoice.id,
			item_id: item.id,
			qty_order: (fields.qty_order ?? previous?.qty_order ?? 1) as number,
			unit_price: (fields.unit_price ?? previous?.unit_price ?? item.baseprice) as number,
			asset_id: (fields.asset_id ?? previous?.asset_id ?? 0) as number,
			contract_id: (fields.contract_id ?? previous?.contract_id ?? invoice.contract_id) as number,
			startdate: date('startdate'),
			enddate: date('enddate'),
			isinactive: (fields.isinactive ?? previous?.isinactive ?? false) as boolean,
		};
	});
}

function checkInvoiceReferences(record: Record<string, unknown>, { store }: RouteContext, notZero?: readonly string[]): void {
	checkReferences(record, { client_id: (id) => store.clients.get(id), contract_id: (id) => store.contracts.get(id) }, notZero);
}

type LineRecords = Array<Record<string, unknown>>;

const invoiceRoutes = entityRoutes<RecurringInvoice>({
	path: '/api/recurringinvoice',
	entity: 'Recurring Invoice',
	area: 'invoices',
	table: (store) => store.invoices,
	schema: { id: 'int', client_id: 'int', contract_id: 'int', disabled: 'bool', invoice_date: 'date', lines: { records: lineSchema } },
	// A single recurring invoice always comes with its lines.
	view: (invoice, { store }) => invoiceView(invoice, store, true),
	list: ({ store, query }) => {
		const clientId = query.int('client_id');
		const contractId = query.int('contract_id');
		const includeLines = query.bool('includelines') ?? false;
		const candidates =
			contractId !== undefined
				? store.invoices.bucket('contract', contractId)
				: clientId !== undefined
					? store.invoices.bucket('client', clientId)
					: store.invoices.all();
		const matches = allOf<RecurringInvoice>([clientId !== undefined && ((invoice) => invoice.client_id === clientId)]);
		return envelope(pageOf(query, candidates, matches), 'invoices', (invoice) => invoiceView(invoice, store, includeLines));
	},
	create: (record, context: RouteContext) => {
		const { store, now } = context;
		checkInvoiceReferences(record, context);
		const clientId = record.client_id as number | undefined;
		reference(clientId ? store.clients.get(clientId) : undefined, 'client_id', clientId);
		const invoice: RecurringInvoice = {
			id: store.invoices.nextId(),
			client_id: clientId as number,
			contract_id: (record.contract_id as number | undefined) ?? 0,
			disabled: (record.disabled as boolean | undefined) ?? false,
			invoice_date: (record.invoice_date as string | undefined) ?? haloDate(now),
			lines: [],
		};
		if (record.lines !== undefined) invoice.lines = linesFrom(record.lines as LineRecords, invoice, store);
		return invoice;
	},
	update: (draft, record, context) => {
		checkInvoiceReferences(record, context, ['client_id']);
		assignFields(draft, record, ['client_id', 'contract_id', 'disabled', 'invoice_date']);
		if (record.lines !== undefined) draft.lines = linesFrom(record.lines as LineRecords, draft, context.store);
	},
	written: (invoice, { store }) => store.noteInvoiceLines(invoice.lines),
	doubleKeys: ['contract_id', '_itemid'],
});

const itemRoutes = entityRoutes<Item>({
	path: '/api/item',
	entity: 'Item',
	area: 'items',
	table: (store) => store.items,
	schema: { id: 'int', name: 'string', internalreference: 'string', isrecurringitem: 'bool', inactive: 'bool', baseprice: 'number', costprice: 'number' },
	view: (item) => itemView(item),
	// Without paging Halo answers Item as a bare array; with paging it wraps it in `items`.
	list: ({ store, query }) => {
		const search = query.string('search');
		const recurringOnly = query.bool('recurringonly') ?? false;
		const includeInactive = query.bool('includeinactive') ?? false;
		const matches = allOf<Item>([
			search !== undefined && ((item) => containsText([item.name, item.internalreference], search)),
			recurringOnly && ((item) => item.isrecurringitem),
			!includeInactive && ((item) => !item.inactive),
		]);
		const page = pageOf(query, store.items.all(), matches);
		return page.paged ? envelope(page, 'items', itemView) : page.rows.map(itemView);
	},
	create: (record, { store }) => {
		const name = (record.name as string | undefined)?.trim();
		if (!name) throw dotNetError(400, 'Please enter a name for this Item');
		return {
			id: store.items.nextId(),
			name,
			internalreference: (record.internalreference as string | undefined) ?? '',
			isrecurringitem: (record.isrecurringitem as boolean | undefined) ?? false,
			inactive: (record.inactive as boolean | undefined) ?? false,
			baseprice: (record.baseprice as number | undefined) ?? 0,
			costprice: (record.costprice as number | undefined) ?? 0,
		};
	},
	update: (item, record) => assignFields(item, record, ['name', 'internalreference', 'isrecurringitem', 'inactive', 'baseprice', 'costprice']),
});

export const billingRoutes: ApiRoute[] = [...contractRoutes, ...invoiceRoutes, ...itemRoutes];
