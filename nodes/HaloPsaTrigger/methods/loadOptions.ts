import type { IDataObject, ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import { haloApiRequest } from '../../transport';

export async function getTicketTypes(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const ticketTypes = (await haloApiRequest.call(this, 'GET', '/TicketType')) as IDataObject[];
	return ticketTypes
		.map((ticketType) => ({ name: String(ticketType.name ?? ticketType.id), value: Number(ticketType.id) }))
		.sort((first, second) => first.name.localeCompare(second.name));
}
