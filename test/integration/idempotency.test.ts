/**
 * Options > Idempotency Key on the writes (notes, email, ticket create and update), over real HTTP
 * against the sandbox: a repeat writes nothing and answers the first write, with one extra GET;
 * runs with one key at the same moment leave one note (or ticket); an email cannot be taken back.
 */
import type { IDataObject } from 'n8n-workflow';

import { locator, makeCredentials, runNode } from '../helpers/n8n-harness';
import type { StoredCredential } from '../helpers/n8n-harness';
import { controlRequest, useHaloSandbox } from '../helpers/sandbox';
import { apiRequestsByRoute } from './support';

const fixture = useHaloSandbox();
let credentials: StoredCredential;

beforeAll(() => {
	credentials = makeCredentials(fixture.sandbox);
});

beforeEach(async () => {
	await fixture.control.reset();
});

const run = async (resource: string, operation: string, parameters: IDataObject, options: { continueOnFail?: boolean; inputItems?: IDataObject[] } = {}) =>
	await runNode({ parameters: { resource, operation, ...parameters }, credentials, ...options });

/** The sandbox's API requests by route since the last reset, without the token fetch. */
const apiRequests = async () => apiRequestsByRoute(await fixture.control.stats());

/** Every action of the ticket, through the node's Get Many. */
async function actionsOf(ticketId: number): Promise<IDataObject[]> {
	const { items } = await run('note', 'getMany', { ticketId: locator(ticketId), returnAll: true, simplify: false });
	return items.map((item) => item.json);
}

const keyed = (actions: IDataObject[], key: string) => actions.filter((action) => String(action.note_html ?? '').includes(`<!-- n8n-write:key:${key}; -->`));

/** Every /api answer waits `ms`: runs started together then all look before any of them writes. */
async function setLatency(ms: number): Promise<void> {
	const answer = await controlRequest(fixture.sandbox.baseUrl, 'POST', '/config', { latencyMs: ms });
	expect(answer.status).toBe(200);
}

describe('Idempotency Key on notes', () => {
	it('without a key a note is one POST; with one, a GET before it and one after it, and the marker carries the key', async () => {
		await run('note', 'addInternalNote', { ticketId: locator(3), note: 'no key' });
		expect(await apiRequests()).toEqual({ 'POST /api/actions': 1 });

		await fixture.control.reset();
		const first = await run('note', 'addInternalNote', { ticketId: locator(3), note: 'Spooler restarted', options: { idempotencyKey: 'delivery-a1' } });
		expect(first.error).toBeUndefined();
		expect(first.items[0].json).toMatchObject({ ticket_id: 3, hiddenfromuser: true, alreadyWritten: false });
		expect(await apiRequests()).toEqual({ 'GET /api/actions': 2, 'POST /api/actions': 1 });
		expect(keyed(await actionsOf(3), 'delivery-a1')).toEqual([expect.objectContaining({ id: first.items[0].json.id, note: 'Spooler restarted' })]);
	});

	it('a repeat with the same key writes nothing and answers the first note: exactly one extra GET', async () => {
		const first = await run('note', 'addInternalNote', { ticketId: locator(3), note: 'Printer fixed', options: { idempotencyKey: 'delivery-b2' } });
		await fixture.control.reset();
		const repeat = await run('note', 'addInternalNote', { ticketId: locator(3), note: 'Printer fixed', options: { idempotencyKey: 'delivery-b2' } });
		expect(repeat.error).toBeUndefined();
		expect(await apiRequests()).toEqual({ 'GET /api/actions': 1 });
		expect(repeat.items).toHaveLength(1);
		expect(repeat.items[0].json).toEqual({ ...first.items[0].json, alreadyWritten: true });
		expect(keyed(await actionsOf(3), 'delivery-b2')).toHaveLength(1);
	});

	it('another key, or the same key on another ticket, writes a note of its own', async () => {
		const first = await run('note', 'addCustomerNote', { ticketId: locator(3), note: 'Same text', options: { idempotencyKey: 'k-1' } });
		const otherKey = await run('note', 'addCustomerNote', { ticketId: locator(3), note: 'Same text', options: { idempotencyKey: 'k-10' } });
		const otherTicket = await run('note', 'addCustomerNote', { ticketId: locator(5), note: 'Same text', options: { idempotencyKey: 'k-1' } });
		expect(otherKey.items[0].json).toMatchObject({ alreadyWritten: false });
		expect(otherKey.items[0].json.id).not.toBe(first.items[0].json.id);
		expect(otherTicket.items[0].json).toMatchObject({ ticket_id: 5, alreadyWritten: false });
		expect(keyed(await actionsOf(3), 'k-1')).toHaveLength(1);
		expect(keyed(await actionsOf(3), 'k-10')).toHaveLength(1);
	});

	it('keeps alreadyWritten with Simplify off and works item by item', async () => {
		const { items } = await run(
			'note',
			'addInternalNote',
			{ ticketId: locator(3), note: '={{ $json.text }}', options: { idempotencyKey: '={{ $json.id }}' }, simplify: false },
			{ inputItems: [{ id: 'm-1', text: 'one' }, { id: 'm-2', text: 'two' }, { id: 'm-1', text: 'one' }] },
		);
		expect(items.map((item) => [item.json.note, item.json.alreadyWritten])).toEqual([['one', false], ['two', false], ['one', true]]);
		expect(items[2].json.id).toBe(items[0].json.id);
		expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
	});

	it('an email with a key is sent once: the repeat finds it and sends nothing', async () => {
		const email = { ticketId: locator(4), note: 'Your laptop is ready', options: { emailTo: 'pat@example.com', idempotencyKey: 'chat-77' } };
		const first = await run('note', 'emailContact', email);
		expect(first.items[0].json).toMatchObject({ alreadyWritten: false });
		// No look-up after the post: an email cannot be taken back, so there is nothing to settle.
		expect(await apiRequests()).toEqual({ 'GET /api/actions': 1, 'POST /api/actions': 1 });
		const repeat = await run('note', 'emailContact', email);
		expect(repeat.items[0].json).toMatchObject({ id: first.items[0].json.id, alreadyWritten: true });
		expect((await fixture.control.emails()).filter((sent) => sent.to === 'pat@example.com')).toHaveLength(1);
	});

	it('refuses an empty, blank or too long key, or one with a broken character, naming the item; nothing is written', async () => {
		const { items } = await run(
			'note',
			'addInternalNote',
			{ ticketId: locator(3), note: 'x', options: { idempotencyKey: '={{ $json.key }}' } },
			{ continueOnFail: true, inputItems: [{ key: '' }, { key: '   ' }, { key: 'k'.repeat(201) }, { key: 'a\ud800' }, { key: { id: 1 } }, { key: 'k'.repeat(200) }] },
		);
		expect(items.map((item) => item.json.error)).toEqual([
			'The Idempotency Key is empty',
			'The Idempotency Key is empty',
			'The Idempotency Key is 201 characters long; at most 200 are allowed',
			'The Idempotency Key contains a broken Unicode character',
			'The Idempotency Key must be a text or a number, not object',
			undefined,
		]);
		expect(items[0].json.details).toMatch(/deliveryId.*or remove the option/);
		expect(await apiRequests()).toEqual({ 'GET /api/actions': 2, 'POST /api/actions': 1 });

		const stopped = await run('note', 'addInternalNote', { ticketId: locator(3), note: 'x', options: { idempotencyKey: '' } }, { inputItems: [{}, {}] });
		expect(stopped.error?.message).toBe('The Idempotency Key is empty');
		expect((stopped.error as unknown as { context: { itemIndex: number } }).context.itemIndex).toBe(0);
	});

	it('finds its own note after a dropped connection by the keyed marker: one note', async () => {
		await fixture.control.addFaults([{ route: 'POST /api/actions', kind: 'processed-then-fail', failWith: 'drop', count: 1 }]);
		const { items, error } = await run('note', 'addInternalNote', { ticketId: locator(3), note: 'Dropped once', options: { idempotencyKey: 'drop-1' } });
		expect(error).toBeUndefined();
		expect(items[0].json).toMatchObject({ alreadyWritten: false });
		expect(keyed(await actionsOf(3), 'drop-1')).toEqual([expect.objectContaining({ id: items[0].json.id })]);
	});

	describe('runs with one key at the same moment', () => {
		afterEach(async () => await setLatency(0));

		it('leave exactly one note, the first one saved: the others delete their own and answer it', async () => {
			await setLatency(40);
			const runs = await Promise.all(
				Array.from({ length: 6 }, async () => await run('note', 'addInternalNote', { ticketId: locator(6), note: 'Raced', options: { idempotencyKey: 'race-1' } })),
			);
			expect(runs.map((result) => result.error)).toEqual(Array(6).fill(undefined));
			const survivors = keyed(await actionsOf(6), 'race-1');
			expect(survivors).toHaveLength(1);
			// Every run answers the note that stayed, and only its writer says it wrote it.
			expect(new Set(runs.map((result) => result.items[0].json.id))).toEqual(new Set([survivors[0].id]));
			expect(runs.filter((result) => result.items[0].json.alreadyWritten === false)).toHaveLength(1);
			const requests = await apiRequests();
			expect(requests['POST /api/actions']).toBeGreaterThan(1); // they did race
			expect(requests['DELETE /api/actions/:id']).toBe(requests['POST /api/actions'] - 1);
			// The one that stayed has the lowest id of them all: the deleted ones were all above it.
			const deleted = (await fixture.control.requests()).filter((request) => request.method === 'DELETE').map((request) => Number(/\/actions\/(\d+)/i.exec(request.path)?.[1]));
			expect(deleted).toHaveLength(requests['DELETE /api/actions/:id']);
			expect(deleted.every((id) => id > Number(survivors[0].id))).toBe(true);
		});

		it('send an email more than once: it cannot be taken back, so every copy stays on the ticket', async () => {
			await setLatency(40);
			const email = { ticketId: locator(4), note: 'Raced email', options: { emailTo: 'race@example.com', idempotencyKey: 'race-mail' } };
			const runs = await Promise.all([run('note', 'emailContact', email), run('note', 'emailContact', email)]);
			expect(runs.map((result) => result.items[0].json.alreadyWritten)).toEqual([false, false]);
			expect((await fixture.control.emails()).filter((sent) => sent.to === 'race@example.com')).toHaveLength(2);
			expect(keyed(await actionsOf(4), 'race-mail')).toHaveLength(2);
			expect((await apiRequests())['DELETE /api/actions/:id']).toBeUndefined();
		});

		it('create one ticket: a ticket created second is deleted again', async () => {
			await setLatency(40);
			const create = { summary: 'Raced ticket', clientId: locator(1), options: { idempotencyKey: 'race-ticket' } };
			const runs = await Promise.all(Array.from({ length: 3 }, async () => await run('ticket', 'create', create)));
			const ids = new Set(runs.map((result) => result.items[0].json.id));
			expect(ids.size).toBe(1);
			const { items } = await run('ticket', 'getMany', { returnAll: true, filters: { search: 'Raced ticket' } });
			expect(items.map((item) => item.json.id)).toEqual([...ids]);
			const requests = await apiRequests();
			expect(requests['DELETE /api/tickets/:id']).toBe(requests['POST /api/tickets'] - 1);
		});
	});
});

describe('Idempotency Key on tickets', () => {
	it('a repeated create answers the first ticket with one GET of the newest tickets of that summary, and creates nothing', async () => {
		const create = { summary: 'VPN down at York', clientId: locator(1), additionalFields: { details: 'Since 9am' }, options: { idempotencyKey: 'ticket-york-1' } };
		const first = await run('ticket', 'create', create);
		expect(first.items[0].json).toMatchObject({ summary: 'VPN down at York', alreadyWritten: false });
		await fixture.control.reset();
		const repeat = await run('ticket', 'create', create);
		expect(repeat.items[0].json).toEqual({ ...first.items[0].json, alreadyWritten: true });
		expect(await apiRequests()).toEqual({ 'GET /api/tickets': 1 });
	});

	it('a repeated update reads the ticket once and writes nothing; the ticket keeps the markers of its last updates', async () => {
		const update = (key: string, priority: number) => run('ticket', 'update', { ticketId: locator(7), updateFields: { priorityId: priority }, options: { idempotencyKey: key } });
		const first = await update('upd-1', 2);
		expect(first.items[0].json).toMatchObject({ alreadyWritten: false, priority_id: 2 });
		expect(await apiRequests()).toEqual({ 'GET /api/tickets/:id': 1, 'POST /api/tickets': 1 });

		await update('upd-2', 3);
		await fixture.control.reset();
		// A late repeat of the first update: it must not set the priority back to 2.
		const late = await update('upd-1', 2);
		expect(late.items[0].json).toMatchObject({ alreadyWritten: true, priority_id: 3 });
		expect(await apiRequests()).toEqual({ 'GET /api/tickets/:id': 1 });

		const ticket = await run('ticket', 'get', { ticketId: locator(7), simplify: false });
		const body = String(ticket.items[0].json.details_html);
		expect(body).toContain('<!-- n8n-write:key:upd-1; --><!-- n8n-write:key:upd-2; -->');
		expect(body.match(/n8n-write:key:upd-1;/g)).toHaveLength(1);
	});

	it('runs of one keyed update at the same moment both write its values', async () => {
		await setLatency(40);
		try {
			const update = () => run('ticket', 'update', { ticketId: locator(9), updateFields: { priorityId: 4 }, options: { idempotencyKey: 'upd-race' } });
			const runs = await Promise.all([update(), update()]);
			expect(runs.map((result) => result.items[0].json)).toEqual([
				expect.objectContaining({ priority_id: 4, alreadyWritten: false }),
				expect.objectContaining({ priority_id: 4, alreadyWritten: false }),
			]);
			expect(await apiRequests()).toEqual({ 'GET /api/tickets/:id': 2, 'POST /api/tickets': 2 });
		} finally {
			await setLatency(0);
		}
	});

	it('an update with a key keeps only the last 20 earlier keys in the body', async () => {
		for (let index = 0; index < 22; index++) await run('ticket', 'update', { ticketId: locator(8), updateFields: { priorityId: 1 + (index % 3) }, options: { idempotencyKey: `many-${index}` } });
		const ticket = await run('ticket', 'get', { ticketId: locator(8), simplify: false });
		const keys = [...String(ticket.items[0].json.details_html).matchAll(/n8n-write:key:(many-\d+);/g)].map((match) => match[1]);
		expect(keys).toEqual(Array.from({ length: 21 }, (_, index) => `many-${index + 1}`));
	});
});
