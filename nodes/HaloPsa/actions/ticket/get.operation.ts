import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { rateLimitOptions, simplifyField, ticketLocator } from '../../helpers/descriptions';
import { simplifyOutput, TICKET_SIMPLE_FIELDS } from '../../helpers/simplify';
import { requireId } from '../../helpers/values';
import { getTicket } from './getTicket';

export const option = { name: 'Get', description: 'Get a ticket', action: 'Get a ticket' };

export const properties: INodeProperties[] = [ticketLocator(), simplifyField, rateLimitOptions];


export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const ticketId = requireId.call(this, 'ticketId', 'ticket ID', itemIndex);
	return simplifyOutput.call(this, itemIndex, [await getTicket.call(this, ticketId, itemIndex)], TICKET_SIMPLE_FIELDS);
}
