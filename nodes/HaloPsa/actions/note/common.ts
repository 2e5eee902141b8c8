import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { maxRateLimitWaitOption, outcomeLocator, ticketLocator } from '../../helpers/descriptions';
import { resolveOutcome } from '../../helpers/outcomes';
import { ACTION_SIMPLE_FIELDS, simplifyRecords } from '../../helpers/simplify';
import { parseHaloDate, requireId, toHaloId, withoutEmpty } from '../../helpers/values';
import { haloApiRequest, haloApiRequestAllItems } from '../../transport';

/** The fields every "add" note operation shows, in order; `extraOptions` go into its Options. */
export function noteFields(defaultOutcomeName: string, extraOptions: INodeProperties[] = []): INodeProperties[] {
	return [
		ticketLocator(),
		{
			displayName: 'Note',
			name: 'note',
			type: 'string',
			typeOptions: { rows: 4 },
			required: true,
			default: '',
			description: 'The text; HTML is allowed',
		},
		outcomeLocator(defaultOutcomeName),
		{
			displayName: 'Options',
			name: 'options',
			type: 'collection',
			placeholder: 'Add Option',
			default: {},
			options: ([
				...extraOptions,
				{
					displayName: 'Important',
					name: 'important',
					type: 'boolean',
					default: false,
					description: 'Whether Halo flags the note as important',
				},
				maxRateLimitWaitOption,
				{
					displayName: 'New Status Name or ID',
					name: 'newStatusId',
					type: 'options',
					typeOptions: { loadOptionsMethod: 'getStatuses' },
					default: '',
					description:
						'Change the ticket\'s status with this note. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
				},
				{
					displayName: 'Time Taken (Hours)',
					name: 'timeTaken',
					type: 'number',
					typeOptions: { minValue: 0, numberPrecision: 2 },
					default: 0,
					description: 'Time spent, recorded on the action (0.25 = 15 minutes)',
				},
			] as INodeProperties[]).sort((a, b) => a.displayName.localeCompare(b.displayName)),
		},
		{
			displayName: 'Simplify',
			name: 'simplify',
			type: 'boolean',
			default: true,
			description: 'Whether to return a simplified version of the response instead of the raw data',
		},
	];
}

const HTML_TAG = /<\/?[a-z][^>]*>/i;

function escapeHtml(text: string): string {
	return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Halo shows `note_html`; plain text keeps its line breaks. */
export function toNoteHtml(note: string): string {
	return HTML_TAG.test(note) ? note : escapeHtml(note).replace(/\r?\n/g, '<br>');
}

function toPlain(text: unknown): string {
	return String(text ?? '')
		.replace(/<br\s*\/?>/gi, '\n')
		.replace(/<[^>]+>/g, '')
		.replace(/&lt;/g, '<')
		.replace(/&gt;/g, '>')
		.replace(/&amp;/g, '&')
		.replace(/\s+/g, ' ')
		.trim();
}

/** Whether `action` is the note `body` describes (same ticket, outcome, visibility and text). */
export function isSameNote(action: IDataObject, body: IDataObject): boolean {
	return (
		toHaloId(action.ticket_id) === body.ticket_id &&
		toHaloId(action.outcome_id) === body.outcome_id &&
		Boolean(action.hiddenfromuser) === Boolean(body.hiddenfromuser) &&
		toPlain(action.note_html || action.note) === toPlain(body.note_html || body.note)
	);
}

/** Clock skew allowance when recognising "the note this run posted" after an ambiguous failure. */
const POSTED_WINDOW_MS = 120_000;

export interface NoteVisibility {
	hiddenfromuser: boolean;
	sendemail?: boolean;
	emailto?: string;
	emailcc?: string;
	emailbcc?: string;
	emailsubject?: string;
}

/**
 * Posts one action to a ticket. After an ambiguous failure the ticket's actions are listed and
 * the note is sent again only when it is not there, so a ticket never gets the same note twice.
 */
export async function postNote(
	this: IExecuteFunctions,
	itemIndex: number,
	defaultOutcomeName: string,
	visibility: (ticketId: number) => Promise<NoteVisibility>,
): Promise<IDataObject[]> {
	const ticketId = requireId.call(this, 'ticketId', 'ticket ID', itemIndex);
	const note = this.getNodeParameter('note', itemIndex) as string;
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const outcome = await resolveOutcome.call(this, 'outcome', defaultOutcomeName, itemIndex);
	const newStatus = toHaloId(options.newStatusId);
	const timeTaken = Number(options.timeTaken ?? 0);
	const shownTo = await visibility(ticketId);

	const body: IDataObject = {
		ticket_id: ticketId,
		outcome_id: outcome.id,
		outcome: outcome.name,
		note,
		note_html: toNoteHtml(note),
		...withoutEmpty({ ...shownTo }),
		...(newStatus !== undefined && newStatus > 0 ? { new_status: newStatus } : {}),
		...(timeTaken > 0 ? { timetaken: timeTaken } : {}),
		...(options.important === true ? { important: true } : {}),
	};

	const startedAt = Date.now();
	const verifyWrite = async (): Promise<IDataObject | undefined> => {
		const actions = await haloApiRequestAllItems.call(this, '/Actions', 'actions', { qs: { ticket_id: ticketId }, itemIndex });
		return actions.find(
			(action) => isSameNote(action, body) && !(parseHaloDate(action.datetime) < startedAt - POSTED_WINDOW_MS),
		);
	};
	const posted = (await haloApiRequest.call(this, 'POST', '/Actions', { body, itemIndex, verifyWrite })) as IDataObject;
	return outputActions.call(this, [posted], itemIndex);
}

export function outputActions(this: IExecuteFunctions, actions: IDataObject[], itemIndex: number): IDataObject[] {
	const simplify = this.getNodeParameter('simplify', itemIndex, true) as boolean;
	return simplifyRecords(actions, ACTION_SIMPLE_FIELDS, simplify);
}
