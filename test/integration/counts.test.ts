/**
 * The deterministic counts behind BENCHMARKS.md, asserted in-process (our node through n8n-core's
 * WorkflowExecute against the sandbox). Times are never asserted; `npm run bench` reports them.
 */
import { locator, makeCredentials, runNode } from '../helpers/n8n-harness';
import type { StoredCredential } from '../helpers/n8n-harness';
import { useHaloSandbox } from '../helpers/sandbox';
import { apiRequestsByRoute } from './support';

const fixture = useHaloSandbox({ dataset: { tickets: 1234, assets: 2501, clients: 20, softwarePerAsset: 1, actionsPerTicket: 1 } });

async function readTicketAndAddNote(credentials: StoredCredential, ticketId: number): Promise<void> {
	const ticket = await runNode({ parameters: { resource: 'ticket', operation: 'get', ticketId: locator(ticketId) }, credentials });
	expect(ticket.error).toBeUndefined();
	const note = await runNode({
		parameters: { resource: 'note', operation: 'addInternalNote', ticketId: locator(ticketId), note: 'Checked by the counts test.' },
		credentials,
	});
	expect(note.error).toBeUndefined();
}

beforeEach(async () => {
	await fixture.control.reset();
});

describe('token requests', () => {
	it('fetches one token for 20 executions of "read a ticket, add a note" (one per token lifetime)', async () => {
		const credentials = makeCredentials(fixture.sandbox);
		for (let execution = 1; execution <= 20; execution++) await readTicketAndAddNote(credentials, execution);
		const stats = await fixture.control.stats();
		expect(stats.tokensIssued).toBe(1);
		expect(credentials.tokenFetches).toBe(1);
		// Two API requests per execution, one read and one write: the note's outcome goes by name, no GET /Outcome.
		expect(apiRequestsByRoute(stats)).toEqual({ 'GET /api/tickets/:id': 20, 'POST /api/actions': 20 });
	});

	it('fetches exactly one new token when the old one expired', async () => {
		const credentials = makeCredentials(fixture.sandbox);
		await readTicketAndAddNote(credentials, 1);
		const before = (await fixture.control.stats()).tokensIssued;
		await fixture.control.expireTokens();
		await readTicketAndAddNote(credentials, 2);
		expect((await fixture.control.stats()).tokensIssued - before).toBe(1);
	});
});

describe('page requests for Return All', () => {
	it.each([
		['ticket', 'GET /api/tickets', 1234, {}],
		['asset', 'GET /api/asset', 2501, { includeInactive: true }],
	])('lists every %s with ceil(N/100) page requests', async (resource, route, rows, filters) => {
		const credentials = makeCredentials(fixture.sandbox);
		const { items, error } = await runNode({
			parameters: { resource, operation: 'getMany', returnAll: true, simplify: false, filters },
			credentials,
		});
		expect(error).toBeUndefined();
		expect(items).toHaveLength(rows);
		expect(new Set(items.map((item) => item.json.id)).size).toBe(rows);
		expect(await fixture.control.countRoute(route)).toBe(Math.ceil(rows / 100));
	});
});

describe('rate limit', () => {
	it('finishes a job of 24 calls through a 8-per-second window without a failure', async () => {
		const credentials = makeCredentials(fixture.sandbox);
		await runNode({ parameters: { resource: 'ticket', operation: 'get', ticketId: locator(1) }, credentials });
		await fixture.control.reset();
		await fixture.control.rateLimit({ limit: 8, windowMs: 1000 });
		const { items, error } = await runNode({
			parameters: { resource: 'ticket', operation: 'get', ticketId: locator('={{ $json.ticketId }}') },
			credentials,
			continueOnFail: true,
			inputItems: Array.from({ length: 24 }, (_, index) => ({ ticketId: index + 1 })),
		});
		expect(error).toBeUndefined();
		expect(items.filter((item) => item.json.error !== undefined)).toHaveLength(0);
		expect(items.map((item) => item.json.id)).toEqual(Array.from({ length: 24 }, (_, index) => index + 1));
		const requests = await fixture.control.requests();
		expect(requests.filter((request) => request.status === 429).length).toBeGreaterThan(0);
	}, 60_000);
});
