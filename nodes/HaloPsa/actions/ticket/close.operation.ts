import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { rateLimitOptions, simplifyField, ticketLocator } from '../../helpers/descriptions';
import { simplifyOutput, TICKET_SIMPLE_FIELDS } from '../../helpers/simplify';
import { requireId, toHaloId } from '../../helpers/values';
import { haloApiRequest, haloApiRequestAllItems } from '../../../transport';
import { getTicket } from './getTicket';

export const option = { name: 'Close', description: 'Close a ticket', action: 'Close a ticket' };

export const properties: INodeProperties[] = [
	ticketLocator(),
	{
		displayName: 'Closed Status Name or ID',
		name: 'closedStatusId',
		type: 'options',
		typeOptions: { loadOptionsMethod: 'getStatuses' },
		default: '',
		description:
			'The status that closes tickets in this Halo. Empty means the status named "Closed". Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
	},
	simplifyField,
	rateLimitOptions,
];


export const DEFAULT_CLOSED_STATUS_NAME = 'Closed';

async function resolveClosedStatus(this: IExecuteFunctions, itemIndex: number): Promise<number> {
	const chosen = toHaloId(this.getNodeParameter('closedStatusId', itemIndex, ''));
	if (chosen !== undefined && chosen > 0) return chosen;
	const statuses = await haloApiRequestAllItems.call(this, '/Status', null, { itemIndex });
	const closed = statuses.find(
		(status) => String(status.name ?? '').trim().toLowerCase() === DEFAULT_CLOSED_STATUS_NAME.toLowerCase(),
	);
	if (!closed) {
		throw new NodeOperationError(this.getNode(), `No status named "${DEFAULT_CLOSED_STATUS_NAME}" exists in this Halo`, {
			itemIndex,
			description: `Pick the closing status under "Closed Status". Statuses in this Halo: ${statuses
				.map((status) => `"${String(status.name)}"`)
				.join(', ')}.`,
		});
	}
	return toHaloId(closed.id) as number;
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const ticketId = requireId.call(this, 'ticketId', 'ticket ID', itemIndex);
	const statusId = await resolveClosedStatus.call(this, itemIndex);
	const verifyWrite = async () => {
		const ticket = await getTicket.call(this, ticketId, itemIndex);
		return toHaloId(ticket.status_id) === statusId ? ticket : undefined;
	};
	const closed = (await haloApiRequest.call(this, 'POST', '/Tickets', {
		body: { id: ticketId, status_id: statusId },
		itemIndex,
		verifyWrite,
	})) as IDataObject;
	return simplifyOutput.call(this, itemIndex, [closed], TICKET_SIMPLE_FIELDS);
}
