import * as note from '../../nodes/HaloPsa/actions/note/Note.resource';
import { properties } from '../../nodes/HaloPsa/actions/properties';
import { resources } from '../../nodes/HaloPsa/actions/resources';
import { isSameNote } from '../../nodes/HaloPsa/actions/note/postNote';
import { toRecipientList } from '../../nodes/HaloPsa/actions/note/emailContact.operation';
import { keepMatchingActions, toActionQuery } from '../../nodes/HaloPsa/actions/note/getMany.operation';
import * as ticket from '../../nodes/HaloPsa/actions/ticket/Ticket.resource';
import { toTicketBody } from '../../nodes/HaloPsa/actions/ticket/fields';
import { toTicketQuery } from '../../nodes/HaloPsa/actions/ticket/getMany.operation';
import { ticketHasValues } from '../../nodes/HaloPsa/actions/ticket/update.operation';
import { writeMarker, toHtmlBody, toPlainText, withWriteMarker } from '../../nodes/HaloPsa/helpers/html';
import { isOutcomeRefusal, outcomeFields, outcomesNamed } from '../../nodes/HaloPsa/helpers/outcomes';
import { pickFields, TICKET_SIMPLE_FIELDS } from '../../nodes/HaloPsa/helpers/simplify';
import { toCustomFields, toHaloDate, toHaloId } from '../../nodes/HaloPsa/helpers/values';
import { createHaloApiError } from '../../nodes/transport';

describe.each([
	['ticket', ticket],
	['note', note],
])('%s resource description', (resourceName, resource) => {
	const shownForResource = properties.filter((property) => (property.displayOptions?.show?.resource ?? []).includes(resourceName));
	const operationSelector = shownForResource.find((property) => property.name === 'operation');
	const shownFor = (operation: string) =>
		shownForResource.filter((property) => (property.displayOptions?.show?.operation ?? []).includes(operation));
	const operationValues = (operationSelector?.options ?? []).map((option) => (option as { value: string }).value);

	it('lists exactly the operations it implements', () => {
		expect(operationSelector?.displayOptions?.show?.resource).toEqual([resourceName]);
		expect(operationValues.sort()).toEqual(Object.keys(resource.operations).sort());
	});

	it.each(Object.entries(resource.operations))('operation %s shows every field only for its resource and operation', (name, operation) => {
		expect(operation.properties.length).toBeGreaterThan(0);
		expect(shownFor(name).map((property) => property.name)).toEqual(operation.properties.map((property) => property.name));
		for (const property of shownFor(name)) {
			expect(property.displayOptions?.show?.resource).toEqual([resourceName]);
			expect(property.displayOptions?.show?.operation).toEqual([name]);
		}
	});

	it('gives every operation an action label for AI tools and the node panel', () => {
		for (const option of operationSelector?.options ?? []) expect((option as { action?: string }).action).toBeTruthy();
	});

	it('has no two fields with the same name shown for the same operation', () => {
		for (const name of Object.keys(resource.operations)) {
			const names = shownFor(name).map((property) => property.name);
			expect(new Set(names).size).toBe(names.length);
		}
	});
});

describe('every operation of every resource', () => {
	const operations = Object.entries(resources).flatMap(([resourceName, resource]) =>
		Object.entries(resource.operations).map(([name, operation]) => [`${resourceName}.${name}`, operation] as const),
	);

	it.each(operations)('%s offers "Max Rate-Limit Wait" under Options (the transport reads it for each item)', (_name, operation) => {
		const options = operation.properties.find((property) => property.name === 'options');
		expect(options?.type).toBe('collection');
		expect((options?.options ?? []).map((option) => (option as { name: string }).name)).toContain('maxRateLimitWaitSeconds');
	});
});

describe('ticket mapping', () => {
	it('maps fields to Halo names, casting ids and skipping unset values', () => {
		expect(
			toTicketBody({
				summary: 'Printer',
				details: '',
				agentId: '4.0',
				teamId: 0,
				statusId: 2,
				priorityId: '',
				ticketTypeId: 1,
				customFields: { field: [{ id: '12', value: 'A' }, { id: 'CFRef', value: 'B' }, { id: '', value: 'C' }] },
			}),
		).toEqual({
			summary: 'Printer',
			agent_id: 4,
			status_id: 2,
			tickettype_id: 1,
			customfields: [
				{ id: 12, value: 'A' },
				{ name: 'CFRef', value: 'B' },
			],
		});
	});

	it('maps list filters to Halo query parameters', () => {
		expect(
			toTicketQuery({
				clientId: { __rl: true, mode: 'id', value: '7' },
				siteId: 3,
				userId: 0,
				agentId: 2,
				statusId: 1,
				ticketTypeId: 5,
				openOnly: true,
				search: ' vpn ',
				updatedSince: '2025-03-01T10:00:00.000+01:00',
			}),
		).toEqual({
			client_id: 7,
			site_id: 3,
			agent_id: 2,
			status_id: 1,
			requesttype_id: 5,
			open_only: true,
			search: 'vpn',
			lastupdatefromdate: '2025-03-01T09:00:00',
		});
		expect(() => toTicketQuery({ updatedSince: 'yesterday-ish' })).toThrow(/not a date/);
	});

	it('sends details as the HTML body too, so Halo never shows an older text', () => {
		expect(toTicketBody({ details: 'Line 1\nLine <2>' })).toEqual({ details: 'Line 1\nLine <2>', details_html: 'Line 1<br>Line &lt;2&gt;' });
		expect(toTicketBody({ details: '<p>Kept</p>' })).toEqual({ details: '<p>Kept</p>', details_html: '<p>Kept</p>' });
	});

	it('recognises an update that already landed', () => {
		expect(ticketHasValues({ id: 5, status_id: 2.0, summary: 'x' }, { status_id: 2, summary: 'x' })).toBe(true);
		expect(ticketHasValues({ id: 5, status_id: 1 }, { status_id: 2 })).toBe(false);
		expect(ticketHasValues({ id: 5, details: 'x', details_html: '<p>x</p>' }, { details: 'x', details_html: 'x' })).toBe(true);
	});

	it('simplifies to the listed fields', () => {
		expect(pickFields({ id: 1, summary: 's', huge: 'x' }, TICKET_SIMPLE_FIELDS)).toEqual({ id: 1, summary: 's' });
	});
});

describe('note mapping', () => {
	it('keeps HTML and turns plain text line breaks into <br>', () => {
		expect(toHtmlBody('<p>Hi</p>')).toBe('<p>Hi</p>');
		expect(toHtmlBody('a < b\nsecond line')).toBe('a &lt; b<br>second line');
	});

	it('marks each write with its own invisible HTML comment that leaves the text unchanged', () => {
		const first = writeMarker();
		const second = writeMarker();
		expect(first).not.toBe(second);
		expect(first).toMatch(/^n8n-write:[0-9a-f-]{36}$/);
		const html = withWriteMarker('Hello<br>there', first);
		expect(html).toBe(`Hello<br>there<!-- ${first} -->`);
		expect(toPlainText(html)).toBe('Hello there');
	});

	it('marks a keyed write with its key, encoded so the comment stays whole and one key never matches a longer one', () => {
		expect(writeMarker('2f1c-delivery')).toBe('n8n-write:key:2f1c-delivery;');
		expect(writeMarker('a --> b')).toBe('n8n-write:key:a%20--%3E%20b;');
		expect(withWriteMarker('x', writeMarker('ab')).includes(writeMarker('a'))).toBe(false);
		expect(toPlainText(withWriteMarker('Hello', writeMarker('a --> b')))).toBe('Hello');
	});

	it('joins recipients with semicolons', () => {
		expect(toRecipientList(' a@x.com, b@x.com;;c@x.com ')).toBe('a@x.com;b@x.com;c@x.com');
		expect(toRecipientList(undefined)).toBe('');
	});

	it('recognises the note it posted among the ticket actions', () => {
		const body = { ticket_id: 5, outcome_id: 2, hiddenfromuser: false, note: 'Hello\nthere', note_html: 'Hello<br>there' };
		expect(isSameNote({ ticket_id: 5.0, outcome_id: 2, hiddenfromuser: false, note_html: 'Hello<br/>there' }, body)).toBe(true);
		expect(isSameNote({ ticket_id: 5, outcome_id: 2, hiddenfromuser: true, note: 'Hello there' }, body)).toBe(false);
		expect(isSameNote({ ticket_id: 5, outcome_id: 3, hiddenfromuser: false, note: 'Hello there' }, body)).toBe(false);
		// Sent by name, the outcome rules nothing out: Halo may have resolved it to another spelling.
		const byName = { ticket_id: 5, outcome: 'add note', hiddenfromuser: false, note: 'Hello there' };
		expect(isSameNote({ ticket_id: 5, outcome_id: 1, outcome: 'Note', hiddenfromuser: false, note: 'Hello there' }, byName)).toBe(true);
		expect(isSameNote({ ticket_id: 5, outcome_id: 1, outcome: 'Note', hiddenfromuser: true, note: 'Hello there' }, byName)).toBe(false);
	});

	it('names the outcome as the user gave it: outcome_id for an ID, the name for Halo to resolve', () => {
		expect(outcomeFields({ by: 'id', id: 7, text: '7' })).toEqual({ outcome_id: 7 });
		expect(outcomeFields({ by: 'name', name: 'Private Note' })).toEqual({ outcome: 'Private Note' });
	});

	it('tells Halo\'s refusal of an outcome from its other errors', () => {
		const node = { id: '1', name: 'Halo', type: 'haloPsa', typeVersion: 1, position: [0, 0] as [number, number], parameters: {} };
		expect(isOutcomeRefusal(createHaloApiError(node, { message: 'An Outcome must be entered for this Action', httpCode: '400' }))).toBe(true);
		expect(isOutcomeRefusal(createHaloApiError(node, { message: 'You do not have access to this Action', httpCode: '403' }))).toBe(false);
		expect(isOutcomeRefusal(createHaloApiError(node, { message: 'Invalid new_status: 99 does not exist', httpCode: '400' }))).toBe(false);
		expect(isOutcomeRefusal(new Error('An Outcome must be entered for this Action'))).toBe(false);
	});

	it('finds the outcome a refused name meant: any case and spacing, button names, never a guess between two', () => {
		const outcomes = [
			{ id: 1, outcome: 'Note', buttonname: 'Add Note' },
			{ id: 2, outcome: 'Private Note', buttonname: 'Private' },
			{ id: 3, outcome: 'Chat Reply', buttonname: 'Chat Reply' },
			{ id: 4, outcome: 'PrivateNote', buttonname: 'Legacy' },
		];
		const ids = (name: string) => outcomesNamed(outcomes, name).map((outcome) => outcome.id);
		expect(ids('chat  reply')).toEqual([3]);
		expect(ids('CHATREPLY')).toEqual([3]);
		expect(ids('add note')).toEqual([1]);
		expect(ids('private note')).toEqual([2]);
		expect(ids('privatenote')).toEqual([4]);
		expect(ids('Private  Note')).toEqual([2, 4]);
		expect(ids('Customer Update')).toEqual([]);
	});

	it('maps and applies the note filters', () => {
		expect(toActionQuery(9, { hideSystemActions: true, customerVisibleOnly: true })).toEqual({
			ticket_id: 9,
			excludesys: true,
			excludeprivate: true,
		});
		const actions = [
			{ id: 1, who_type: 0, hiddenfromuser: false },
			{ id: 2, who_type: 1, hiddenfromuser: true },
			{ id: 3, who_type: 2, hiddenfromuser: false },
		];
		expect(keepMatchingActions(actions, { hideSystemActions: true }).map((a) => a.id)).toEqual([2, 3]);
		expect(keepMatchingActions(actions, { customerVisibleOnly: true }).map((a) => a.id)).toEqual([1, 3]);
	});
});

describe('values', () => {
	it('casts Halo ids and dates', () => {
		expect(toHaloId('95.0')).toBe(95);
		expect(toHaloId('')).toBeUndefined();
		expect(toHaloDate('2025-03-01T09:30:00')).toBe('2025-03-01T09:30:00');
		expect(toCustomFields(undefined)).toBeUndefined();
	});
});
