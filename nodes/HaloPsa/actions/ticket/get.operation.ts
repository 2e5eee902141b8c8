import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { rateLimitOptions, simplifyField, ticketLocator } from '../../helpers/descriptions';
import { simplifyOutput, TICKET_SIMPLE_FIELDS } from '../../helpers/simplify';
import { requireId } from '../../helpers/values';
import { getTicket } from './getTicket';

const properties: INodeProperties[] = [ticketLocator(), simplifyField, rateLimitOptions];

export const description = updateDisplayOptions({ show: { resource: ['ticket'], operation: ['get'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const ticketId = requireId.call(this, 'ticketId', 'ticket ID', itemIndex);
	return simplifyOutput.call(this, itemIndex, [await getTicket.call(this, ticketId, itemIndex)], TICKET_SIMPLE_FIELDS);
}
