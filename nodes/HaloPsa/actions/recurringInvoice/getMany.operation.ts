import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { ListFilter } from '../listRecords';
import { simplifyOutput } from '../../helpers/simplify';
import { clientFilter, idFilter, listFields, listRows, readListFilters } from '../listRecords';

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

const linesOf = (invoice: IDataObject) => (Array.isArray(invoice.lines) ? (invoice.lines as IDataObject[]) : []);

/** Keeps the invoices with a line whose `key` is the filter's ID. */
function lineFilter(key: string, field: Pick<INodeProperties, 'displayName' | 'name' | 'placeholder' | 'description'>): ListFilter {
	return {
		isId: true,
		field: { type: 'string', default: '', ...field },
		rowTest: (id) => (invoice) => linesOf(invoice).some((line) => Number(line[key]) === id),
	};
}

const filters: ListFilter[] = [
	clientFilter('recurring invoices'),
	idFilter('contract_id', {
		displayName: 'Contract ID',
		name: 'contractId',
		description: 'Only recurring invoices of this contract',
	}),
	// Halo's list has neither an item nor an asset filter, so the node tests each invoice's lines.
	lineFilter('_itemid', { displayName: 'Item ID', name: 'itemId', placeholder: 'e.g. 7', description: 'Only recurring invoices with a line for this item' }),
	// A line with asset_id > 0 bills that one machine: this finds a machine's own licences.
	lineFilter('asset_id', { displayName: 'Asset ID', name: 'assetId', placeholder: 'e.g. 12', description: 'Only recurring invoices with a line billing this asset' }),
];

export const option = {
	name: 'Get Many',
	description: 'Get many recurring invoices with their lines',
	action: 'Get many recurring invoices',
};

export const properties: INodeProperties[] = listFields(filters.map((filter) => filter.field));

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const { qs, keep } = readListFilters.call(this, itemIndex, filters);
	const invoices = await listRows.call(this, itemIndex, invoiceList, qs, keep);
	for (const invoice of invoices) invoice.lines = simplifyOutput.call(this, itemIndex, linesOf(invoice), simplifiedLineFields);
	return simplifyOutput.call(this, itemIndex, invoices, simplifiedInvoiceFields);
}
