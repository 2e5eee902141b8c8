import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { rateLimitOptions, simplifyField, ticketLocator } from '../../helpers/descriptions';
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
	rateLimitOptions,
];


// Not compared: custom fields (Halo answers them in its own shape) and the HTML body (Halo may reformat it).
const UNCOMPARED_FIELDS = new Set(['customfields', 'id', 'details_html']);

/** Whether the ticket already carries every plain value of `body`. */
export function ticketHasValues(ticket: IDataObject, body: IDataObject): boolean {
	return Object.entries(body).every(
		([field, value]) => UNCOMPARED_FIELDS.has(field) || String(ticket[field] ?? '') === String(value),
	);
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const ticketId = requireId.call(this, 'ticketId', 'ticket ID', itemIndex);
	const fields = toTicketBody(this.getNodeParameter('updateFields', itemIndex, {}) as IDataObject);
	if (Object.keys(fields).length === 0) {
		throw new NodeOperationError(this.getNode(), 'Nothing to update', {
			itemIndex,
			description: 'Add at least one field under "Update Fields".',
		});
	}
	const body = { id: ticketId, ...fields };
	// An update is safe to send again; the check only spares Halo a second identical write.
	const verifyWrite = async () => {
		const ticket = await getTicket.call(this, ticketId, itemIndex);
		return ticketHasValues(ticket, fields) && !fields.customfields ? ticket : undefined;
	};
	const updated = (await haloApiRequest.call(this, 'POST', '/Tickets', { body, itemIndex, verifyWrite })) as IDataObject;
	return simplifyOutput.call(this, itemIndex, [updated], TICKET_SIMPLE_FIELDS);
}
