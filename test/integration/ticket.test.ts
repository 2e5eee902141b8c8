import type { IDataObject } from 'n8n-workflow';

import { locator, makeCredentials, runNode } from '../helpers/n8n-harness';
import type { StoredCredential } from '../helpers/n8n-harness';
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
});
