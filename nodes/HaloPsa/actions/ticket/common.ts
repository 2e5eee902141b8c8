import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { maxRateLimitWaitOption } from '../../helpers/descriptions';
import { simplifyRecords, TICKET_SIMPLE_FIELDS } from '../../helpers/simplify';
import { haloApiRequest } from '../../transport';

/** The "Options" collection every ticket operation offers. */
export const ticketOptions: INodeProperties = {
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	options: [maxRateLimitWaitOption],
};

export async function getTicket(this: IExecuteFunctions, ticketId: number, itemIndex: number): Promise<IDataObject> {
	return (await haloApiRequest.call(this, 'GET', `/Tickets/${ticketId}`, {
		qs: { includedetails: true },
		itemIndex,
	})) as IDataObject;
}

export function outputTickets(this: IExecuteFunctions, tickets: IDataObject[], itemIndex: number): IDataObject[] {
	const simplify = this.getNodeParameter('simplify', itemIndex, true) as boolean;
	return simplifyRecords(tickets, TICKET_SIMPLE_FIELDS, simplify);
}
