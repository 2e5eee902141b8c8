import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { clientLocator, simplifyField, writeOptions } from '../../helpers/descriptions';
import { findMarkedRecord, withWriteMarker, writeMarker } from '../../helpers/html';
import { readIdempotencyKey, withWriteOutcome, writeOnce } from '../../helpers/idempotency';
import { simplifyOutput, TICKET_SIMPLE_FIELDS } from '../../helpers/simplify';
import { optionalId, toHaloId } from '../../helpers/values';
import { haloApiRequest, haloApiRequestAllItems } from '../../../transport';
import { getTicket } from './getTicket';
import { createOnlyFieldOptions, ticketFieldOptions, toTicketBody } from './fields';

export const option = { name: 'Create', description: 'Create a ticket', action: 'Create a ticket' };

export const properties: INodeProperties[] = [
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
	writeOptions,
];


/**
 * Creates one ticket. Its HTML body carries a write marker (see helpers/html.ts): after an
 * ambiguous failure the newest tickets with this summary are searched for the marker, so the
 * ticket is neither created twice nor confused with an older ticket of the same summary. With an
 * idempotency key the marker carries the key, and the same search runs before the post (a ticket
 * already there is the answer) and after it (a ticket of this run is deleted again when a run
 * with the same key created one first; see helpers/idempotency.ts).
 */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const summary = (this.getNodeParameter('summary', itemIndex) as string).trim();
	const additionalFields = this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
	const clientId = optionalId.call(this, 'clientId', 'client ID', itemIndex);
	const idempotencyKey = readIdempotencyKey.call(this, itemIndex);
	const marker = writeMarker(idempotencyKey);
	const fields = toTicketBody({ ...additionalFields, summary });
	const body: IDataObject = {
		...fields,
		details_html: withWriteMarker(String(fields.details_html ?? ''), marker),
		...(clientId !== undefined ? { client_id: clientId } : {}),
	};

	const verifyWrite = async (): Promise<IDataObject | undefined> => {
		const candidates = await haloApiRequestAllItems.call(this, '/Tickets', 'tickets', {
			qs: { search: summary, order: 'id', orderdesc: true, ...(clientId ? { client_id: clientId } : {}) },
			limit: 20,
			itemIndex,
		});
		return await findMarkedRecord(candidates, marker, {
			bodyField: 'details_html',
			mayBeIt: (ticket) => String(ticket.summary ?? '').trim() === summary,
			readOne: async (ticket) => await getTicket.call(this, toHaloId(ticket.id) as number, itemIndex),
		});
	};

	const created = await writeOnce.call(this, itemIndex, idempotencyKey, {
		find: verifyWrite,
		write: async () => (await haloApiRequest.call(this, 'POST', '/Tickets', { body, itemIndex, verifyWrite })) as IDataObject,
		remove: async (ticket) => await haloApiRequest.call(this, 'DELETE', `/Tickets/${toHaloId(ticket.id)}`, { itemIndex }),
	});
	return withWriteOutcome(simplifyOutput.call(this, itemIndex, [created.record], TICKET_SIMPLE_FIELDS), created);
}
