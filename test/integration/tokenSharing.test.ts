/**
 * Token requests of our node's executions running at the same time in one process (as in one n8n
 * worker), through n8n-core's WorkflowExecute against a sandbox of this file's own, so no other
 * test's token is in the process's memory of this sandbox.
 */
import { locator, makeCredentials, runNode } from '../helpers/n8n-harness';
import type { StoredCredential } from '../helpers/n8n-harness';
import { useHaloSandbox } from '../helpers/sandbox';

const fixture = useHaloSandbox();

describe('token requests of executions running at the same time in one process', () => {
	const AT_ONCE = 10;
	const readAll = (credentials: StoredCredential) =>
		Promise.all(
			Array.from({ length: AT_ONCE }, (_, index) =>
				runNode({ parameters: { resource: 'ticket', operation: 'get', ticketId: locator((index % 8) + 1) }, credentials }),
			),
		);

	it('fetch one token between them on an empty credential, and one after Halo expires every token mid-run', async () => {
		const credentials = makeCredentials(fixture.sandbox);
		const started = await readAll(credentials);
		expect(started.filter((run) => run.error)).toEqual([]);
		expect((await fixture.control.stats()).tokensIssued).toBe(1);

		// Expire while executions are in flight: some have read the old token, some get 401 with it.
		const inFlight = readAll(credentials);
		expect((await fixture.control.expireTokens()).expired).toBe(1);
		const afterExpiry = [...(await inFlight), ...(await readAll(credentials))];
		expect(afterExpiry.filter((run) => run.error)).toEqual([]);
		expect((await fixture.control.stats()).tokensIssued).toBe(2);
		expect((await fixture.control.stats()).requestsByRoute['GET /api/tickets/:id']).toBeGreaterThanOrEqual(3 * AT_ONCE);
	});

	it('20 executions at once after every token expired make exactly 1 token request', async () => {
		const credentials = makeCredentials(fixture.sandbox, { tenant: 'twenty-at-once' });
		const first = await runNode({ parameters: { resource: 'ticket', operation: 'get', ticketId: locator(1) }, credentials });
		expect(first.error).toBeUndefined();
		await fixture.control.reset();
		expect((await fixture.control.expireTokens()).expired).toBeGreaterThan(0);
		const runs = await Promise.all(
			Array.from({ length: 20 }, (_, index) =>
				runNode({ parameters: { resource: 'ticket', operation: 'get', ticketId: locator((index % 8) + 1) }, credentials }),
			),
		);
		expect(runs.filter((run) => run.error)).toEqual([]);
		const stats = await fixture.control.stats();
		expect(stats.tokensIssued).toBe(1);
		// Every execution read with the expired token, got 401 and sent once more with the new one.
		expect(stats.requestsByRoute['GET /api/tickets/:id']).toBe(40);
	});
});

