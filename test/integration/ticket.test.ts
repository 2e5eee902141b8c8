import type { IDataObject } from 'n8n-workflow';

import { locator, makeCredentials, runNode } from '../helpers/n8n-harness';
import type { StoredCredential } from '../helpers/n8n-harness';
import { startVariantProxy } from '../helpers/halo-variant-proxy';
import { useHaloSandbox } from '../helpers/sandbox';

const fixture = useHaloSandbox();
let credentials: StoredCredential;

beforeAll(() => {
	credentials = makeCredentials(fixture.sandbox);
});

async function ticketOperation(operation: string, parameters: IDataObject = {}, inputItems?: IDataObject[]) {
	return await runNode({ parameters: { resource: 'ticket', operation, ...parameters }, credentials, inputItems });
}

describe('Ticket resource against the sandbox', () => {
	let createdId: number;

	it('creates a ticket', async () => {
		const { items, error } = await ticketOperation('create', {
			summary: 'Printer on fire',
			clientId: locator(1),
			additionalFields: { details: 'Smoke from tray 2', priorityId: 2 },
		});
		expect(error).toBeUndefined();
		expect(items).toHaveLength(1);
		expect(items[0].json).toMatchObject({ summary: 'Printer on fire', client_id: 1, details: 'Smoke from tray 2', priority_id: 2 });
		expect(items[0].pairedItem).toEqual({ item: 0 });
		createdId = Number(items[0].json.id);
		expect(createdId).toBeGreaterThan(0);
	});

	it('gets it by id and by ticket URL, simplified or raw', async () => {
		const byId = await ticketOperation('get', { ticketId: locator(createdId) });
		expect(byId.items[0].json).toMatchObject({ id: createdId, summary: 'Printer on fire' });
		const url = `${fixture.sandbox.baseUrl}/ticket?id=${createdId}`;
		const byUrl = await ticketOperation('get', { ticketId: locator(url, 'url'), simplify: false });
		expect(byUrl.items[0].json.id).toBe(createdId);
		expect(Object.keys(byUrl.items[0].json).length).toBeGreaterThanOrEqual(Object.keys(byId.items[0].json).length);
	});

	it('lists tickets with filters, Return All and Limit', async () => {
		const all = await ticketOperation('getMany', { returnAll: true });
		expect(all.items.length).toBeGreaterThan(3);
		const forClient = await ticketOperation('getMany', { returnAll: true, filters: { clientId: locator(1) } });
		expect(forClient.items.length).toBeGreaterThan(0);
		expect(forClient.items.every((item) => item.json.client_id === 1)).toBe(true);
		const searched = await ticketOperation('getMany', { returnAll: true, filters: { search: 'Printer on fire' } });
		expect(searched.items.map((item) => item.json.id)).toContain(createdId);
		const limited = await ticketOperation('getMany', { returnAll: false, limit: 2 });
		expect(limited.items).toHaveLength(2);
		const open = await ticketOperation('getMany', { returnAll: true, filters: { openOnly: true, statusId: 1 } });
		expect(open.items.every((item) => item.json.status_id === 1 && item.json.hasbeenclosed !== true)).toBe(true);
		const since = await ticketOperation('getMany', {
			returnAll: true,
			filters: { updatedSince: new Date(Date.now() - 60_000).toISOString() },
		});
		expect(since.items.map((item) => item.json.id)).toContain(createdId);
	});

	it('updates status, agent, team, priority, summary, details and custom fields', async () => {
		const { items, error } = await ticketOperation('update', {
			ticketId: locator(createdId),
			simplify: false,
			updateFields: {
				statusId: 2,
				agentId: 2,
				teamId: 1,
				priorityId: 1,
				summary: 'Printer no longer on fire',
				details: 'Extinguished',
				customFields: { field: [{ id: 'CFExternalRef', value: 'EXT-1' }] },
			},
		});
		expect(error).toBeUndefined();
		expect(items[0].json).toMatchObject({
			id: createdId,
			status_id: 2,
			agent_id: 2,
			team_id: 1,
			priority_id: 1,
			summary: 'Printer no longer on fire',
			details: 'Extinguished',
		});
		// read back from Halo, not from the update's answer
		const stored = await ticketOperation('get', { ticketId: locator(createdId), simplify: false });
		expect(stored.items[0].json.customfields).toEqual(
			expect.arrayContaining([expect.objectContaining({ name: 'CFExternalRef', value: 'EXT-1' })]),
		);
		expect(stored.items[0].json).toMatchObject({ status_id: 2, agent_id: 2, summary: 'Printer no longer on fire', details: 'Extinguished' });
	});

	it('closes it with the status named "Closed"', async () => {
		const { items, error } = await ticketOperation('close', { ticketId: locator(createdId) });
		expect(error).toBeUndefined();
		expect(items[0].json).toMatchObject({ id: createdId, status_id: 9, hasbeenclosed: true });
	});

	it('deletes it; getting it afterwards fails clearly', async () => {
		const deleted = await ticketOperation('delete', { ticketId: locator(createdId) });
		expect(deleted.items[0].json).toEqual({ id: createdId, deleted: true });
		const { items } = await runNode({
			parameters: { resource: 'ticket', operation: 'get', ticketId: locator(createdId) },
			credentials,
			continueOnFail: true,
		});
		expect(items[0].json.details).toMatch(/Check the ID/);
	});

	it('deletes a ticket Halo deleted before answering 502: the retry finds it gone and that is success', async () => {
		const created = await ticketOperation('create', { summary: 'Delete me once', clientId: locator(1) });
		const ticketId = Number(created.items[0].json.id);
		await fixture.control.reset();
		await fixture.control.addFaults([{ route: 'DELETE /api/tickets/:id', kind: 'processed-then-fail', status: 502, count: 1 }]);
		const { items, error } = await ticketOperation('delete', { ticketId: locator(ticketId) });
		expect(error).toBeUndefined();
		expect(items[0].json).toEqual({ id: ticketId, deleted: true });
		expect(await fixture.control.countRoute('DELETE /api/tickets/:id')).toBe(2);
		const after = await runNode({ parameters: { resource: 'ticket', operation: 'get', ticketId: locator(ticketId) }, credentials, continueOnFail: true });
		expect(after.items[0].json.details).toMatch(/Check the ID/);
	});

	it('still reports deleting an unknown ticket as not found (no ambiguous attempt before the 404)', async () => {
		await fixture.control.reset();
		const { items } = await runNode({
			parameters: { resource: 'ticket', operation: 'delete', ticketId: locator(987654) },
			credentials,
			continueOnFail: true,
		});
		expect(items[0].json.error).toMatch(/987654|not found/i);
		expect(items[0].json.details).toMatch(/Check the ID/);
		expect(await fixture.control.countRoute('DELETE /api/tickets/:id')).toBe(1);
	});

	it('creates exactly one ticket when Halo saves it and then fails', async () => {
		await fixture.control.reset();
		await fixture.control.addFaults([{ route: 'POST /api/tickets', kind: 'processed-then-fail', status: 502, count: 1 }]);
		const summary = `Only one ticket ${Date.now()}`;
		const { items, error } = await ticketOperation('create', { summary, clientId: locator(2) });
		expect(error).toBeUndefined();
		expect(items[0].json.summary).toBe(summary);
		const found = await ticketOperation('getMany', { returnAll: true, filters: { search: summary } });
		expect(found.items).toHaveLength(1);
		expect(await fixture.control.countRoute('POST /api/tickets')).toBe(1);
	});

	it('creates a second ticket with the same summary after a 502 Halo did not process, never taking the first for it', async () => {
		const first = await ticketOperation('create', { summary: 'Disk space low', clientId: locator(2) });
		expect(first.error).toBeUndefined();
		await fixture.control.reset();
		await fixture.control.addFaults([{ route: 'POST /api/tickets', kind: 'status', status: 502, count: 1 }]);
		const second = await ticketOperation('create', { summary: 'Disk space low', clientId: locator(2) });
		expect(second.error).toBeUndefined();
		expect(second.items[0].json.id).not.toBe(first.items[0].json.id);
		const found = await ticketOperation('getMany', { returnAll: true, filters: { search: 'Disk space low', clientId: locator(2) } });
		expect(found.items.filter((item) => item.json.summary === 'Disk space low')).toHaveLength(2);
		expect(await fixture.control.countRoute('POST /api/tickets')).toBe(2);
	});

	it('keeps the details as written and marks the HTML body with an invisible comment', async () => {
		const { items } = await ticketOperation('create', {
			summary: 'Marked body',
			clientId: locator(1),
			additionalFields: { details: 'Line 1\nLine 2' },
			simplify: false,
		});
		expect(items[0].json.details).toBe('Line 1\nLine 2');
		expect(items[0].json.details_html).toMatch(/^Line 1<br>Line 2<!-- n8n-write:[0-9a-f-]{36} -->$/);
	});

	it('against a Halo whose ticket list leaves details_html out, reads candidates one by one: one ticket, no resend', async () => {
		const proxy = await startVariantProxy(fixture.sandbox.baseUrl, {
			omitFromListRows: { '/api/tickets': { envelopeKey: 'tickets', fields: ['details_html'] } },
		});
		try {
			const viaProxy = makeCredentials({ ...fixture.sandbox, baseUrl: proxy.baseUrl });
			const create = async () =>
				await runNode({ parameters: { resource: 'ticket', operation: 'create', summary: 'Printer jam', clientId: locator(3) }, credentials: viaProxy });
			const first = await create();
			await fixture.control.reset();
			await fixture.control.addFaults([{ route: 'POST /api/tickets', kind: 'processed-then-fail', status: 502, count: 1 }]);
			const second = await create();
			expect(second.error).toBeUndefined();
			expect(await fixture.control.countRoute('POST /api/tickets')).toBe(1);
			expect(second.items[0].json.id).toBeGreaterThan(Number(first.items[0].json.id));
			// newest first: the first candidate read in full is the one carrying the marker
			expect(await fixture.control.countRoute('GET /api/tickets/:id')).toBe(1);
			const found = await ticketOperation('getMany', { returnAll: true, filters: { search: 'Printer jam', clientId: locator(3) } });
			expect(found.items.filter((item) => item.json.summary === 'Printer jam')).toHaveLength(2);
		} finally {
			await proxy.stop();
		}
	});

	it('gives clear, paired continue-on-fail items for bad inputs', async () => {
		const { items } = await runNode({
			parameters: { resource: 'ticket', operation: 'get', ticketId: locator('={{ $json.ticket }}') },
			credentials,
			continueOnFail: true,
			inputItems: [{ ticket: 1 }, { ticket: 987654 }, { ticket: '' }, { ticket: 'abc' }],
		});
		expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }, { item: 3 }]);
		expect(items[0].json.id).toBe(1);
		expect(items[1].json.error).toMatch(/987654|not found|no such/i);
		expect(items[2].json.error).toBe('The ticket ID is missing');
		expect(items[3].json.error).toBe('The ticket ID "abc" is not a valid ID');
		const noChange = await runNode({
			parameters: { resource: 'ticket', operation: 'update', ticketId: locator(1) },
			credentials,
			continueOnFail: true,
		});
		expect(noChange.items[0].json.error).toBe('Nothing to update');
	});
});
