import type { IDataObject, INodeListSearchResult } from 'n8n-workflow';

import { locator, makeCredentials, runNode, runNodeMethod } from '../helpers/n8n-harness';
import type { StoredCredential } from '../helpers/n8n-harness';
import { startVariantProxy } from '../helpers/halo-variant-proxy';
import type { VariantProxy } from '../helpers/halo-variant-proxy';
import { useHaloSandbox } from '../helpers/sandbox';
import { apiRequestsByRoute } from './support';

const fixture = useHaloSandbox();
let credentials: StoredCredential;

beforeAll(() => {
	credentials = makeCredentials(fixture.sandbox);
});

beforeEach(async () => {
	await fixture.control.reset();
});

async function noteOperation(operation: string, parameters: IDataObject, options: { continueOnFail?: boolean; inputItems?: IDataObject[]; as?: StoredCredential } = {}) {
	return await runNode({
		parameters: { resource: 'note', operation, ...parameters },
		credentials: options.as ?? credentials,
		continueOnFail: options.continueOnFail,
		inputItems: options.inputItems,
	});
}

/** The sandbox's API requests by route since the last reset, without the token fetch. */
const apiRequests = async () => apiRequestsByRoute(await fixture.control.stats());

const outcome = (mode: string, value: string) => ({ __rl: true, mode, value });

async function ticketActions(ticketId: number): Promise<IDataObject[]> {
	const { items, error } = await noteOperation('getMany', { ticketId: locator(ticketId), returnAll: true, simplify: false });
	expect(error).toBeUndefined();
	return items.map((item) => item.json);
}

describe('Note resource against the sandbox', () => {
	it('adds a customer-visible note with Halo\'s default outcome "Note", a status change, time and importance', async () => {
		const { items, error } = await noteOperation('addCustomerNote', {
			ticketId: locator(1),
			note: 'We are on it.\nA technician is on the way.',
			options: { newStatusId: 2, timeTaken: 0.5, important: true },
		});
		expect(error).toBeUndefined();
		expect(items[0].json).toMatchObject({ ticket_id: 1, outcome: 'Note', hiddenfromuser: false, important: true, timetaken: 0.5 });
		const ticket = await runNode({ parameters: { resource: 'ticket', operation: 'get', ticketId: locator(1) }, credentials });
		expect(ticket.items[0].json.status_id).toBe(2);
	});

	it('adds an internal note (hidden from the end user) with "Private Note"', async () => {
		const { items } = await noteOperation('addInternalNote', { ticketId: locator(1), note: 'Checked the spooler, restarted it.' });
		expect(items[0].json).toMatchObject({ outcome: 'Private Note', hiddenfromuser: true });
	});

	it('uses an outcome picked by name, by id or from the list (tenant-specific outcomes)', async () => {
		const byName = await noteOperation('addCustomerNote', {
			ticketId: locator(1),
			note: 'chat reply',
			outcome: { __rl: true, mode: 'name', value: 'chat reply' },
		});
		expect(byName.items[0].json.outcome).toBe('Chat Reply');
		const outcomeId = Number(byName.items[0].json.outcome_id);
		const byId = await noteOperation('addInternalNote', {
			ticketId: locator(1),
			note: 'remark',
			outcome: { __rl: true, mode: 'id', value: String(outcomeId) },
		});
		expect(byId.items[0].json.outcome_id).toBe(outcomeId);
	});

	it('fails clearly with the tenant\'s real outcome names when a name does not exist', async () => {
		const { items } = await noteOperation(
			'addCustomerNote',
			{ ticketId: locator(1), note: 'x', outcome: { __rl: true, mode: 'name', value: 'Customer Update' } },
			{ continueOnFail: true },
		);
		expect(items[0].json.error).toBe('No outcome named "Customer Update" exists in this Halo');
		expect(items[0].json.details).toMatch(/"Note".*"Private Note".*"Email User"/);
		// n8n sends an item to a node's error output only when its keys are error/message/details.
		expect(Object.keys(items[0].json).sort()).toEqual(['details', 'error']);
	});

	describe('requests per note: the outcome goes to Halo as given, looked up only when Halo refuses it', () => {
		/** The value the editor's outcome list stores for `name` (its ID). */
		const outcomeIdOf = async (name: string) => {
			const listed = (await runNodeMethod({ kind: 'listSearch', method: 'searchOutcomes', credentials, filter: name })) as INodeListSearchResult;
			const found = listed.results.find((result) => result.name === name);
			expect(found).toBeDefined();
			await fixture.control.reset();
			return String(found!.value);
		};

		it.each([
			['the operation\'s default name', 'addInternalNote', undefined, 'Private Note'],
			['a name', 'addCustomerNote', outcome('name', 'Chat Reply'), 'Chat Reply'],
			['a name in another case (Halo matches names in any case)', 'addCustomerNote', outcome('name', 'chat reply'), 'Chat Reply'],
		])('%s: one POST /Actions, no GET /Outcome', async (_label, operation, picked, expected) => {
			const { items, error } = await noteOperation(operation, { ticketId: locator(3), note: `by ${_label}`, ...(picked ? { outcome: picked } : {}) });
			expect(error).toBeUndefined();
			expect(items[0].json.outcome).toBe(expected);
			expect(await apiRequests()).toEqual({ 'POST /api/actions': 1 });
			const [post] = await fixture.control.requests();
			expect(post.status).toBe(201);
		});

		it.each(['id', 'list'])('an outcome by %s: one POST /Actions carrying outcome_id, no GET /Outcome', async (mode) => {
			const id = await outcomeIdOf('Chat Internal Remark');
			const { items, error } = await noteOperation('addInternalNote', { ticketId: locator(3), note: `by ${mode}`, outcome: outcome(mode, id) });
			expect(error).toBeUndefined();
			expect(items[0].json).toMatchObject({ outcome: 'Chat Internal Remark', outcome_id: Number(id) });
			expect(await apiRequests()).toEqual({ 'POST /api/actions': 1 });
		});

		it('the visibility is the operation\'s, sent explicitly, whatever the outcome\'s own default', async () => {
			// "Chat Internal Remark" hides from the user and "Chat Reply" sends no email by default.
			const customer = await noteOperation('addCustomerNote', { ticketId: locator(3), note: 'shown', outcome: outcome('name', 'Chat Internal Remark') });
			expect(customer.items[0].json).toMatchObject({ outcome: 'Chat Internal Remark', hiddenfromuser: false });
			const internal = await noteOperation('addInternalNote', { ticketId: locator(3), note: 'hidden', outcome: outcome('name', 'Note') });
			expect(internal.items[0].json).toMatchObject({ outcome: 'Note', hiddenfromuser: true });
			const email = await noteOperation('emailContact', {
				ticketId: locator(3),
				note: 'mailed',
				outcome: outcome('name', 'Chat Reply'),
				options: { emailTo: 'someone@example.com' },
			});
			expect(email.items[0].json).toMatchObject({ outcome: 'Chat Reply', sendemail: true, hiddenfromuser: false });
			expect(await fixture.control.emails()).toHaveLength(1);
			expect(await apiRequests()).toEqual({ 'POST /api/actions': 3 });
		});

		it('a name Halo refuses that differs only in spacing: one GET /Outcome, the note sent again by ID, posted once', async () => {
			const before = (await ticketActions(3)).length;
			await fixture.control.reset();
			const { items, error } = await noteOperation('addCustomerNote', { ticketId: locator(3), note: 'spaced', outcome: outcome('name', 'ChatReply') });
			expect(error).toBeUndefined();
			expect(items[0].json).toMatchObject({ outcome: 'Chat Reply', note: 'spaced', hiddenfromuser: false });
			expect(await apiRequests()).toEqual({ 'POST /api/actions': 2, 'GET /api/outcome': 1 });
			expect((await fixture.control.requests()).filter((request) => request.method === 'POST').map((request) => request.status)).toEqual([400, 201]);
			const after = await ticketActions(3);
			expect(after).toHaveLength(before + 1);
			expect(after.filter((action) => action.note === 'spaced')).toHaveLength(1);
		});

		it('a name that matches nothing: one GET /Outcome, the tenant\'s names in the error, nothing written', async () => {
			const before = (await ticketActions(3)).length;
			await fixture.control.reset();
			const { items } = await noteOperation(
				'addCustomerNote',
				{ ticketId: locator('={{ $json.ticket }}'), note: 'x', outcome: outcome('name', 'Customer Update') },
				{ continueOnFail: true, inputItems: [{ ticket: 3 }, { ticket: 3 }] },
			);
			expect(items.map((item) => item.json.error)).toEqual([
				'No outcome named "Customer Update" exists in this Halo',
				'No outcome named "Customer Update" exists in this Halo',
			]);
			expect(items[1].json.details).toMatch(/"Note".*"Private Note".*"Email User".*"Chat Reply"/);
			// The outcomes are read once per execution, however many items Halo refuses.
			expect(await apiRequests()).toEqual({ 'POST /api/actions': 2, 'GET /api/outcome': 1 });
			expect(await ticketActions(3)).toHaveLength(before);
		});

		it('an ID that does not exist: one GET /Outcome and the tenant\'s outcomes in the error; a non-numeric ID is never sent', async () => {
			const unknown = await noteOperation('addInternalNote', { ticketId: locator(3), note: 'x', outcome: outcome('id', '999') }, { continueOnFail: true });
			expect(unknown.items[0].json.error).toBe('No outcome with the ID "999" exists in this Halo');
			expect(unknown.items[0].json.details).toMatch(/^Outcomes in this Halo: .*"Private Note"/);
			expect(await apiRequests()).toEqual({ 'POST /api/actions': 1, 'GET /api/outcome': 1 });
			await fixture.control.reset();
			// The editor refuses a typed ID that is not a number; an expression can still produce one.
			const notANumber = await noteOperation(
				'addInternalNote',
				{ ticketId: locator(3), note: 'x', outcome: outcome('id', '={{ $json.outcome }}') },
				{ continueOnFail: true, inputItems: [{ outcome: 'abc' }] },
			);
			expect(notANumber.items[0].json.error).toBe('No outcome with the ID "abc" exists in this Halo');
			expect(await apiRequests()).toEqual({ 'GET /api/outcome': 1 });
		});

		it('a forbidden outcome by name: Halo\'s 403 after one POST, no look-up, no retry', async () => {
			const restricted = makeCredentials(fixture.sandbox, { clientId: 'sandbox-restricted-client', clientSecret: 'sandbox-restricted-secret' });
			const { items } = await noteOperation(
				'addInternalNote',
				{ ticketId: locator(3), note: 'x', outcome: outcome('name', 'Restricted Action') },
				{ continueOnFail: true, as: restricted },
			);
			expect(items[0].json.error).toMatch(/do not have access to this Action/i);
			expect(await apiRequests()).toEqual({ 'POST /api/actions': 1 });
		});

		describe('against a Halo that matches outcome names exactly', () => {
			let proxy: VariantProxy;
			let viaProxy: StoredCredential;
			beforeAll(async () => {
				proxy = await startVariantProxy(fixture.sandbox.baseUrl, { refuseOutcomeNames: ['private note'] });
				viaProxy = makeCredentials({ ...fixture.sandbox, baseUrl: proxy.baseUrl });
			});
			afterAll(async () => await proxy.stop());

			it('retries a name that differs only in case with the real outcome\'s ID: one look-up, one note', async () => {
				const before = (await ticketActions(3)).length;
				await fixture.control.reset();
				const { items, error } = await noteOperation(
					'addInternalNote',
					{ ticketId: locator(3), note: 'case', outcome: outcome('name', 'private note') },
					{ as: viaProxy },
				);
				expect(error).toBeUndefined();
				expect(proxy.refusedOutcomes).toEqual(['private note']);
				expect(items[0].json).toMatchObject({ outcome: 'Private Note', hiddenfromuser: true, note: 'case' });
				// The refused post never reached the sandbox: it saw the look-up and the post by ID.
				expect(await apiRequests()).toEqual({ 'POST /api/actions': 1, 'GET /api/outcome': 1 });
				expect(await ticketActions(3)).toHaveLength(before + 1);
			});
		});
	});

	it('emails the ticket\'s user by default, with cc, bcc and subject', async () => {
		const { items, error } = await noteOperation('emailContact', {
			ticketId: locator(1),
			note: 'Your printer is fixed.',
			options: { emailCc: 'boss@example.com, it@example.com', emailBcc: 'audit@example.com', emailSubject: 'Printer fixed' },
		});
		expect(error).toBeUndefined();
		expect(items[0].json).toMatchObject({ outcome: 'Email User', sendemail: true, emailcc: 'boss@example.com;it@example.com' });
		const emails = await fixture.control.emails();
		expect(emails).toHaveLength(1);
		const ticket = await runNode({ parameters: { resource: 'ticket', operation: 'get', ticketId: locator(1) }, credentials });
		expect(String(emails[0].to)).toContain(String(ticket.items[0].json.user_email));
		expect(emails[0]).toMatchObject({ ticket_id: 1, subject: 'Printer fixed' });
		expect(String(emails[0].bcc)).toContain('audit@example.com');
	});

	it('emails explicit recipients when given', async () => {
		await noteOperation('emailContact', { ticketId: locator(2), note: 'Hi', options: { emailTo: 'someone@example.com' } });
		const emails = await fixture.control.emails();
		expect(String(emails[0].to)).toBe('someone@example.com');
	});

	it('lists a ticket\'s notes with Limit and the visibility filters', async () => {
		// Ticket 1 of the demo data has a system action ("Ticket logged via email.").
		await noteOperation('addInternalNote', { ticketId: locator(1), note: 'private' });
		await noteOperation('addCustomerNote', { ticketId: locator(1), note: 'public' });
		const all = await ticketActions(1);
		expect(all.some((action) => action.who_type === 0)).toBe(true);
		expect(all.some((action) => action.hiddenfromuser === true)).toBe(true);
		const visible = await noteOperation('getMany', { ticketId: locator(1), returnAll: true, filters: { customerVisibleOnly: true } });
		expect(visible.items.map((item) => item.json.note)).toContain('public');
		expect(visible.items.every((item) => item.json.hiddenfromuser !== true)).toBe(true);
		const noSystem = await noteOperation('getMany', { ticketId: locator(1), returnAll: true, filters: { hideSystemActions: true } });
		expect(noSystem.items.length).toBe(all.filter((action) => action.who_type !== 0).length);
		expect(noSystem.items.every((item) => item.json.who_type !== 0)).toBe(true);
		const limited = await noteOperation('getMany', { ticketId: locator(1), returnAll: false, limit: 1 });
		expect(limited.items).toHaveLength(1);
	});

	it('marks the note with an invisible HTML comment: the text and the email body stay as written', async () => {
		const { items } = await noteOperation('emailContact', { ticketId: locator(2), note: 'Line one\nLine two', simplify: false });
		expect(items[0].json.note).toBe('Line one\nLine two');
		expect(items[0].json.note_html).toMatch(/^Line one<br>Line two<!-- n8n-write:[0-9a-f-]{36} -->$/);
		const stored = (await ticketActions(2)).find((action) => action.id === items[0].json.id);
		expect(stored?.note_html).toBe(items[0].json.note_html);
		const [email] = await fixture.control.emails();
		expect(email.body).toBe(items[0].json.note_html);
	});

	it('posts a second identical note after a 502 Halo did not process, never taking the first for it', async () => {
		const first = await noteOperation('addCustomerNote', { ticketId: locator(5), note: 'Thanks, on it' });
		expect(first.error).toBeUndefined();
		await fixture.control.reset();
		await fixture.control.addFaults([{ route: 'POST /api/actions', kind: 'status', status: 502, count: 1 }]);
		const second = await noteOperation('addCustomerNote', { ticketId: locator(5), note: 'Thanks, on it' });
		expect(second.error).toBeUndefined();
		expect(second.items[0].json.id).not.toBe(first.items[0].json.id);
		expect((await ticketActions(5)).filter((action) => action.note === 'Thanks, on it')).toHaveLength(2);
		expect(await fixture.control.countRoute('POST /api/actions')).toBe(2);
	});

	it.each([502, 500])('posts exactly one note when Halo saves it and then fails (%i)', async (status) => {
		const before = (await ticketActions(4)).length;
		await fixture.control.addFaults([{ route: 'POST /api/actions', kind: 'processed-then-fail', status, count: 1 }]);
		const { items, error } = await noteOperation('addCustomerNote', { ticketId: locator(4), note: `Only once (${status})` });
		expect(error).toBeUndefined();
		expect(items[0].json).toMatchObject({ ticket_id: 4, note: `Only once (${status})` });
		const after = await ticketActions(4);
		expect(after.filter((action) => action.note === `Only once (${status})`)).toHaveLength(1);
		expect(after.length).toBe(before + 1);
		expect(await fixture.control.countRoute('POST /api/actions')).toBe(1);
	});

	it('posts exactly one note when the connection drops after Halo saved it', async () => {
		await fixture.control.addFaults([
			{ route: 'POST /api/actions', kind: 'processed-then-fail', failWith: 'drop', count: 1 } as never,
		]);
		const { items, error } = await noteOperation('addInternalNote', { ticketId: locator(4), note: 'dropped but saved' });
		expect(error).toBeUndefined();
		expect(items[0].json).toMatchObject({ ticket_id: 4, note: 'dropped but saved', hiddenfromuser: true });
		const after = await ticketActions(4);
		expect(after.filter((action) => action.note === 'dropped but saved')).toHaveLength(1);
		expect(await fixture.control.countRoute('POST /api/actions')).toBe(1);
	});

	describe('against a Halo whose action list leaves note_html out', () => {
		let proxy: VariantProxy;
		let viaProxy: StoredCredential;
		beforeAll(async () => {
			proxy = await startVariantProxy(fixture.sandbox.baseUrl, {
				omitFromListRows: { '/api/actions': { envelopeKey: 'actions', fields: ['note_html'] } },
			});
			viaProxy = makeCredentials({ ...fixture.sandbox, baseUrl: proxy.baseUrl });
		});
		afterAll(async () => await proxy.stop());

		it('reads the candidate notes one by one to find the marker: one note, no resend', async () => {
			await noteOperation('addCustomerNote', { ticketId: locator(6), note: 'Same words' }, { as: viaProxy });
			await fixture.control.reset();
			await fixture.control.addFaults([{ route: 'POST /api/actions', kind: 'processed-then-fail', status: 502, count: 1 }]);
			const { items, error } = await noteOperation('addCustomerNote', { ticketId: locator(6), note: 'Same words' }, { as: viaProxy });
			expect(error).toBeUndefined();
			expect(await fixture.control.countRoute('POST /api/actions')).toBe(1);
			const notes = (await ticketActions(6)).filter((action) => action.note === 'Same words');
			expect(notes).toHaveLength(2);
			// the answer is the note this run wrote (the newer one), found by reading both candidates
			expect(items[0].json.id).toBe(Math.max(...notes.map((note) => Number(note.id))));
			expect(await fixture.control.countRoute('GET /api/actions/:id')).toBe(2);
		});
	});

	it('sends the note again when the failure happened before Halo saved it', async () => {
		await fixture.control.addFaults([{ route: 'POST /api/actions', kind: 'status', status: 503, count: 1 }]);
		const { error } = await noteOperation('addInternalNote', { ticketId: locator(4), note: 'retried after 503' });
		expect(error).toBeUndefined();
		const after = await ticketActions(4);
		expect(after.filter((action) => action.note === 'retried after 503')).toHaveLength(1);
		expect(await fixture.control.countRoute('POST /api/actions')).toBe(2);
	});

	it('reports a forbidden outcome with Halo\'s message, item by item with continue-on-fail', async () => {
		const restricted = makeCredentials(fixture.sandbox, {
			clientId: 'sandbox-restricted-client',
			clientSecret: 'sandbox-restricted-secret',
		});
		const { items } = await noteOperation(
			'addInternalNote',
			{ ticketId: locator('={{ $json.ticket }}'), note: 'x', outcome: { __rl: true, mode: 'name', value: 'Restricted Action' } },
			{ continueOnFail: true, inputItems: [{ ticket: 1 }, { ticket: 2 }], as: restricted },
		);
		expect(items).toHaveLength(2);
		expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(items[0].json.error).toMatch(/do not have access to this Action/i);
		expect(items[0].json.details).toMatch(/permission/);
	});

	it('reports an unknown ticket and a missing ticket id clearly', async () => {
		const { items } = await noteOperation(
			'addCustomerNote',
			{ ticketId: locator('={{ $json.ticket }}'), note: 'x' },
			{ continueOnFail: true, inputItems: [{ ticket: 999999 }, { ticket: '' }, { ticket: 1 }] },
		);
		expect(items).toHaveLength(3);
		expect(items[0].json.error).toMatch(/999999|not found|no such/i);
		expect(items[0].json.details).toMatch(/Check the ID/);
		expect(items[1].json.error).toBe('The ticket ID is missing');
		expect(items[2].json).toMatchObject({ ticket_id: 1 });
		expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
	});

	it('stops the workflow with the error when continue-on-fail is off', async () => {
		const { error, items } = await noteOperation('addCustomerNote', { ticketId: locator(999999), note: 'x' });
		expect(items).toHaveLength(0);
		expect(error?.message).toMatch(/999999|not found|no such/i);
	});
});
