import type { IDataObject, IPairedItemData } from 'n8n-workflow';

import { locator, makeCredentials } from '../helpers/n8n-harness';
import type { StoredCredential } from '../helpers/n8n-harness';
import { useHaloSandbox } from '../helpers/sandbox';
import { haloGet, haloRows, itemIds, lookupRunner, rowIds } from './lookupSupport';

const fixture = useHaloSandbox();
let credentials: StoredCredential;
const run = lookupRunner(() => credentials);

beforeAll(() => {
	credentials = makeCredentials(fixture.sandbox);
});

const dayOffset = (days: number) => new Date(Date.now() + days * 24 * 3600 * 1000).toISOString().slice(0, 10);

/** The in-force rule of issue 5, written out again here so the node is checked against it. */
function inForceOn(contract: IDataObject, day: string): boolean {
	const start = String(contract.start_date ?? '').slice(0, 10);
	const end = String(contract.end_date ?? '').slice(0, 10);
	return contract.active === true && contract.expired !== true && (!start || start <= day) && (!end || end >= day);
}

describe('Contract lookups', () => {
	it('gets a contract with its details and linked assets', async () => {
		const expected = (await haloGet(fixture.sandbox, '/ClientContract/1', { includedetails: true })) as IDataObject;
		const raw = await run('contract', 'get', { contractId: '1', simplify: false });
		expect(raw.items[0].json).toEqual(expected);
		const simple = await run('contract', 'get', { contractId: '1' });
		expect(simple.items[0].json).toMatchObject({
			id: 1,
			ref: 'NWD-MSEC-2025',
			contracttype_name: 'Managed Security',
			assets: expected.assets,
		});
		const linked = await haloRows(fixture.sandbox, '/Asset', 'assets', { contract_id: 1 });
		expect(rowIds(simple.items[0].json.assets as IDataObject[])).toEqual(rowIds(linked));
		expect(linked.length).toBeGreaterThan(0);
	});

	it('lists contracts by client and by site', async () => {
		const ofClient = await run('contract', 'getMany', { returnAll: true, filters: { clientId: locator(1) } });
		expect(itemIds(ofClient.items)).toEqual(rowIds(await haloRows(fixture.sandbox, '/ClientContract', 'contracts', { client_id: 1 })));
		expect(ofClient.items.length).toBe(2);
		const ofSite = await run('contract', 'getMany', { returnAll: true, filters: { siteId: '5' } });
		expect(itemIds(ofSite.items)).toEqual(rowIds(await haloRows(fixture.sandbox, '/ClientContract', 'contracts', { site_id: 5 })));
	});

	it('filters by contract type name in any case, by type ID, and by several types', async () => {
		const contracts = await haloRows(fixture.sandbox, '/ClientContract', 'contracts', { includeinactive: true });
		const byName = await run('contract', 'getMany', {
			returnAll: true,
			filters: { contractTypes: 'managed SECURITY', includeInactive: true },
		});
		expect(itemIds(byName.items)).toEqual(rowIds(contracts.filter((contract) => contract.contracttype_name === 'Managed Security')));
		expect(byName.items.length).toBeGreaterThan(1);

		const byId = await run('contract', 'getMany', { returnAll: true, filters: { contractTypes: '3' } });
		const active = await haloRows(fixture.sandbox, '/ClientContract', 'contracts');
		expect(itemIds(byId.items)).toEqual(rowIds(active.filter((contract) => contract.contracttype === 3)));

		const several = await run('contract', 'getMany', { returnAll: true, filters: { contractTypes: 'Break Fix, 2' } });
		expect(itemIds(several.items)).toEqual(rowIds(active.filter((contract) => [2, 3].includes(Number(contract.contracttype)))));

		// Limit counts matching contracts, not the rows read before filtering.
		const firstOnly = await run('contract', 'getMany', { returnAll: false, limit: 1, filters: { contractTypes: 'Break Fix' } });
		expect(itemIds(firstOnly.items)).toEqual(rowIds(active.filter((contract) => contract.contracttype === 3)).slice(0, 1));
	});

	it('keeps only the contracts in force on a date: expired, future, inactive ones drop out', async () => {
		const contracts = await haloRows(fixture.sandbox, '/ClientContract', 'contracts', { includeinactive: true });
		const today = dayOffset(0);
		const now = await run('contract', 'getMany', { returnAll: true, filters: { inForceOn: today, includeInactive: true } });
		const expectedNow = contracts.filter((contract) => inForceOn(contract, today));
		expect(itemIds(now.items)).toEqual(rowIds(expectedNow));
		// The demo data holds an expired, a future and an inactive contract: all three must be out.
		expect(expectedNow.length).toBeLessThan(contracts.length - 2);

		const inThreeWeeks = dayOffset(21);
		const later = await run('contract', 'getMany', { returnAll: true, filters: { inForceOn: `${inThreeWeeks}T09:00:00` } });
		const expectedLater = contracts.filter((contract) => inForceOn(contract, inThreeWeeks));
		expect(itemIds(later.items)).toEqual(rowIds(expectedLater));
		expect(itemIds(later.items)).not.toEqual(itemIds(now.items));
	});

	it('adds each contract\'s assets on request', async () => {
		const { items } = await run('contract', 'getMany', { returnAll: true, includeAssets: true, filters: { clientId: locator(1) } });
		expect(items).toHaveLength(2);
		for (const { json } of items) {
			const expected = await haloRows(fixture.sandbox, '/Asset', 'assets', { contract_id: Number(json.id) });
			expect(rowIds(json.assets as IDataObject[])).toEqual(rowIds(expected));
			expect((json.assets as IDataObject[])[0]).toEqual(expect.objectContaining({ id: expected[0].id, key_field: expected[0].key_field }));
		}
	});

	it('explains a date it cannot read, per item with continue-on-fail', async () => {
		const failed = await run('contract', 'getMany', { returnAll: true, filters: { inForceOn: 'next tuesday' } });
		expect(failed.error?.message).toBe('In Force On is not a valid date: "next tuesday"');
		const continued = await run(
			'contract',
			'getMany',
			{ returnAll: true, filters: { inForceOn: '={{ $json.day }}', clientId: locator(1) } },
			{ continueOnFail: true, inputItems: [{ day: dayOffset(0) }, { day: '31/02/2025' }] },
		);
		expect(continued.items.filter((item) => item.pairedItem && (item.pairedItem as IPairedItemData).item === 0)).toHaveLength(2);
		const errorItem = continued.items.find((item) => (item.pairedItem as IPairedItemData).item === 1);
		expect(errorItem?.json.error).toBe('In Force On is not a valid date: "31/02/2025"');
	});

	it('answers an unknown contract with Halo\'s 404', async () => {
		const { error } = await run('contract', 'get', { contractId: '999' });
		expect(error?.message).toMatch(/999/);
		expect(error?.description).toMatch(/no such record/i);
	});
});

describe('Recurring invoice lookups', () => {
	const lineItems = (invoice: IDataObject) => (invoice.lines as IDataObject[]).map((line) => Number(line._itemid));

	it('lists invoices with their lines, by client and by contract', async () => {
		const invoices = await haloRows(fixture.sandbox, '/RecurringInvoice', 'invoices', { includelines: true });
		const all = await run('recurringInvoice', 'getMany', { returnAll: true, simplify: false });
		expect(all.items.map((item) => item.json)).toEqual(invoices);
		const simple = await run('recurringInvoice', 'getMany', { returnAll: true });
		expect(simple.items[0].json.lines).toEqual(
			(invoices[0].lines as IDataObject[]).map(({ id, ihid, _itemid, item_code, item_shortdescription, qty_order, unit_price, asset_id, contract_id, startdate, enddate, isinactive }) => ({
				id, ihid, _itemid, item_code, item_shortdescription, qty_order, unit_price, asset_id, contract_id, startdate, enddate, isinactive,
			})),
		);

		const ofClient = await run('recurringInvoice', 'getMany', { returnAll: true, filters: { clientId: locator(2) } });
		expect(itemIds(ofClient.items)).toEqual(rowIds(invoices.filter((invoice) => invoice.client_id === 2)));
		const ofContract = await run('recurringInvoice', 'getMany', { returnAll: true, filters: { contractId: '4' } });
		expect(itemIds(ofContract.items)).toEqual(rowIds(invoices.filter((invoice) => invoice.contract_id === 4)));
	});

	it('keeps the invoices that bill an item', async () => {
		const invoices = await haloRows(fixture.sandbox, '/RecurringInvoice', 'invoices', { includelines: true });
		const huntress = await run('recurringInvoice', 'getMany', { returnAll: true, filters: { itemId: '3' } });
		const expected = invoices.filter((invoice) => lineItems(invoice).includes(3));
		expect(itemIds(huntress.items)).toEqual(rowIds(expected));
		expect(expected.length).toBeGreaterThan(1);
		expect(expected.length).toBeLessThan(invoices.length);
		const limited = await run('recurringInvoice', 'getMany', { limit: 1, filters: { itemId: '3' } });
		expect(itemIds(limited.items)).toEqual(rowIds(expected).slice(0, 1));
	});

	it("keeps the invoices with a line billing an asset: a machine's own licences", async () => {
		const invoices = await haloRows(fixture.sandbox, '/RecurringInvoice', 'invoices', { includelines: true });
		const lineAssets = (invoice: IDataObject) => (invoice.lines as IDataObject[]).map((line) => Number(line.asset_id));
		const assetId = Number((invoices.flatMap((invoice) => invoice.lines as IDataObject[]).find((line) => line.item_code === 'S1-CORE' && Number(line.asset_id) > 0) as IDataObject).asset_id);
		const billed = await run('recurringInvoice', 'getMany', { returnAll: true, filters: { assetId: String(assetId), itemId: '1' } });
		const expected = invoices.filter((invoice) => lineAssets(invoice).includes(assetId) && lineItems(invoice).includes(1));
		expect(itemIds(billed.items)).toEqual(rowIds(expected));
		expect(expected.length).toBeGreaterThan(0);
		const anyItem = await run('recurringInvoice', 'getMany', { returnAll: true, filters: { assetId: String(assetId) } });
		expect(itemIds(anyItem.items)).toEqual(rowIds(invoices.filter((invoice) => lineAssets(invoice).includes(assetId))));
		const bad = await run('recurringInvoice', 'getMany', { returnAll: true, filters: { assetId: 'PC-1' } });
		expect(bad.error?.message).toMatch(/Asset ID/);
	});
});

describe('Item lookups', () => {
	it('lists active items, searches them, keeps recurring ones, and adds inactive ones on request', async () => {
		const active = await haloRows(fixture.sandbox, '/Item', 'items');
		const all = await run('item', 'getMany', { returnAll: true });
		expect(itemIds(all.items)).toEqual(rowIds(active));
		expect(all.items[0].json).toEqual({
			id: active[0].id,
			name: active[0].name,
			internalreference: active[0].internalreference,
			isrecurringitem: active[0].isrecurringitem,
			inactive: false,
		});

		const sentinel = await run('item', 'getMany', { returnAll: true, filters: { search: 'sentinelone' } });
		expect(sentinel.items.map((item) => item.json.internalreference)).toEqual(['S1-CORE', 'S1-CONTROL']);
		const byReference = await run('item', 'getMany', { returnAll: true, filters: { search: 'FW-MGMT' } });
		expect(byReference.items.map((item) => item.json.name)).toEqual(['Managed Firewall']);

		const recurring = await run('item', 'getMany', { returnAll: true, filters: { recurringOnly: true } });
		expect(itemIds(recurring.items)).toEqual(rowIds(active.filter((item) => item.isrecurringitem)));
		expect(recurring.items.length).toBeLessThan(active.length);

		const withInactive = await run('item', 'getMany', { returnAll: true, filters: { includeInactive: true } });
		expect(itemIds(withInactive.items)).toEqual(rowIds(await haloRows(fixture.sandbox, '/Item', 'items', { includeinactive: true })));
		expect(withInactive.items.length).toBe(active.length + 1);
	});
});

describe('Asset lookups', () => {
	it('gets an asset, simplified or raw', async () => {
		const expected = (await haloGet(fixture.sandbox, '/Asset/1')) as IDataObject;
		const raw = await run('asset', 'get', { assetId: '1', simplify: false });
		expect(raw.items[0].json).toEqual(expected);
		const simple = await run('asset', 'get', { assetId: '1' });
		expect(Object.keys(simple.items[0].json)).toEqual(
			['id', 'inventory_number', 'key_field', 'client_id', 'client_name', 'site_id', 'site_name', 'assettype_id', 'assettype_name', 'inactive', 'contract_id', 'contracts'].filter((key) => key in expected),
		);
	});

	it.each([
		['client', { clientId: locator(1) }, { client_id: 1 }],
		['site', { siteId: '6' }, { site_id: 6 }],
		['contract', { contractId: '4' }, { contract_id: 4 }],
		['asset type', { assetTypeId: '3' }, { assettype_id: 3 }],
		['search', { search: 'reception' }, { search: 'reception' }],
		['client with inactive', { clientId: locator(1), includeInactive: true }, { client_id: 1, includeinactive: true }],
	])('lists assets by %s', async (_name, filters, query) => {
		const { items } = await run('asset', 'getMany', { returnAll: true, filters });
		const expected = await haloRows(fixture.sandbox, '/Asset', 'assets', query);
		expect(expected.length).toBeGreaterThan(0);
		expect(itemIds(items)).toEqual(rowIds(expected));
	});

	it('lists the software installed on an asset', async () => {
		const expected = await haloRows(fixture.sandbox, '/AssetSoftware', null, { device_id: 1 });
		const raw = await run('asset', 'getSoftware', { assetId: '1', returnAll: true, simplify: false });
		expect(raw.items.map((item) => item.json)).toEqual(expected);
		const simple = await run('asset', 'getSoftware', { assetId: '1', returnAll: true });
		expect(simple.items.map((item) => item.json)).toEqual(expected.map(({ id, name, version }) => ({ id, name, version })));
		const limited = await run('asset', 'getSoftware', { assetId: '1', limit: 2 });
		expect(itemIds(limited.items)).toEqual(rowIds(expected).slice(0, 2));
	});

	it('fails software of an unknown asset with Halo\'s 404, and a non-numeric asset ID before calling Halo', async () => {
		const unknown = await run('asset', 'getSoftware', { assetId: '4242', returnAll: true });
		expect(unknown.error?.message).toMatch(/4242/);
		expect(unknown.error?.description).toMatch(/no such record/i);
		const bad = await run('asset', 'get', { assetId: 'WS-01' });
		expect(bad.error?.message).toBe('The Asset ID "WS-01" is not a valid ID');
	});
});
