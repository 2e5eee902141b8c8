import { startHaloSandbox, type HaloSandbox } from '../../sandbox';
import { api, control, tokenFor } from './http';

describe('sandbox actions and outcome rules', () => {
	let sandbox: HaloSandbox;
	let token: string;

	beforeAll(async () => {
		sandbox = await startHaloSandbox();
		token = await tokenFor(sandbox);
	});
	afterAll(() => sandbox.stop());

	it('refuses an action without an outcome with Halo\'s .NET exception body', async () => {
		const answer = await api(sandbox, token, 'POST', '/Actions', [{ ticket_id: 1, note: 'no outcome' }]);
		expect(answer.status).toBe(400);
		expect(answer.json).toEqual({ ClassName: 'System.Exception', Message: 'An Outcome must be entered for this Action' });
		const unknown = await api(sandbox, token, 'POST', '/Actions', [{ ticket_id: 1, outcome: 'No Such Outcome', note: 'x' }]);
		expect(unknown.json.Message).toBe('An Outcome must be entered for this Action');
	});

	it('denies the restricted agent its restricted outcome with 403', async () => {
		const restricted = await tokenFor(sandbox, 'restricted');
		const denied = await api(sandbox, restricted, 'POST', '/Actions', [{ ticket_id: 1, outcome: 'Restricted Action', note: 'x' }]);
		expect(denied.status).toBe(403);
		expect(denied.json.Message).toBe('You do not have access to this Action');
		const actions = await api(sandbox, token, 'GET', '/Actions?ticket_id=1');
		expect(actions.json.actions.some((action: { note: string }) => action.note === 'x')).toBe(false);
		const allowed = await api(sandbox, restricted, 'POST', '/Actions', [{ ticket_id: 1, outcome: 'Note', note: 'fine' }]);
		expect(allowed.status).toBe(201);
	});

	it('resolves outcomes by id or by name, per tenant', async () => {
		const outcomes = (await api(sandbox, token, 'GET', '/Outcome')).json as Array<{ id: number; outcome: string }>;
		expect(Array.isArray(outcomes)).toBe(true);
		const chatReply = outcomes.find((outcome) => outcome.outcome === 'Chat Reply')!;
		const byId = await api(sandbox, token, 'POST', '/Actions', [{ ticket_id: 2, outcome_id: chatReply.id, note: 'by id' }]);
		expect(byId.json).toMatchObject({ outcome_id: chatReply.id, outcome: 'Chat Reply', hiddenfromuser: false });

		await control(sandbox, 'POST', '/dataset', { dataset: { seed: 7, clients: 3, assets: 10, tickets: 5 } });
		const otherTenant = (await api(sandbox, token, 'GET', '/Outcome')).json as Array<{ id: number; outcome: string }>;
		expect(otherTenant.find((outcome) => outcome.outcome === 'Chat Reply')!.id).not.toBe(chatReply.id);
		await control(sandbox, 'POST', '/dataset', { dataset: 'demo' });
	});

	it('takes visibility from the outcome unless hiddenfromuser overrides it, and filters private notes', async () => {
		const privateNote = await api(sandbox, token, 'POST', '/Actions', [{ ticket_id: 4, outcome: 'Private Note', note: 'internal' }]);
		expect(privateNote.json.hiddenfromuser).toBe(true);
		const visible = await api(sandbox, token, 'POST', '/Actions', [{ ticket_id: 4, outcome: 'Private Note', note: 'shown', hiddenfromuser: false }]);
		expect(visible.json.hiddenfromuser).toBe(false);
		const all = await api(sandbox, token, 'GET', '/Actions?ticket_id=4');
		const customerView = await api(sandbox, token, 'GET', '/Actions?ticket_id=4&excludeprivate=true');
		expect(all.json.record_count).toBe(customerView.json.record_count + 1);
		expect(customerView.json.actions.every((action: { hiddenfromuser: boolean }) => !action.hiddenfromuser)).toBe(true);
	});

	it('records an outbound email for sendemail, readable at /_sandbox/emails', async () => {
		await control(sandbox, 'DELETE', '/emails');
		const sent = await api(sandbox, token, 'POST', '/Actions', [
			{
				ticket_id: 3,
				outcome: 'Email User',
				note_html: '<p>Your laptop is ready.</p>',
				emailto: 'sophie.bennett@harborlegal.example',
				emailcc: 'it@harborlegal.example',
				emailbcc: 'audit@brightpath-it.example',
				emailsubject: 'Laptop ready',
			},
		]);
		expect(sent.status).toBe(201);
		const emails = (await control(sandbox, 'GET', '/emails')).json;
		expect(emails).toEqual([
			expect.objectContaining({
				ticket_id: 3,
				action_id: sent.json.id,
				to: 'sophie.bennett@harborlegal.example',
				cc: 'it@harborlegal.example',
				bcc: 'audit@brightpath-it.example',
				subject: 'Laptop ready',
				body: '<p>Your laptop is ready.</p>',
			}),
		]);
		const note = await api(sandbox, token, 'POST', '/Actions', [{ ticket_id: 3, outcome: 'Note', note: 'no email' }]);
		expect(note.json.sendemail).toBe(false);
		expect((await control(sandbox, 'GET', '/emails')).json).toHaveLength(1);
	});

	it('moves the ticket to new_status, from the request or from the outcome', async () => {
		await api(sandbox, token, 'POST', '/Actions', [{ ticket_id: 6, outcome: 'Note', note: 'waiting', new_status: 3 }]);
		expect((await api(sandbox, token, 'GET', '/Tickets/6')).json.status_id).toBe(3);
		await api(sandbox, token, 'POST', '/Actions', [{ ticket_id: 6, outcome: 'Close Ticket', note: 'done' }]);
		const closed = (await api(sandbox, token, 'GET', '/Tickets/6')).json;
		expect(closed).toMatchObject({ status_id: 9, hasbeenclosed: true });
		const badStatus = await api(sandbox, token, 'POST', '/Actions', [{ ticket_id: 6, outcome: 'Note', note: 'x', new_status: 777 }]);
		expect(badStatus.status).toBe(400);
	});

	it('needs a ticket_id and answers 404 for an unknown ticket', async () => {
		expect((await api(sandbox, token, 'POST', '/Actions', [{ outcome: 'Note', note: 'x' }])).status).toBe(400);
		expect((await api(sandbox, token, 'POST', '/Actions', [{ ticket_id: 99999, outcome: 'Note', note: 'x' }])).status).toBe(404);
		expect((await api(sandbox, token, 'GET', '/Actions?ticket_id=99999')).status).toBe(404);
	});

	it('deletes an action only by its id and its ticket, answering the deleted action', async () => {
		const posted = await api(sandbox, token, 'POST', '/Actions', [{ ticket_id: 1, outcome: 'Private Note', note: 'to be removed' }]);
		const id = posted.json.id as number;
		const without = await api(sandbox, token, 'DELETE', `/Actions/${id}`);
		expect(without.status).toBe(400);
		expect((await api(sandbox, token, 'DELETE', `/Actions/${id}?ticket_id=2`)).status).toBe(404);
		expect((await api(sandbox, token, 'GET', `/Actions/${id}?ticket_id=1`)).status).toBe(200);
		const deleted = await api(sandbox, token, 'DELETE', `/Actions/${id}?ticket_id=1`);
		expect(deleted).toMatchObject({ status: 200, json: { id, ticket_id: 1, note: 'to be removed' } });
		expect((await api(sandbox, token, 'GET', `/Actions/${id}?ticket_id=1`)).status).toBe(404);
		expect((await api(sandbox, token, 'DELETE', `/Actions/${id}?ticket_id=1`)).status).toBe(404);
	});
});
