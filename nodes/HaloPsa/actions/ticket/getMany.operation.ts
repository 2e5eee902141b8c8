import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { clientLocator, rateLimitOptions, returnAllAndLimit, simplifyField } from '../../helpers/descriptions';
import { simplifier, TICKET_SIMPLE_FIELDS } from '../../helpers/simplify';
import { mapHaloIds, toHaloDate, toHaloId } from '../../helpers/values';
import { haloApiRequestAllItems } from '../../../transport';

export const option = { name: 'Get Many', description: 'Get many tickets', action: 'Get many tickets' };

export const properties: INodeProperties[] = [
	...returnAllAndLimit,
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: [
			{
				displayName: 'Agent Name or ID',
				name: 'agentId',
				type: 'options',
				typeOptions: { loadOptionsMethod: 'getAgents' },
				default: '',
				description:
					'Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
			},
			clientLocator(),
			{
				displayName: 'Open Only',
				name: 'openOnly',
				type: 'boolean',
				default: false,
				description: 'Whether to return only tickets that are not closed',
			},
			{
				displayName: 'Search',
				name: 'search',
				type: 'string',
				default: '',
				description: 'Text to look for in the ticket\'s summary and details',
			},
			{ displayName: 'Site ID', name: 'siteId', type: 'number', default: 0 },
			{
				displayName: 'Status Name or ID',
				name: 'statusId',
				type: 'options',
				typeOptions: { loadOptionsMethod: 'getStatuses' },
				default: '',
				description:
					'Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
			},
			{
				displayName: 'Ticket Type Name or ID',
				name: 'ticketTypeId',
				type: 'options',
				typeOptions: { loadOptionsMethod: 'getTicketTypes' },
				default: '',
				description:
					'Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
			},
			{
				displayName: 'Updated Since',
				name: 'updatedSince',
				type: 'dateTime',
				default: '',
				description: 'Only tickets changed at or after this time',
			},
			{ displayName: 'User ID', name: 'userId', type: 'number', default: 0 },
		],
	},
	simplifyField,
	rateLimitOptions,
];


const ID_FILTERS: Record<string, string> = {
	agentId: 'agent_id',
	siteId: 'site_id',
	statusId: 'status_id',
	ticketTypeId: 'requesttype_id',
	userId: 'user_id',
};

/** Maps the node's filters to Halo's `GET /Tickets` query. */
export function toTicketQuery(filters: IDataObject): IDataObject {
	const qs = mapHaloIds(filters, ID_FILTERS);
	const client = filters.clientId as IDataObject | string | number | undefined;
	const clientId = toHaloId(typeof client === 'object' && client !== null ? client.value : client);
	if (clientId !== undefined && clientId > 0) qs.client_id = clientId;
	if (filters.openOnly === true) qs.open_only = true;
	if (typeof filters.search === 'string' && filters.search.trim()) qs.search = filters.search.trim();
	if (filters.updatedSince) {
		const since = toHaloDate(String(filters.updatedSince));
		if (since === undefined) throw new Error(`"${String(filters.updatedSince)}" is not a date`);
		qs.lastupdatefromdate = since;
	}
	return qs;
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const returnAll = this.getNodeParameter('returnAll', itemIndex) as boolean;
	const limit = returnAll ? undefined : (this.getNodeParameter('limit', itemIndex) as number);
	const filters = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
	let qs: IDataObject;
	try {
		qs = toTicketQuery(filters);
	} catch (error) {
		throw new NodeOperationError(this.getNode(), `Filter "Updated Since": ${error.message}`, {
			itemIndex,
			description: 'Use a date like 2025-03-01T09:30:00Z.',
		});
	}
	const mapRow = simplifier.call(this, itemIndex, TICKET_SIMPLE_FIELDS);
	return await haloApiRequestAllItems.call(this, '/Tickets', 'tickets', { qs, limit, itemIndex, mapRow });
}
