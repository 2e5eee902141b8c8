import type { INodeListSearchResult, INodePropertyOptions } from 'n8n-workflow';
import { WorkflowExpression } from 'n8n-workflow';

import { locator, makeCredentials, runNode, runNodeMethod } from '../helpers/n8n-harness';
import type { StoredCredential } from '../helpers/n8n-harness';
import { pickFields, TICKET_SIMPLE_FIELDS } from '../../nodes/HaloPsa/helpers/simplify';
import { startVariantProxy } from '../helpers/halo-variant-proxy';
import { withRetryPolicy } from '../helpers/faults';
import { useHaloSandbox } from '../helpers/sandbox';

const fixture = useHaloSandbox({ dataset: { tickets: 250, clients: 3 } });
let credentials: StoredCredential;

beforeAll(async () => {
	credentials = makeCredentials(fixture.sandbox);
	// Fetch the token now: under the rate-limit tests' tight limits it would take the only slot.
	await runNode({ parameters: { resource: 'agent', operation: 'getMe' }, credentials });
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
		expect(pages.map((request) => request.query.page_no).sort()).toEqual(['1', '2', '3']);
	});

	it('asks pages 2 and 3 together once page 1 has told the total, and keeps at most two page requests open', async () => {
		// Each answer takes 150 ms: read one at a time the 3 pages would never overlap.
		await fixture.control.configure({ latencyMs: 150 });
		try {
			const { items, error } = await runNode({ parameters: listAll, credentials });
			expect(error).toBeUndefined();
			expect(items.map((item) => item.json.id)).toEqual(Array.from({ length: 250 }, (_, index) => index + 1));
			const stats = await fixture.control.stats();
			expect(stats.mostConcurrentRequests).toBe(2);
			expect(await fixture.control.countRoute('GET /api/tickets')).toBe(3);
		} finally {
			await fixture.control.configure({ latencyMs: 0 });
		}
	});

	it('reads the credential once for a Return All (handed to n8n\'s request helper for every page) and runs no n8n expression', async () => {
		const evaluations = jest.spyOn(WorkflowExpression.prototype, 'getSimpleParameterValue');
		const readsBefore = credentials.reads;
		try {
			const { items, error } = await runNode({ parameters: listAll, credentials });
			expect(error).toBeUndefined();
			expect(items).toHaveLength(250);
			expect(await fixture.control.countRoute('GET /api/tickets')).toBe(3);
			// n8n resolves a generic `={{$credentials...}}` template with its expression engine on every request.
			const credentialTemplates = evaluations.mock.calls.filter(([, , , additionalKeys]) => additionalKeys && '$credentials' in additionalKeys);
			expect(credentialTemplates.length).toBe(0);
			expect(credentials.reads - readsBefore).toBe(1);
		} finally {
			evaluations.mockRestore();
		}
	});

	it('simplifies each page as it arrives to the same rows as simplifying the full list', async () => {
		const raw = await runNode({ parameters: { ...listAll, simplify: false }, credentials });
		const simple = await runNode({ parameters: listAll, credentials });
		expect(simple.items).toHaveLength(250);
		expect(simple.items.map((item) => item.json)).toEqual(raw.items.map((item) => pickFields(item.json, TICKET_SIMPLE_FIELDS)));
		expect(Object.keys(simple.items[0].json)).toEqual(TICKET_SIMPLE_FIELDS.filter((field) => raw.items[0].json[field] !== undefined));
		expect(simple.items.map((item) => item.pairedItem)).toEqual(Array.from({ length: 250 }, () => ({ item: 0 })));
	});

	it('honours Limit with as few pages as needed', async () => {
		const { items } = await runNode({ parameters: { ...listAll, returnAll: false, limit: 120 }, credentials });
		expect(items).toHaveLength(120);
		expect(await fixture.control.countRoute('GET /api/tickets')).toBe(2);
	});

	/** The ticket-list requests since the last reset: status and page number of each. */
	async function ticketPages() {
		return (await fixture.control.requests())
			.filter((request) => request.path.toLowerCase() === '/api/tickets')
			.map((request) => ({ status: request.status, page: request.query.page_no }));
	}

	/**
	 * A credential of its own for a rate-limit test: the process's pacer learns each credential's
	 * window and keeps it, and these tests give Halo a different window each (the sandbox ignores the
	 * tenant unless it requires one). Its token is fetched before the limit is set.
	 */
	let pacedCredentialCount = 0;
	async function pacedCredentials(): Promise<StoredCredential> {
		pacedCredentialCount += 1;
		const paced = makeCredentials(fixture.sandbox, { tenant: `paced-${pacedCredentialCount}` });
		await runNode({ parameters: { resource: 'agent', operation: 'getMe' }, credentials: paced });
		await fixture.control.reset();
		return paced;
	}

	it('rides out 429s and still returns every row, resending only the refused page', async () => {
		const paced = await pacedCredentials();
		await fixture.control.rateLimit({ limit: 2, windowMs: 1500 });
		const { items, error } = await runNode({ parameters: listAll, credentials: paced });
		expect(error).toBeUndefined();
		expect(items).toHaveLength(250);
		const pages = await ticketPages();
		expect(pages.some((page) => page.status === 429)).toBe(true);
		expect(pages.filter((page) => page.status === 200).map((page) => page.page).sort()).toEqual(['1', '2', '3']);
		// every refused page is sent again later
		pages.forEach((page, index) => page.status === 429 && expect(pages.slice(index + 1).some((later) => later.page === page.page)).toBe(true));
		// Pages 2 and 3 go out together: one of them is refused once, teaching the window; the pacer then holds it until its slot.
		expect(pages.filter((page) => page.status === 429)).toHaveLength(1);
	});

	it('gives up at once when the next free slot lies past the rate-limit wait allowed, with an actionable error', async () => {
		const paced = await pacedCredentials();
		await fixture.control.rateLimit({ limit: 1, windowMs: 60_000 });
		const { items } = await runNode({
			parameters: { ...listAll, options: { maxRateLimitWaitSeconds: 1 } },
			credentials: paced,
			continueOnFail: true,
		});
		expect(items[0].json.error).toMatch(/Rate Limit Reached/);
		expect(items[0].json.details).toMatch(/Max Rate-Limit Wait.*no free slot within the wait allowed/);
		// page 1 passes; pages 2 and 3, asked together, are refused, naming a window whose next slot is
		// 60 s away: page 3 was asked ahead and is not sent again, page 2 fails at once, nothing more is sent
		const pages = await ticketPages();
		expect(pages[0]).toEqual({ status: 200, page: '1' });
		expect(pages.slice(1).sort((a, b) => Number(a.page) - Number(b.page))).toEqual([
			{ status: 429, page: '2' },
			{ status: 429, page: '3' },
		]);
	});

	it('bounds the rate-limit wait per item across all of its pages, not per request', async () => {
		// Halo admits one request per 2 s. Pages 2 and 3 are asked together and refused: page 3, asked
		// ahead, is not sent again; page 2, taught the window, waits 2 s of the 3 s budget for its slot
		// and passes. Page 3, asked again in its turn, has its slot 2 s further, past the 1 s left, so
		// it is sent once at once (Halo may have raised its limit), refused, and the item fails. A
		// per-request bound would let page 3 wait another 2 s on a 3 s setting.
		const paced = await pacedCredentials();
		await fixture.control.rateLimit({ limit: 1, windowMs: 2000 });
		const { items } = await runNode({
			parameters: { ...listAll, options: { maxRateLimitWaitSeconds: 3 } },
			credentials: paced,
			continueOnFail: true,
		});
		expect(items).toHaveLength(1);
		expect(items[0].json.details).toMatch(/no free slot within the wait allowed \(after waiting 2 s in total\)/);
		const pages = await ticketPages();
		expect(pages[0]).toEqual({ status: 200, page: '1' });
		expect(pages.slice(1, 3).sort((a, b) => Number(a.page) - Number(b.page))).toEqual([
			{ status: 429, page: '2' },
			{ status: 429, page: '3' },
		]);
		expect(pages.slice(3)).toEqual([
			{ status: 200, page: '2' },
			{ status: 429, page: '3' },
		]);
	});

	it('lets a Get operation bound its rate-limit wait too', async () => {
		const paced = await pacedCredentials();
		await fixture.control.rateLimit({ limit: 1, windowMs: 60_000 });
		await runNode({ parameters: { resource: 'agent', operation: 'getMe' }, credentials: paced }); // takes the only slot
		const { items } = await runNode({
			parameters: { resource: 'client', operation: 'get', clientId: locator(1), options: { maxRateLimitWaitSeconds: 1 } },
			credentials: paced,
			continueOnFail: true,
		});
		expect(items[0].json.details).toMatch(/no free slot within the wait allowed/);
		expect(await fixture.control.countRoute('GET /api/client/:id')).toBe(1);
	});

	it('retries GETs through 502/503/504, reset and timed-out connections', async () => {
		await fixture.control.addFaults([
			{ route: 'GET /api/tickets/:id', kind: 'status', status: 502, count: 1 },
			{ route: 'GET /api/tickets/:id', kind: 'status', status: 504, count: 1 },
			{ route: 'GET /api/tickets/:id', kind: 'drop', count: 1 },
			{ route: 'GET /api/tickets/:id', kind: 'timeout', count: 1 },
		]);
		const { items, error } = await withRetryPolicy({ transientBaseDelayMs: 2, requestTimeoutMs: 300 }, async () =>
			await runNode({ parameters: { resource: 'ticket', operation: 'get', ticketId: locator(7) }, credentials }),
		);
		expect(error).toBeUndefined();
		expect(items[0].json.id).toBe(7);
		expect(await fixture.control.countRoute('GET /api/tickets/:id')).toBe(5);
	});

	it('reads a page whose answer was cut off half way again, and every row once', async () => {
		await fixture.control.addFaults([{ route: 'GET /api/tickets', kind: 'processed-then-fail', failWith: 'cut', count: 1 }]);
		const { items, error } = await withRetryPolicy({ transientBaseDelayMs: 2 }, async () => await runNode({ parameters: listAll, credentials }));
		expect(error).toBeUndefined();
		expect(items.map((item) => item.json.id)).toEqual(Array.from({ length: 250 }, (_, index) => index + 1));
		// the cut answer and the 3 pages
		expect(await fixture.control.countRoute('GET /api/tickets')).toBe(4);
		expect((await fixture.control.stats()).faultsFired).toBe(1);
	});

	it('gives up a GET whose answer is cut off half way every time after 5 retries, as a dropped connection', async () => {
		await fixture.control.addFaults([{ route: 'GET /api/tickets/:id', kind: 'processed-then-fail', failWith: 'cut' }]);
		const { items } = await withRetryPolicy({ transientBaseDelayMs: 2 }, async () =>
			await runNode({ parameters: { resource: 'ticket', operation: 'get', ticketId: locator(7) }, credentials, continueOnFail: true }),
		);
		// a GET cut every time is retried like a dropped connection (5 retries), then fails saying Halo did not answer in full
		expect(items[0].json.error).toMatch(/Could not reach Halo/);
		expect(items[0].json.details).toMatch(/ECONNRESET/);
		expect(await fixture.control.countRoute('GET /api/tickets/:id')).toBe(6);
	});

	it('gives up a GET after 5 retries and says Halo did not answer', async () => {
		await fixture.control.addFaults([{ route: 'GET /api/tickets/:id', kind: 'status', status: 503 }]);
		const { items } = await withRetryPolicy({ transientBaseDelayMs: 2 }, async () =>
			await runNode({ parameters: { resource: 'ticket', operation: 'get', ticketId: locator(7) }, credentials, continueOnFail: true }),
		);
		expect(items[0].json).toMatchObject({ error: 'Halo answered HTTP 503', details: expect.stringContaining('Halo did not answer on any attempt') });
		expect(await fixture.control.countRoute('GET /api/tickets/:id')).toBe(6);
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
		expect(page1.paginationToken).toBe('2:50');
		expect(String(page1.results[0].url)).toMatch(/\/ticket\?id=\d+$/);
		const clients = (await runNodeMethod({ kind: 'listSearch', method: 'searchClients', credentials })) as INodeListSearchResult;
		expect(clients.results.length).toBe(3);
		const outcomes = (await runNodeMethod({ kind: 'listSearch', method: 'searchOutcomes', credentials, filter: 'note' })) as INodeListSearchResult;
		expect(outcomes.results.map((result) => result.name)).toEqual(expect.arrayContaining(['Note', 'Private Note']));
	});

	it('list search walks every ticket when Halo caps pages below the size asked and spells the envelope differently', async () => {
		const proxy = await startVariantProxy(fixture.sandbox.baseUrl, {
			pageSizeCap: 20,
			envelopeKeys: { '/api/tickets': { from: 'tickets', to: 'Tickets' } },
		});
		try {
			const viaProxy = makeCredentials({ ...fixture.sandbox, baseUrl: proxy.baseUrl });
			const ids: string[] = [];
			let token: string | undefined;
			let calls = 0;
			do {
				const page = (await runNodeMethod({
					kind: 'listSearch',
					method: 'searchTickets',
					credentials: viaProxy,
					paginationToken: token,
				})) as INodeListSearchResult;
				expect(page.results.length).toBe(Math.min(20, 250 - ids.length));
				ids.push(...page.results.map((result) => String(result.value)));
				token = page.paginationToken;
				calls += 1;
			} while (token && calls < 50);
			expect(new Set(ids).size).toBe(250);
			expect(calls).toBe(13);
		} finally {
			await proxy.stop();
		}
	});
});
