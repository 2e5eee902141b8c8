import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { optionalId } from '../../helpers/values';
import type { QueryFilter } from '../common/getMany';
import { clientFilter, finishRows, getManyFields, idFilter, listRows, readQueryFilters } from '../common/getMany';

const simplifiedInvoiceFields = ['id', 'client_id', 'client_name', 'contract_id', 'contract_ref', 'disabled', 'lines'];
const simplifiedLineFields = [
	'id',
	'ihid',
	'_itemid',
	'item_code',
	'item_shortdescription',
	'qty_order',
	'unit_price',
	'asset_id',
	'contract_id',
	'startdate',
	'enddate',
	'isinactive',
];

const invoiceList = { path: '/RecurringInvoice', envelopeKey: 'invoices', fixedQuery: { includelines: true } };

const queryFilters: QueryFilter[] = [
	clientFilter('recurring invoices'),
	idFilter('contract_id', {
		displayName: 'Contract ID',
		name: 'contractId',
		description: 'Only recurring invoices of this contract',
	}),
];

/** Halo's list has no item filter, so the node applies it to the lines it reads. */
const itemFilter: INodeProperties = {
	displayName: 'Item ID',
	name: 'itemId',
	type: 'string',
	default: '',
	placeholder: 'e.g. 7',
	description: 'Only recurring invoices that bill this item, each with only the lines for it',
};

export const description: INodeProperties[] = getManyFields('recurringInvoice', [
	...queryFilters.map((filter) => filter.field),
	itemFilter,
]);

const linesOf = (invoice: IDataObject) => (Array.isArray(invoice.lines) ? (invoice.lines as IDataObject[]) : []);

export async function execute(this: IExecuteFunctions, itemIndex: number) {
	const qs = readQueryFilters.call(this, itemIndex, queryFilters);
	const itemId = optionalId.call(this, `filters.${itemFilter.name}`, itemFilter.displayName, itemIndex);
	const billsItem = (line: IDataObject) => Number(line._itemid) === itemId;

	const invoices = await listRows.call(
		this,
		itemIndex,
		invoiceList,
		qs,
		itemId === undefined ? undefined : (invoice) => linesOf(invoice).some(billsItem),
	);
	for (const invoice of invoices) {
		const lines = itemId === undefined ? linesOf(invoice) : linesOf(invoice).filter(billsItem);
		invoice.lines = finishRows.call(this, itemIndex, lines, simplifiedLineFields);
	}
	return finishRows.call(this, itemIndex, invoices, simplifiedInvoiceFields);
}
