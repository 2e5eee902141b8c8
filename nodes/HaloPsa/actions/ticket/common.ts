import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { simplifyRecords, TICKET_SIMPLE_FIELDS } from '../../helpers/simplify';
import { haloApiRequest } from '../../transport';


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
