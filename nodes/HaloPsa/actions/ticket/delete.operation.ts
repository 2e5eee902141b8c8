import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { rateLimitOptions, ticketLocator } from '../../helpers/descriptions';
import { requireId } from '../../helpers/values';
import { haloApiRequest } from '../../../transport';

export const option = { name: 'Delete', description: 'Delete a ticket', action: 'Delete a ticket' };

export const properties: INodeProperties[] = [ticketLocator(), rateLimitOptions];


export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const ticketId = requireId.call(this, 'ticketId', 'ticket ID', itemIndex);
	await haloApiRequest.call(this, 'DELETE', `/Tickets/${ticketId}`, { itemIndex });
	return { id: ticketId, deleted: true };
}
