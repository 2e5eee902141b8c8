import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { rateLimitOptions, returnAllAndLimit, simplifyField, ticketLocator } from '../../helpers/descriptions';
import { ACTION_SIMPLE_FIELDS, simplifyOutput } from '../../helpers/simplify';
import { requireId } from '../../helpers/values';
import { haloApiRequestAllItems } from '../../transport';

const properties: INodeProperties[] = [
	ticketLocator(),
	...returnAllAndLimit,
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: [
			{
				displayName: 'Customer-Visible Only',
				name: 'customerVisibleOnly',
				type: 'boolean',
				default: false,
				description: 'Whether to leave out private notes the end user cannot see',
			},
			{
				displayName: 'Hide System Actions',
				name: 'hideSystemActions',
				type: 'boolean',
				default: false,
				description: 'Whether to leave out actions Halo logged by itself (status changes by rules, SLA events)',
			},
		],
	},
	simplifyField,
	rateLimitOptions,
];

export const description = updateDisplayOptions({ show: { resource: ['note'], operation: ['getMany'] } }, properties);

/** Halo's `who_type` for actions it logged itself. */
const SYSTEM_WHO_TYPE = 0;

export function toActionQuery(ticketId: number, filters: IDataObject): IDataObject {
	return {
		ticket_id: ticketId,
		...(filters.hideSystemActions === true ? { excludesys: true } : {}),
		...(filters.customerVisibleOnly === true ? { excludeprivate: true } : {}),
	};
}

/** The same filters applied to the rows, for Halo versions that ignore a query flag. */
export function keepMatchingActions(actions: IDataObject[], filters: IDataObject): IDataObject[] {
	return actions.filter(
		(action) =>
			!(filters.hideSystemActions === true && Number(action.who_type) === SYSTEM_WHO_TYPE) &&
			!(filters.customerVisibleOnly === true && action.hiddenfromuser === true),
	);
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const ticketId = requireId.call(this, 'ticketId', 'ticket ID', itemIndex);
	const returnAll = this.getNodeParameter('returnAll', itemIndex) as boolean;
	const limit = returnAll ? undefined : (this.getNodeParameter('limit', itemIndex) as number);
	const filters = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
	const actions = await haloApiRequestAllItems.call(this, '/Actions', 'actions', {
		qs: toActionQuery(ticketId, filters),
		itemIndex,
	});
	const matching = keepMatchingActions(actions, filters);
	return simplifyOutput.call(this, itemIndex, limit === undefined ? matching : matching.slice(0, limit), ACTION_SIMPLE_FIELDS);
}
