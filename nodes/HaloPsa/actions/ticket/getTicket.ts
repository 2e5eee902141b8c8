import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { haloApiRequest } from '../../../transport';

export async function getTicket(this: IExecuteFunctions, ticketId: number, itemIndex: number): Promise<IDataObject> {
	return (await haloApiRequest.call(this, 'GET', `/Tickets/${ticketId}`, {
		qs: { includedetails: true },
		itemIndex,
	})) as IDataObject;
}
