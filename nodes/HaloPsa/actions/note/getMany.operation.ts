import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { rateLimitOptions, returnAllAndLimit, simplifyField, ticketLocator } from '../../helpers/descriptions';
import { ACTION_SIMPLE_FIELDS, simplifier } from '../../helpers/simplify';
import { requireId } from '../../helpers/values';
import { listRows } from '../listRecords';

export const option = {
	name: 'Get Many',
	description: 'Get many notes and actions of a ticket',
	action: 'Get many notes of a ticket',
};

export const properties: INodeProperties[] = [
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


/** Halo's `who_type` for actions it logged itself. */
const SYSTEM_WHO_TYPE = 0;

export function toActionQuery(ticketId: number, filters: IDataObject): IDataObject {
	return {
		ticket_id: ticketId,
		...(filters.hideSystemActions === true ? { excludesys: true } : {}),
		...(filters.customerVisibleOnly === true ? { excludeprivate: true } : {}),
	};
}

/** The same filters as a test of one row, for Halo versions that ignore a query flag. */
export function actionMatches(filters: IDataObject): (action: IDataObject) => boolean {
	return (action) =>
		!(filters.hideSystemActions === true && Number(action.who_type) === SYSTEM_WHO_TYPE) &&
		!(filters.customerVisibleOnly === true && action.hiddenfromuser === true);
}

/** The same filters applied to the rows, for Halo versions that ignore a query flag. */
export function keepMatchingActions(actions: IDataObject[], filters: IDataObject): IDataObject[] {
	return actions.filter(actionMatches(filters));
}

const ACTION_LIST = { path: '/Actions', envelopeKey: 'actions' };

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const ticketId = requireId.call(this, 'ticketId', 'ticket ID', itemIndex);
	const filters = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
	// Always with the row test, so the list is read in full before the limit, as the filters need.
	return await listRows.call(
		this,
		itemIndex,
		ACTION_LIST,
		toActionQuery(ticketId, filters),
		actionMatches(filters),
		simplifier.call(this, itemIndex, ACTION_SIMPLE_FIELDS),
	);
}
