import type { INodeListSearchResult, INodePropertyOptions } from 'n8n-workflow';

import { locator, makeCredentials, runNode, runNodeMethod } from '../helpers/n8n-harness';
import type { StoredCredential } from '../helpers/n8n-harness';
import { useHaloSandbox } from '../helpers/sandbox';

const fixture = useHaloSandbox({ dataset: { tickets: 250, clients: 3 } });
let credentials: StoredCredential;

beforeAll(() => {
	credentials = makeCredentials(fixture.sandbox);
});

beforeEach(async () => {
	await fixture.control.reset();
});

const listAll = { resource: 'ticket', operation: 'getMany', returnAll: true };

describe('Transport against the sandbox', () => {
	it('returns all 250 rows in 3 page requests', async () => {
		const { items, error } = await runNode({ parameters: listAll, credentials });
		expect(error).toBeUndefined();
		expect(items).toHaveLength(250);
		expect(new Set(items.map((item) => item.json.id)).size).toBe(250);
		const pages = (await fixture.control.requests()).filter((request) => request.path.toLowerCase() === '/api/tickets');
		expect(pages).toHaveLength(3);
		expect(pages.map((request) => request.query.page_no)).toEqual(['1', '2', '3']);
	});

	it('honours Limit with as few pages as needed', async () => {
		const { items } = await runNode({ parameters: { ...listAll, returnAll: false, limit: 120 }, credentials });
		expect(items).toHaveLength(120);
		expect(await fixture.control.countRoute('GET /api/tickets')).toBe(2);
	});

	it('rides out 429s and still returns every row', async () => {
		await fixture.control.rateLimit({ limit: 2, windowMs: 1500 });
		const started = Date.now();
		const { items, error } = await runNode({ parameters: listAll, credentials });
		expect(error).toBeUndefined();
		expect(items).toHaveLength(250);
		const statuses = (await fixture.control.requests()).map((request) => request.status);
		expect(statuses).toContain(429);
		expect(Date.now() - started).toBeLessThan(25_000);
		await fixture.control.rateLimit({ enabled: false });
	});

	it('gives up within the bounded rate-limit wait with an actionable error', async () => {
		await fixture.control.rateLimit({ limit: 1, windowMs: 60_000 });
		const started = Date.now();
		const { items } = await runNode({
			parameters: { ...listAll, options: { maxRateLimitWaitSeconds: 1 } },
			credentials,
			continueOnFail: true,
		});
		expect(Date.now() - started).toBeLessThan(10_000);
		expect(items[0].json.details).toMatch(/Max Rate-Limit Wait/);
		await fixture.control.rateLimit({ enabled: false });
	});

	it('retries GETs through 502/503/504 and dropped connections', async () => {
		await fixture.control.addFaults([
			{ route: 'GET /api/tickets/:id', kind: 'status', status: 502, count: 1 },
			{ route: 'GET /api/tickets/:id', kind: 'drop', count: 1 },
		]);
		const { items, error } = await runNode({ parameters: { resource: 'ticket', operation: 'get', ticketId: locator(7) }, credentials });
		expect(error).toBeUndefined();
		expect(items[0].json.id).toBe(7);
		expect(await fixture.control.countRoute('GET /api/tickets/:id')).toBe(3);
	});

	it('does not resend a ticket update blindly: it checks whether it landed', async () => {
		await fixture.control.addFaults([{ route: 'POST /api/tickets', kind: 'processed-then-fail', status: 502, count: 1 }]);
		const { items, error } = await runNode({
			parameters: { resource: 'ticket', operation: 'update', ticketId: locator(8), updateFields: { summary: 'Renamed once' } },
			credentials,
		});
		expect(error).toBeUndefined();
		expect(items[0].json).toMatchObject({ id: 8, summary: 'Renamed once' });
		expect(await fixture.control.countRoute('POST /api/tickets')).toBe(1);
	});

	it('loads options and list searches live from the tenant', async () => {
		const statuses = (await runNodeMethod({ kind: 'loadOptions', method: 'getStatuses', credentials })) as INodePropertyOptions[];
		expect(statuses.map((option) => option.name)).toContain('Closed');
		for (const method of ['getTicketTypes', 'getPriorities', 'getAgents', 'getTeams', 'getOutcomes']) {
			const options = (await runNodeMethod({ kind: 'loadOptions', method, credentials })) as INodePropertyOptions[];
			expect(options.length).toBeGreaterThan(0);
		}
		const page1 = (await runNodeMethod({ kind: 'listSearch', method: 'searchTickets', credentials })) as INodeListSearchResult;
		expect((page1.results).length).toBe(50);
		expect(page1.paginationToken).toBe('2');
		expect(String(page1.results[0].url)).toMatch(/\/ticket\?id=\d+$/);
		const clients = (await runNodeMethod({ kind: 'listSearch', method: 'searchClients', credentials })) as INodeListSearchResult;
		expect(clients.results.length).toBe(3);
		const outcomes = (await runNodeMethod({ kind: 'listSearch', method: 'searchOutcomes', credentials, filter: 'note' })) as INodeListSearchResult;
		expect(outcomes.results.map((result) => result.name)).toEqual(expect.arrayContaining(['Note', 'Private Note']));
	});
});
