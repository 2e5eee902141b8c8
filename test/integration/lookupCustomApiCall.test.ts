import type { IDataObject } from 'n8n-workflow';

import { makeCredentials } from '../helpers/n8n-harness';
import type { StoredCredential } from '../helpers/n8n-harness';
import { useHaloSandbox } from '../helpers/sandbox';
import { haloGet, haloRows, itemIds, lookupRunner, rowIds } from './lookupSupport';

const fixture = useHaloSandbox();
let credentials: StoredCredential;
const run = lookupRunner(() => credentials);

beforeAll(() => {
	credentials = makeCredentials(fixture.sandbox);
});

const call = async (parameters: IDataObject, options?: Parameters<typeof run>[3]) =>
	await run('customApiCall', 'call', parameters, options);

describe('Custom API Call', () => {
	it('GETs one record as one item', async () => {
		const { items, error } = await call({ method: 'GET', path: '/Client/3' });
		expect(error).toBeUndefined();
		expect(items.map((item) => item.json)).toEqual([await haloGet(fixture.sandbox, '/Client/3')]);
	});

	it('turns a bare-array answer into one item per element, with or without /api and the leading slash', async () => {
		const agents = await haloRows(fixture.sandbox, '/Agent', null);
		const plain = await call({ method: 'GET', path: 'Agent' });
		expect(plain.items.map((item) => item.json)).toEqual(agents);
		const withApi = await call({ method: 'GET', path: '/api/Agent' });
		expect(itemIds(withApi.items)).toEqual(rowIds(agents));
	});

	it('sends query parameters', async () => {
		const { items } = await call({
			method: 'GET',
			path: '/Site',
			queryParameters: { parameters: [{ name: 'client_id', value: '1' }, { name: 'search', value: 'clinic' }] },
		});
		expect(items).toHaveLength(1);
		const expected = await haloRows(fixture.sandbox, '/Site', 'sites', { client_id: 1, search: 'clinic' });
		expect(rowIds(items[0].json.sites as IDataObject[])).toEqual(rowIds(expected));
		expect(expected.length).toBe(2);
	});

	it('POSTs a JSON body (an object is sent as Halo\'s one-record array), then DELETEs the record', async () => {
		const created = await call({ method: 'POST', path: '/Client', body: '{ "name": "Custom Call Cafe", "website": "cafe.example" }' });
		expect(created.error).toBeUndefined();
		const id = Number(created.items[0].json.id);
		expect(created.items[0].json).toMatchObject({ name: 'Custom Call Cafe', website: 'cafe.example' });
		expect(await haloGet(fixture.sandbox, `/Client/${id}`)).toMatchObject({ id, name: 'Custom Call Cafe' });

		const updated = await call({ method: 'POST', path: '/Client', body: [{ id, name: 'Custom Call Bistro' }] });
		expect(updated.items[0].json).toMatchObject({ id, name: 'Custom Call Bistro' });

		const deleted = await call({ method: 'DELETE', path: `/Client/${id}` });
		expect(deleted.items[0].json).toMatchObject({ id });
		await expect(haloGet(fixture.sandbox, `/Client/${id}`)).rejects.toThrow(/404/);
	});

	it('refuses a full URL, so the token never goes to another host', async () => {
		for (const path of ['https://elsewhere.example/api/Client', '//elsewhere.example/api/Client']) {
			await fixture.control.reset();
			const { error } = await call({ method: 'GET', path });
			expect(error?.message).toBe(`Path must be a path on your Halo instance, not a URL: "${path}"`);
			expect((await fixture.control.stats()).requests).toBe(0);
		}
		const empty = await call({ method: 'GET', path: '/api/' });
		expect(empty.error?.message).toBe('Path is empty');
	});

	it('explains a body that is not JSON', async () => {
		const { error } = await call({ method: 'POST', path: '/Client', body: '{ name: "x" ' });
		expect(error?.message).toMatch(/Body is not valid JSON/);
	});

	it('passes Halo\'s error through, and yields error items with continue-on-fail', async () => {
		const { items, error } = await call(
			{ method: 'GET', path: '={{ "/Client/" + $json.id }}' },
			{ continueOnFail: true, inputItems: [{ id: 2 }, { id: 9999 }] },
		);
		expect(error).toBeUndefined();
		expect(items).toHaveLength(2);
		expect(items[0].json).toMatchObject({ id: 2 });
		expect(items[1].json.error).toMatch(/9999/);
		expect(items[1].pairedItem).toEqual({ item: 1 });
	});
});
