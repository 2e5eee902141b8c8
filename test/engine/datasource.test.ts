import { AxiosHaloDataSource, HaloAuthenticationError, planDeployments } from '../../engine';
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
});
