/**
 * The deterministic counts behind BENCHMARKS.md, asserted in-process (our node through n8n-core's
 * WorkflowExecute against the sandbox). Times are never asserted; `npm run bench` reports them.
 */
import { unannouncedRefusalBound } from '../../halo-client';
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

	it('fetches exactly one new token when the old one expired, and n8n keeps it for the next executions', async () => {
		const credentials = makeCredentials(fixture.sandbox);
		await readTicketAndAddNote(credentials, 1);
		const before = (await fixture.control.stats()).tokensIssued;
		const expiredToken = credentials.data.accessToken;
		await fixture.control.expireTokens();
		// The transport hands n8n's helper the credential it read once for the execution: the renewal
		// (preAuthentication after the 401) goes into that copy and into n8n's stored credential.
		await readTicketAndAddNote(credentials, 2);
		expect((await fixture.control.stats()).tokensIssued - before).toBe(1);
		expect(credentials.data.accessToken).not.toBe(expiredToken);
		await readTicketAndAddNote(credentials, 3);
		expect((await fixture.control.stats()).tokensIssued - before).toBe(1);
		// one 401 (the read after the expiry), every other request sent with a live token
		expect((await fixture.control.requests()).filter((request) => request.status === 401)).toHaveLength(1);
	});

	it('renews within one execution: a Return All whose token expires after its first page sends the new token on every later page', async () => {
		const credentials = makeCredentials(fixture.sandbox);
		await readTicketAndAddNote(credentials, 1);
		await fixture.control.reset();
		await fixture.control.expireTokens({ afterRequests: 1 });
		const { items, error } = await runNode({ parameters: { resource: 'ticket', operation: 'getMany', returnAll: true }, credentials });
		expect(error).toBeUndefined();
		expect(items).toHaveLength(1234);
		expect((await fixture.control.stats()).tokensIssued).toBe(1);
		const pages = (await fixture.control.requests()).filter((request) => request.path.toLowerCase() === '/api/tickets');
		// page 1 passes; pages 2 and 3, asked together after it, both meet the expired token; one renewal serves both
		expect(pages.filter((request) => request.status === 401).map((request) => request.query.page_no).sort()).toEqual(['2', '3']);
		expect(pages.filter((request) => request.status === 200)).toHaveLength(13);
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

describe('rate limit (the process paces each credential once Halo\'s 429 has taught it the window)', () => {
	/** A credential of its own per test (the sandbox ignores the tenant): the pacer keeps what it learned per credential. */
	async function pacedCredentials(tenant: string): Promise<StoredCredential> {
		const credentials = makeCredentials(fixture.sandbox, { tenant });
		await runNode({ parameters: { resource: 'ticket', operation: 'get', ticketId: locator(1) }, credentials });
		await fixture.control.reset();
		return credentials;
	}

	async function readTickets(credentials: StoredCredential, count: number) {
		const { items, error } = await runNode({
			parameters: { resource: 'ticket', operation: 'get', ticketId: locator('={{ $json.ticketId }}') },
			credentials,
			continueOnFail: true,
			inputItems: Array.from({ length: count }, (_, index) => ({ ticketId: index + 1 })),
		});
		expect(error).toBeUndefined();
		expect(items.filter((item) => item.json.error !== undefined)).toHaveLength(0);
		expect(items.map((item) => item.json.id)).toEqual(Array.from({ length: count }, (_, index) => index + 1));
	}

	const refused = async () => (await fixture.control.requests()).filter((request) => request.status === 429).length;

	it('finishes 24 calls through an announced 8-per-second window with 0 failed and exactly 1 refused', async () => {
		const credentials = await pacedCredentials('announced');
		await fixture.control.rateLimit({ limit: 8, windowMs: 1000 });
		await readTickets(credentials, 24);
		expect(await refused()).toBe(1);
	}, 60_000);

	it('finishes 24 calls through an unannounced 8-per-2-s window with 0 failed and at most 9 refused (unannouncedRefusalBound)', async () => {
		// No token yet: the token request (and its discovery) count in the window like the reads, so the
		// requests the pacer saw before the first refusal are exactly the limit.
		const credentials = makeCredentials(fixture.sandbox, { tenant: 'unannounced' });
		await fixture.control.rateLimit({ limit: 8, windowMs: 2000, announce: false });
		await readTickets(credentials, 24);
		// The first refusal teaches the limit; the window estimate grows from 1 s past each refusal until
		// Halo admits a request, then is halved between what was refused and what was admitted.
		expect(await refused()).toBeGreaterThan(0);
		expect(await refused()).toBeLessThanOrEqual(unannouncedRefusalBound(2000));
	}, 60_000);

	it('shares one pacer between 10 executions at once: 30 calls through 10 per second, 0 failed, at most one refusal each', async () => {
		const credentials = await pacedCredentials('shared');
		await fixture.control.rateLimit({ limit: 10, windowMs: 1000 });
		await Promise.all(Array.from({ length: 10 }, async () => await readTickets(credentials, 3)));
		// Only requests already in flight when the first 429 arrived can be refused: at most one per execution.
		const refusals = await refused();
		expect(refusals).toBeGreaterThan(0);
		expect(refusals).toBeLessThanOrEqual(10);
		expect(await fixture.control.countRoute('GET /api/tickets/:id')).toBe(30 + refusals);
	}, 60_000);
});
