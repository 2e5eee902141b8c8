import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { simplifyField, ticketLocator, writeOptions } from '../../helpers/descriptions';
import { carriesMarker, withKeyMarkers, writeMarker } from '../../helpers/html';
import { readIdempotencyKey, withWriteOutcome, writeOnce } from '../../helpers/idempotency';
import { simplifyOutput, TICKET_SIMPLE_FIELDS } from '../../helpers/simplify';
import { requireId } from '../../helpers/values';
import { haloApiRequest } from '../../../transport';
import { getTicket } from './getTicket';
import { ticketFieldOptions, toTicketBody } from './fields';

export const option = { name: 'Update', description: 'Update a ticket', action: 'Update a ticket' };

export const properties: INodeProperties[] = [
	ticketLocator(),
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: ticketFieldOptions,
	},
	simplifyField,
	writeOptions,
];

/** How many earlier updates' keys a ticket's body keeps: a repeat of an older one writes again. */
export const KEPT_UPDATE_KEYS = 20;


// Not compared: custom fields (Halo answers them in its own shape) and the HTML body (Halo may reformat it).
const UNCOMPARED_FIELDS = new Set(['customfields', 'id', 'details_html']);

/** Whether the ticket already carries every plain value of `body`. */
export function ticketHasValues(ticket: IDataObject, body: IDataObject): boolean {
	return Object.entries(body).every(
		([field, value]) => UNCOMPARED_FIELDS.has(field) || String(ticket[field] ?? '') === String(value),
	);
}

/**
 * Updates one ticket. With an idempotency key the ticket is read first: a body that carries the
 * key's marker was written by this update already, so the ticket is the answer and nothing is
 * written. Otherwise the marker goes into the body with the update (after the markers of the
 * last updates before it, see helpers/html.ts). Two runs at the same moment write the same values.
 */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const ticketId = requireId.call(this, 'ticketId', 'ticket ID', itemIndex);
	const idempotencyKey = readIdempotencyKey.call(this, itemIndex);
	const fields = toTicketBody(this.getNodeParameter('updateFields', itemIndex, {}) as IDataObject);
	if (Object.keys(fields).length === 0) {
		throw new NodeOperationError(this.getNode(), 'Nothing to update', {
			itemIndex,
			description: 'Add at least one field under "Update Fields".',
		});
	}
	// An update is safe to send again; the check only spares Halo a second identical write.
	const verifyWrite = async () => {
		const ticket = await getTicket.call(this, ticketId, itemIndex);
		return ticketHasValues(ticket, fields) && !fields.customfields ? ticket : undefined;
	};
	const marker = idempotencyKey === undefined ? undefined : writeMarker(idempotencyKey);
	let before: IDataObject = {};
	const updated = await writeOnce.call(this, itemIndex, idempotencyKey, {
		find: async () => {
			before = await getTicket.call(this, ticketId, itemIndex);
			return carriesMarker(before, marker!, ['details_html']) ? before : undefined;
		},
		write: async () => {
			const body: IDataObject = { id: ticketId, ...fields };
			if (marker !== undefined) {
				const earlierBody = String(before.details_html ?? '');
				body.details_html = withKeyMarkers(String(fields.details_html ?? earlierBody), earlierBody, marker, KEPT_UPDATE_KEYS);
			}
			return (await haloApiRequest.call(this, 'POST', '/Tickets', { body, itemIndex, verifyWrite })) as IDataObject;
		},
	});
	return withWriteOutcome(simplifyOutput.call(this, itemIndex, [updated.record], TICKET_SIMPLE_FIELDS), updated);
}
