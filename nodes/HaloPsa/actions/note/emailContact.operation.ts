import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { DEFAULT_OUTCOME_NAMES } from '../../helpers/outcomes';
import { toHaloId } from '../../helpers/values';
import { haloApiRequest } from '../../../transport';
import { noteFields, postNote } from './postNote';

const emailOptions: INodeProperties[] = [
	{
		displayName: 'To',
		name: 'emailTo',
		type: 'string',
		default: '',
		placeholder: 'name@example.com',
		description: 'Recipients, separated by commas or semicolons. Empty means the ticket\'s user.',
	},
	{ displayName: 'CC', name: 'emailCc', type: 'string', default: '', placeholder: 'name@example.com' },
	{ displayName: 'BCC', name: 'emailBcc', type: 'string', default: '', placeholder: 'name@example.com' },
	{
		displayName: 'Subject',
		name: 'emailSubject',
		type: 'string',
		default: '',
		description: 'Empty lets Halo use its email template\'s subject',
	},
];

export const option = {
	name: 'Email Contact',
	description: 'Email the ticket\'s contact through Halo and record it on the ticket',
	action: 'Email the contact of a ticket',
};

export const properties: INodeProperties[] = noteFields(DEFAULT_OUTCOME_NAMES.emailContact, emailOptions);

/** Halo separates recipients with semicolons. */
export function toRecipientList(value: unknown): string {
	return String(value ?? '')
		.split(/[;,]/)
		.map((address) => address.trim())
		.filter(Boolean)
		.join(';');
}

async function ticketUserEmail(this: IExecuteFunctions, ticketId: number, itemIndex: number): Promise<string> {
	const ticket = (await haloApiRequest.call(this, 'GET', `/Tickets/${ticketId}`, { itemIndex })) as IDataObject;
	const onTicket = String(ticket.user_email ?? '').trim();
	if (onTicket) return onTicket;
	const userId = toHaloId(ticket.user_id);
	if (userId !== undefined && userId > 0) {
		const user = (await haloApiRequest.call(this, 'GET', `/Users/${userId}`, { itemIndex })) as IDataObject;
		const address = String(user.emailaddress ?? user.email ?? '').trim();
		if (address) return address;
	}
	throw new NodeOperationError(this.getNode(), `Ticket ${ticketId} has no user with an email address`, {
		itemIndex,
		description: 'Enter the recipients under Options > To, or give the ticket a user with an email address in Halo.',
	});
}

/** Sends the note to the contact as an email through Halo (Halo: `sendemail: true`). */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	return await postNote.call(this, itemIndex, DEFAULT_OUTCOME_NAMES.emailContact, async (ticketId) => ({
		hiddenfromuser: false,
		sendemail: true,
		emailto: toRecipientList(options.emailTo) || (await ticketUserEmail.call(this, ticketId, itemIndex)),
		emailcc: toRecipientList(options.emailCc),
		emailbcc: toRecipientList(options.emailBcc),
		emailsubject: String(options.emailSubject ?? '').trim(),
	}));
}
