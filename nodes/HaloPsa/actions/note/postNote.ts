import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { idempotencyKeyOption, maxRateLimitWaitOption, outcomeLocator, simplifyField, ticketLocator } from '../../helpers/descriptions';
import { isOutcomeRefusal, outcomeFields, outcomeIdAfterRefusal, readOutcomeChoice } from '../../helpers/outcomes';
import { ACTION_SIMPLE_FIELDS, simplifyOutput } from '../../helpers/simplify';
import { findMarkedRecord, toHtmlBody, toPlainText, withWriteMarker, writeMarker } from '../../helpers/html';
import { readIdempotencyKey, withWriteOutcome, writeOnce } from '../../helpers/idempotency';
import { requireId, toHaloId, withoutEmpty } from '../../helpers/values';
import { asNodeError } from '../../../itemLoop';
import { haloApiRequest, haloApiRequestAllItems } from '../../../transport';

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
				idempotencyKeyOption,
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
		simplifyField,
	];
}

/**
 * Whether `action` may be the note `body` describes (same ticket, visibility and text, and the
 * same outcome when it was sent by ID; Halo may resolve a name to an outcome called otherwise,
 * e.g. by its button name, so a name rules nothing out).
 */
export function isSameNote(action: IDataObject, body: IDataObject): boolean {
	return (
		toHaloId(action.ticket_id) === body.ticket_id &&
		(body.outcome_id === undefined || toHaloId(action.outcome_id) === body.outcome_id) &&
		Boolean(action.hiddenfromuser) === Boolean(body.hiddenfromuser) &&
		toPlainText(action.note_html || action.note) === toPlainText(body.note_html || body.note)
	);
}

export interface NoteVisibility {
	hiddenfromuser: boolean;
	sendemail?: boolean;
	emailto?: string;
	emailcc?: string;
	emailbcc?: string;
	emailsubject?: string;
}

/**
 * Posts one action to a ticket. Its HTML body carries a write marker (see helpers/html.ts): after
 * an ambiguous failure the ticket's actions are searched for that marker and the note is sent
 * again only when it is not there, so a note is never posted twice, and an older note with the
 * same text is never taken for this one. With an idempotency key the marker carries the key and
 * the same search runs before the post (see helpers/idempotency.ts): a note already there is the
 * answer. A note that shows no email is also searched for after the post, and removed again when
 * a run with the same key saved one first; an email has gone out, so both stay.
 *
 * The outcome goes as the user gave it (`outcome_id`, or the name in `outcome` for Halo to
 * resolve), so a note costs one request. Only when Halo refuses the outcome (a 400: nothing was
 * written) are the tenant's outcomes read, once, to send the note again with the outcome the name
 * meant, or to fail with the real names.
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
	const outcome = readOutcomeChoice.call(this, 'outcome', defaultOutcomeName, itemIndex);
	const idempotencyKey = readIdempotencyKey.call(this, itemIndex);
	const newStatus = toHaloId(options.newStatusId);
	const timeTaken = Number(options.timeTaken ?? 0);
	const shownTo = await visibility(ticketId);
	const marker = writeMarker(idempotencyKey);

	const bodyWith = (outcomeField: IDataObject): IDataObject => ({
		ticket_id: ticketId,
		...outcomeField,
		note,
		note_html: withWriteMarker(toHtmlBody(note), marker),
		...withoutEmpty({ ...shownTo }),
		...(newStatus !== undefined && newStatus > 0 ? { new_status: newStatus } : {}),
		...(timeTaken > 0 ? { timetaken: timeTaken } : {}),
		...(options.important === true ? { important: true } : {}),
	});
	/** The action with this write's marker on the ticket (the lowest id when runs with one key raced). */
	const findWrite = async (body: IDataObject): Promise<IDataObject | undefined> => {
		const actions = await haloApiRequestAllItems.call(this, '/Actions', 'actions', { qs: { ticket_id: ticketId }, itemIndex });
		return await findMarkedRecord(actions, marker, {
			bodyField: 'note_html',
			alsoIn: ['note'],
			mayBeIt: (action) => isSameNote(action, body),
			readOne: async (action) =>
				(await haloApiRequest.call(this, 'GET', `/Actions/${toHaloId(action.id)}`, {
					qs: { ticket_id: ticketId },
					itemIndex,
				})) as IDataObject,
		});
	};
	const send = async (outcomeField: IDataObject): Promise<IDataObject> => {
		const body = bodyWith(outcomeField);
		return (await haloApiRequest.call(this, 'POST', '/Actions', { body, itemIndex, verifyWrite: async () => await findWrite(body) })) as IDataObject;
	};
	const post = async (): Promise<IDataObject> => {
		// An ID that is not a number is never sent: this fails with the tenant's outcomes.
		if (outcome.by === 'id' && outcome.id === undefined) await outcomeIdAfterRefusal.call(this, outcome, undefined, itemIndex);
		try {
			return await send(outcomeFields(outcome));
		} catch (error) {
			if (!isOutcomeRefusal(error)) throw asNodeError(this.getNode(), error, itemIndex);
			return await send({ outcome_id: await outcomeIdAfterRefusal.call(this, outcome, error, itemIndex) });
		}
	};

	const written = await writeOnce.call(this, itemIndex, idempotencyKey, {
		// Outcome left out: sent by name, Halo may have saved it under another spelling.
		find: async () => await findWrite(bodyWith({})),
		write: post,
		...(shownTo.sendemail
			? {}
			: {
					remove: async (action: IDataObject) =>
						await haloApiRequest.call(this, 'DELETE', `/Actions/${toHaloId(action.id)}`, { qs: { ticket_id: ticketId }, itemIndex }),
				}),
	});
	return withWriteOutcome(simplifyOutput.call(this, itemIndex, [written.record], ACTION_SIMPLE_FIELDS), written);
}
