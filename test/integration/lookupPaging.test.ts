import type { IDataObject } from 'n8n-workflow';

import { makeCredentials } from '../helpers/n8n-harness';
import type { StoredCredential } from '../helpers/n8n-harness';
import { useHaloSandbox } from '../helpers/sandbox';
import { haloRows, itemIds, lookupRunner, rowIds } from './lookupSupport';

// A generated tenant big enough that every list below spans several of Halo's 100-row pages.
const fixture = useHaloSandbox({ dataset: { seed: 7, clients: 260, contractsPerClient: 2, assets: 400, tickets: 5 } });
let credentials: StoredCredential;
const run = lookupRunner(() => credentials);

beforeAll(() => {
	credentials = makeCredentials(fixture.sandbox);
});

/** Runs the node after a reset of the sandbox's counters and returns the requests made to one route. */
async function countingRequests(route: string, action: () => ReturnType<typeof run>) {
	await fixture.control.reset();
	const result = await action();
	return { ...result, requests: await fixture.control.countRoute(route) };
}

describe('Return All and Limit over many pages', () => {
	it('reads every client, 100 per page, in as few requests as the total needs', async () => {
		const expected = await haloRows(fixture.sandbox, '/Client', 'clients');
		expect(expected.length).toBeGreaterThan(200);
		const { items, error, requests } = await countingRequests('GET /api/client', async () =>
			await run('client', 'getMany', { returnAll: true }),
		);
		expect(error).toBeUndefined();
		expect(itemIds(items)).toEqual(rowIds(expected));
		expect(requests).toBe(Math.ceil(expected.length / 100));
	});

	it('stops at the limit after the pages it needs', async () => {
		const expected = await haloRows(fixture.sandbox, '/Client', 'clients');
		const { items, requests } = await countingRequests('GET /api/client', async () =>
			await run('client', 'getMany', { returnAll: false, limit: 120 }),
		);
		expect(itemIds(items)).toEqual(rowIds(expected).slice(0, 120));
		expect(requests).toBe(2);
	});

	it('pages through assets with a filter', async () => {
		const expected = await haloRows(fixture.sandbox, '/Asset', 'assets', { includeinactive: true });
		expect(expected.length).toBeGreaterThan(300);
		const { items, requests } = await countingRequests('GET /api/asset', async () =>
			await run('asset', 'getMany', { returnAll: true, filters: { includeInactive: true } }),
		);
		expect(itemIds(items)).toEqual(rowIds(expected));
		expect(requests).toBe(Math.ceil(expected.length / 100));
	});

	it('applies the in-force date over every page before the limit', async () => {
		const contracts = await haloRows(fixture.sandbox, '/ClientContract', 'contracts');
		expect(contracts.length).toBeGreaterThan(100);
		const today = new Date().toISOString().slice(0, 10);
		const expected = contracts.filter(
			(contract: IDataObject) =>
				contract.expired !== true &&
				String(contract.start_date).slice(0, 10) <= today &&
				String(contract.end_date).slice(0, 10) >= today,
		);
		expect(expected.length).toBeGreaterThan(0);
		expect(expected.length).toBeLessThan(contracts.length);

		const all = await run('contract', 'getMany', { returnAll: true, filters: { inForceOn: today } });
		expect(itemIds(all.items)).toEqual(rowIds(expected));
		const { items, requests } = await countingRequests('GET /api/clientcontract', async () =>
			await run('contract', 'getMany', { returnAll: false, limit: 5, filters: { inForceOn: today } }),
		);
		expect(itemIds(items)).toEqual(rowIds(expected).slice(0, 5));
		expect(requests).toBe(Math.ceil(contracts.length / 100));
	});

	it('adds assets with one request per contract', async () => {
		const { items, requests } = await countingRequests('GET /api/asset', async () =>
			await run('contract', 'getMany', { returnAll: false, limit: 3, includeAssets: true }),
		);
		expect(items).toHaveLength(3);
		expect(requests).toBe(3);
		for (const { json } of items) {
			const expected = await haloRows(fixture.sandbox, '/Asset', 'assets', { contract_id: Number(json.id) });
			expect(rowIds(json.assets as IDataObject[])).toEqual(rowIds(expected));
		}
	});
});
