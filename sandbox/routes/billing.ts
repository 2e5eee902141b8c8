import { haloDate, parseHaloDate } from '../dates';
import { dotNetError } from '../http';
import type { HaloStore } from '../store';
import type { Contract, InvoiceLine, Item, RecurringInvoice } from '../types';
import { contractView, invoiceView, itemView } from '../views';
import { allOf, assignFields, containsText, envelope, pageOf, reference, type ApiRoute, type RouteContext } from './context';
import { entityRoutes } from './entity';

/** Contracts, recurring invoices and items: the billing side the deployment policies read. */

function dateField(record: Record<string, unknown>, field: string): string | undefined {
	const value = record[field] as string | undefined;
	return value === undefined ? undefined : haloDate(parseHaloDate(value));
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
	create: (record, { store, now }) => {
		const clientId = record.client_id as number | undefined;
		reference(clientId ? store.clients.get(clientId) : undefined, 'client_id', clientId);
		const type = (record.contracttype as number | undefined) ?? 2;
		reference(store.contractTypes.get(type), 'contracttype', type);
		return {
			id: store.contracts.nextId(),
			client_id: clientId as number,
			site_id: (record.site_id as number | undefined) ?? store.sites.bucket('client', clientId as number)[0]?.id ?? 0,
			ref: (record.ref as string | undefined) ?? `CON-${store.contracts.nextId()}`,
			start_date: dateField(record, 'start_date') ?? haloDate(now),
			end_date: dateField(record, 'end_date') ?? haloDate(now + 365 * 24 * 3600 * 1000),
			active: (record.active as boolean | undefined) ?? true,
			contracttype: type,
			renewed: false,
		};
	},
	update: (contract, record, { store }) => {
		if (record.contracttype !== undefined) reference(store.contractTypes.get(record.contracttype as number), 'contracttype', record.contracttype);
		assignFields(contract, record, ['client_id', 'site_id', 'ref', 'active', 'contracttype']);
		contract.start_date = dateField(record, 'start_date') ?? contract.start_date;
		contract.end_date = dateField(record, 'end_date') ?? contract.end_date;
	},
	events: { created: 'contractCreated', updated: 'contractUpdated', objectKey: 'contract' },
	doubleKeys: ['client_id'],
});

/** Replaces an invoice's lines from the request: a line with an id updates that line, others are new. */
function linesFrom(value: unknown, invoice: RecurringInvoice, store: HaloStore): InvoiceLine[] {
	if (!Array.isArray(value)) throw dotNetError(400, 'lines must be an array');
	return value.map((entry, index) => {
		if (typeof entry !== 'object' || entry === null) throw dotNetError(400, `lines[${index}] must be an object`);
		const fields = entry as Record<string, unknown>;
		const previous = invoice.lines.find((line) => line.id === Number(fields.id));
		const itemId = Number(fields._itemid ?? fields.item_id ?? previous?.item_id);
		const item = reference(store.items.get(itemId), `lines[${index}]._itemid`, fields._itemid ?? fields.item_id);
		const date = (name: 'startdate' | 'enddate') =>
			fields[name] === undefined ? (previous?.[name] ?? null) : fields[name] === null ? null : haloDate(parseHaloDate(String(fields[name])));
		return {
			id: previous?.id ?? store.nextInvoiceLineId(),
			ihid: invoice.id,
			item_id: item.id,
			qty_order: Number(fields.qty_order ?? previous?.qty_order ?? 1),
			unit_price: Number(fields.unit_price ?? previous?.unit_price ?? item.baseprice),
			asset_id: Number(fields.asset_id ?? previous?.asset_id ?? 0),
			contract_id: Number(fields.contract_id ?? previous?.contract_id ?? invoice.contract_id),
			startdate: date('startdate'),
			enddate: date('enddate'),
			isinactive: Boolean(fields.isinactive ?? previous?.isinactive ?? false),
		};
	});
}

const invoiceRoutes = entityRoutes<RecurringInvoice>({
	path: '/api/recurringinvoice',
	entity: 'Recurring Invoice',
	area: 'invoices',
	table: (store) => store.invoices,
	schema: { id: 'int', client_id: 'int', contract_id: 'int', disabled: 'bool', invoice_date: 'date', lines: 'array' },
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
		const clientId = record.client_id as number | undefined;
		reference(clientId ? store.clients.get(clientId) : undefined, 'client_id', clientId);
		const invoice: RecurringInvoice = {
			id: store.invoices.nextId(),
			client_id: clientId as number,
			contract_id: (record.contract_id as number | undefined) ?? 0,
			disabled: (record.disabled as boolean | undefined) ?? false,
			invoice_date: dateField(record, 'invoice_date') ?? haloDate(now),
			lines: [],
		};
		if (record.lines !== undefined) invoice.lines = linesFrom(record.lines, invoice, store);
		return invoice;
	},
	update: (invoice, record, { store }) => {
		assignFields(invoice, record, ['client_id', 'contract_id', 'disabled']);
		invoice.invoice_date = dateField(record, 'invoice_date') ?? invoice.invoice_date;
		if (record.lines !== undefined) invoice.lines = linesFrom(record.lines, invoice, store);
	},
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
