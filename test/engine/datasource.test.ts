import { assetsNeedingInstalledSoftware, AxiosHaloDataSource, HaloAuthenticationError, planDeployments } from '../../engine';
import { EMPTY_CREDENTIAL_GRACE_MS } from '../../halo-client';
import { send } from '../helpers/sandbox';
import { useHaloSandbox } from '../helpers/sandbox';

describe('AxiosHaloDataSource against the sandbox', () => {
	const fixture = useHaloSandbox({ dataset: 'demo', requireTenant: 'acme' });
	const connection = () => ({ url: `${fixture.sandbox.baseUrl}/api/`, clientId: fixture.sandbox.clientId, clientSecret: fixture.sandbox.clientSecret, tenant: 'acme' });

	it('loads clients, contracts, invoices with lines, items, assets and installed software', async () => {
		const snapshot = await new AxiosHaloDataSource(connection()).loadSnapshot({ includeInstalledSoftware: true });
		const state = fixture.sandbox.state as unknown as { store: Record<string, { all(): unknown[] }> };
		expect(snapshot.clients.length).toBe(state.store.clients.all().length);
		expect(snapshot.contracts.length).toBe(state.store.contracts.all().length);
		expect(snapshot.recurringInvoices.every((invoice) => invoice.lines.length > 0)).toBe(true);
		expect(snapshot.items.map((item) => item.code)).toContain('HUNTRESS-EDR');
		expect(snapshot.assets.some((asset) => asset.inactive)).toBe(false);
		expect(snapshot.installedSoftware?.size).toBe(snapshot.assets.length);
		const plan = await planDeployments(snapshot, [
			{ id: 's1', software: 'SentinelOne', effect: 'deploy', conditions: { all: [{ fact: 'coverage', path: '$.client.contractTypes', operator: 'containsAny', value: ['Managed Security'] }] } },
		]);
		expect(plan.summary()[0].targeted).toBeGreaterThan(0);
	});

	it('loads with an application granted only the read scopes, asking for those', async () => {
		const snapshot = await new AxiosHaloDataSource({
			...connection(),
			clientId: 'sandbox-readonly-client',
			clientSecret: 'sandbox-readonly-secret',
			scope: 'read:customers read:contracts read:invoices read:items read:assets read:software',
		}).loadSnapshot({ includeInstalledSoftware: true });
		expect(snapshot.assets.length).toBeGreaterThan(0);
		expect(snapshot.installedSoftware?.size).toBe(snapshot.assets.length);
	});

	it('waits out rate limits, gateway errors and dropped connections, and loads the same snapshot', async () => {
		const expected = await new AxiosHaloDataSource(connection()).loadSnapshot();
		await fixture.control.reset();
		await fixture.control.addFaults([
			{ route: 'GET /api/item', kind: 'status', status: 503, count: 2 },
			{ route: 'GET /api/asset', kind: 'drop', count: 1 },
		]);
		await fixture.control.rateLimit({ limit: 3, windowMs: 400 });
		const retryPolicy = { rateLimitBaseDelayMs: 50, transientBaseDelayMs: 20 };
		try {
			expect(await new AxiosHaloDataSource({ ...connection(), retryPolicy }).loadSnapshot()).toEqual(expected);
			const statuses = (await fixture.control.requests()).map((request) => request.status);
			expect(statuses).toEqual(expect.arrayContaining([429, 503, 0, 200]));
		} finally {
			await fixture.control.reset();
		}
	});

	it('limits the load to the given clients', async () => {
		const snapshot = await new AxiosHaloDataSource(connection()).loadSnapshot({ clientIds: [1] });
		expect(new Set(snapshot.assets.map((asset) => asset.clientId))).toEqual(new Set([1]));
		expect(snapshot.clients.map((client) => client.id)).toEqual([1]);
	});

	it('says why the token was refused, without the secret', async () => {
		const source = new AxiosHaloDataSource({ ...connection(), clientSecret: 'wrong-secret-value' });
		const failure = await source.loadSnapshot().catch((error: unknown) => error);
		expect(failure).toBeInstanceOf(HaloAuthenticationError);
		expect((failure as Error).message).toBe('Halo rejected the Client ID or Client Secret (invalid_client)');
		expect((failure as Error).message).not.toContain('wrong-secret-value');
	});
	describe('its token', () => {
		beforeEach(async () => await fixture.control.reset());

		it('is fetched once for a whole snapshot load (dozens of requests, four at a time) and kept for the next load', async () => {
			// One slow answer stretches the load past the few seconds in which the token memory would
			// hand the same token to a client that asked for a new one on every request.
			await fixture.control.addFaults([{ route: 'GET /api/item', kind: 'slow', delayMs: EMPTY_CREDENTIAL_GRACE_MS + 500, count: 1 }]);
			const source = new AxiosHaloDataSource(connection());
			await source.loadSnapshot({ includeInstalledSoftware: true });
			const afterFirst = await fixture.control.stats();
			// One installed-software request per asset.
			expect(afterFirst.requestsByRoute['GET /api/assetsoftware']).toBe((await source.loadSnapshot()).assets.length);
			expect(afterFirst.tokensIssued).toBe(1);
			await source.loadSnapshot();
			expect((await fixture.control.stats()).tokensIssued).toBe(1);
		});

		it('is renewed once when Halo revokes it in the middle of a load, however many requests it refused, and the load completes', async () => {
			const expected = await new AxiosHaloDataSource(connection()).loadSnapshot({ includeInstalledSoftware: true });
			await fixture.control.reset();
			// Revoked among the installed-software requests, four of which are in flight at a time.
			await send(`${fixture.sandbox.baseUrl}/_sandbox/tokens/expire`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ afterRequests: 12 }) });
			const snapshot = await new AxiosHaloDataSource(connection()).loadSnapshot({ includeInstalledSoftware: true });
			expect(snapshot).toEqual(expected);
			const refused = (await fixture.control.requests()).filter((request) => request.status === 401);
			expect(refused.length).toBeGreaterThanOrEqual(1);
			expect((await fixture.control.stats()).tokensIssued).toBe(2);
		});
	});

	describe('when Halo repeats the submitted client secret in its token errors', () => {
		const configure = async (echoSecretInTokenErrors: boolean) =>
			await send(`${fixture.sandbox.baseUrl}/_sandbox/config`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ echoSecretInTokenErrors }) });
		beforeAll(async () => await configure(true));
		afterAll(async () => await configure(false));

		const failureOf = async (overrides: Partial<ReturnType<typeof connection>> & { scope?: string }) =>
			(await new AxiosHaloDataSource({ ...connection(), ...overrides }).loadSnapshot().catch((error: unknown) => error)) as HaloAuthenticationError;

		it('says what Halo said with the secret taken out', async () => {
			const tenant = await failureOf({ tenant: 'globex' });
			expect(tenant).toBeInstanceOf(HaloAuthenticationError);
			expect(tenant.message).toBe(`Halo did not accept the tenant "globex" (invalid_client: Unknown tenant 'globex'. The client secret sent was [redacted].)`);
			const scope = await failureOf({ clientId: 'sandbox-readonly-client', clientSecret: 'sandbox-readonly-secret', scope: 'all' });
			expect(scope.message).toMatch(/^Halo rejected the requested scopes \(.*The client secret sent was \[redacted\]\.\)$/);
			const wrongSecret = await failureOf({ clientSecret: 'wrong-secret-value' });
			expect(wrongSecret.message).toBe('Halo rejected the Client ID or Client Secret (invalid_client)');
			for (const [failure, secret] of [[tenant, fixture.sandbox.clientSecret], [scope, 'sandbox-readonly-secret'], [wrongSecret, 'wrong-secret-value']] as const) {
				expect(`${failure.message} ${failure.description} ${failure.stack}`).not.toContain(secret);
			}
		});
	});
});

describe('AxiosHaloDataSource: installed software for the assets whose decisions need it', () => {
	const fixture = useHaloSandbox({ dataset: { seed: 5, clients: 20, assets: 300, tickets: 0 } });

	it('costs ceil(rows/100) requests per list plus one per such asset, and plans as reading every asset\'s does', async () => {
		const connection = { url: fixture.sandbox.baseUrl, clientId: fixture.sandbox.clientId, clientSecret: fixture.sandbox.clientSecret };
		const policies = [
			{ id: 'huntress', software: 'Huntress', effect: 'deploy', assetTypes: ['Workstation', 'Laptop'], conditions: { all: [{ fact: 'coverage', path: '$.client.contractTypes', operator: 'containsAny', value: ['Managed Security'] }] } },
		];
		const options = { timeZone: 'UTC' };
		const everyAsset = await planDeployments(await new AxiosHaloDataSource(connection).loadSnapshot({ includeInstalledSoftware: true }), policies, options);
		const targeted = [...everyAsset.decisions()].filter((decision) => decision.targeted).map((decision) => decision.assetId);
		expect(targeted.length).toBeGreaterThan(10);

		await fixture.control.reset();
		const source = new AxiosHaloDataSource(connection);
		const lists = await source.loadSnapshot();
		const needed = await assetsNeedingInstalledSoftware(lists, policies, options);
		const plan = await planDeployments(await source.addInstalledSoftware(lists, needed), policies, options);

		const { store } = fixture.sandbox.state as unknown as { store: Record<string, { size: number; bucket(kind: string, value: number): unknown[] }> };
		const rows = [store.clients.size, store.contracts.size, store.invoices.size, store.items.size, store.assets.bucket('active', 1).length];
		const requests = (await fixture.control.requests()).filter((request) => /^\/api\//i.test(request.path) && !/^\/api\/authinfo$/i.test(request.path));
		expect(needed.sort((a, b) => a - b)).toEqual(targeted.sort((a, b) => a - b));
		expect(requests.filter((request) => /^\/api\/assetsoftware$/i.test(request.path)).map((request) => Number(request.query.device_id)).sort((a, b) => a - b)).toEqual(needed);
		expect(requests.length).toBe(rows.reduce((sum, count) => sum + Math.ceil(count / 100), 0) + needed.length);
		expect(requests.length).toBeLessThan(lists.assets.length);
		expect([...plan.changes()]).toEqual([...everyAsset.changes()]);
		expect(plan.reconciliation()).toEqual(everyAsset.reconciliation());
	});
});
