import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { clientLocator, rateLimitOptions, simplifyField } from '../../helpers/descriptions';
import { optionalId, parseHaloDate } from '../../helpers/values';
import { haloApiRequest, haloApiRequestAllItems } from '../../transport';
import { outputTickets } from './common';
import { createOnlyFieldOptions, ticketFieldOptions, toTicketBody } from './fields';

const properties: INodeProperties[] = [
	{
		displayName: 'Summary',
		name: 'summary',
		type: 'string',
		required: true,
		default: '',
		description: 'The ticket\'s subject line',
	},
	clientLocator(),
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [...ticketFieldOptions.filter((field) => field.name !== 'summary'), ...createOnlyFieldOptions].sort(
			(a, b) => a.displayName.localeCompare(b.displayName),
		),
	},
	simplifyField,
	rateLimitOptions,
];

export const description = updateDisplayOptions({ show: { resource: ['ticket'], operation: ['create'] } }, properties);

/** Clock skew allowance when recognising "the ticket this run created" after an ambiguous failure. */
const CREATED_WINDOW_MS = 120_000;

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const summary = (this.getNodeParameter('summary', itemIndex) as string).trim();
	const additionalFields = this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
	const clientId = optionalId.call(this, 'clientId', 'client ID', itemIndex);
	const body: IDataObject = {
		...toTicketBody({ ...additionalFields, summary }),
		...(clientId !== undefined ? { client_id: clientId } : {}),
	};

	const startedAt = Date.now();
	// After an ambiguous failure, a ticket with this summary, details and client logged since the
	// request started is the one this request created.
	const verifyWrite = async (): Promise<IDataObject | undefined> => {
		const candidates = await haloApiRequestAllItems.call(this, '/Tickets', 'tickets', {
			qs: { search: summary, order: 'id', orderdesc: true, ...(clientId ? { client_id: clientId } : {}) },
			limit: 20,
			itemIndex,
		});
		return candidates.find(
			(ticket) =>
				ticket.summary === summary &&
				(body.details === undefined || ticket.details === body.details) &&
				!(parseHaloDate(ticket.dateoccurred) < startedAt - CREATED_WINDOW_MS),
		);
	};

	const created = (await haloApiRequest.call(this, 'POST', '/Tickets', { body, itemIndex, verifyWrite })) as IDataObject;
	return outputTickets.call(this, [created], itemIndex);
}
