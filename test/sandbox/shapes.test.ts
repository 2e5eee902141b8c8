import { startHaloSandbox, type HaloSandbox } from '../../sandbox';
import { api, control, send, tokenFor } from './http';

describe('sandbox API shapes', () => {
	let sandbox: HaloSandbox;
	let token: string;

	beforeAll(async () => {
		sandbox = await startHaloSandbox({ dataset: { seed: 3, clients: 4, assets: 1200, tickets: 300 } });
		token = await tokenFor(sandbox);
	});
	afterAll(() => sandbox.stop());

	it('caps every page at 100 rows whatever page_size asks, with the true record_count', async () => {
		const active = sandbox.state.store.assets.all().filter((asset) => !asset.inactive).length;
		const first = await api(sandbox, token, 'GET', '/Asset?pageinate=true&page_size=500&page_no=1');
		expect(first.json.assets).toHaveLength(100);
		expect(first.json.record_count).toBe(active);
		expect(first.json.page_size).toBe(500);
		const last = Math.ceil(active / 100);
		const lastPage = await api(sandbox, token, 'GET', `/Asset?pageinate=true&page_size=500&page_no=${last}`);
		expect(lastPage.json.assets).toHaveLength(active - (last - 1) * 100);
		const ids = new Set<number>();
		for (let page = 1; page <= last; page++) {
			const answer = await api(sandbox, token, 'GET', `/Asset?pageinate=true&page_size=100&page_no=${page}`);
			for (const asset of answer.json.assets) ids.add(asset.id);
		}
		expect(ids.size).toBe(active);
	});

	it('filters pages by client and contract, and caps unpaged lists with count', async () => {
		const page = await api(sandbox, token, 'GET', '/asset?client_id=2&pageinate=true&page_size=50');
		const expected = sandbox.state.store.assets.all().filter((asset) => asset.client_id === 2 && !asset.inactive);
		expect(page.json.record_count).toBe(expected.length);
		expect(page.json.assets.map((asset: { id: number }) => asset.id)).toEqual(expected.slice(0, 50).map((asset) => asset.id));
		const contractId = expected.find((asset) => asset.contract_ids.length > 0)!.contract_ids[0];
		const onContractIds = sandbox.state.store.assets
			.all()
			.filter((asset) => asset.contract_ids.includes(contractId))
			.map((asset) => asset.id);
		expect(onContractIds.length).toBeGreaterThan(0);
		const onContract = await api(sandbox, token, 'GET', `/Asset?contract_id=${contractId}&includeinactive=true`);
		expect(onContract.json.assets.map((asset: { id: number }) => asset.id)).toEqual(onContractIds);
		for (const asset of onContract.json.assets) expect(asset.contracts.map((c: { id: number }) => c.id)).toContain(contractId);
		const counted = await api(sandbox, token, 'GET', '/Tickets?count=7');
		expect(counted.json.tickets).toHaveLength(7);
		expect(counted.json.record_count).toBe(300);
	});

	it('routes paths case-insensitively', async () => {
		for (const path of ['/Tickets/1', '/tickets/1', '/TICKETS/1/']) {
			expect((await api(sandbox, token, 'GET', path)).json.id).toBe(1);
		}
		expect((await api(sandbox, token, 'GET', '/clientcontract?count=1')).status).toBe(200);
	});

	it('answers bare arrays or envelopes as Halo does', async () => {
		for (const path of ['/Agent', '/Status', '/TicketType', '/Priority', '/Outcome', '/Team', '/Webhook', '/Item']) {
			expect(Array.isArray((await api(sandbox, token, 'GET', path)).json)).toBe(true);
		}
		const pagedItems = await api(sandbox, token, 'GET', '/Item?pageinate=true&page_size=5');
		expect(pagedItems.json.items).toHaveLength(5);
		const envelopes: Array<[string, string]> = [
			['/Tickets', 'tickets'],
			['/Client', 'clients'],
			['/Site', 'sites'],
			['/Users', 'users'],
			['/ClientContract', 'contracts'],
			['/RecurringInvoice', 'invoices'],
			['/Asset?count=3', 'assets'],
			['/Actions?ticket_id=1', 'actions'],
		];
		for (const [path, key] of envelopes) {
			const answer = await api(sandbox, token, 'GET', path);
			expect(Array.isArray(answer.json[key])).toBe(true);
			expect(typeof answer.json.record_count).toBe('number');
		}
	});

	it('writes some ids as doubles in the raw JSON', async () => {
		const assets = await api(sandbox, token, 'GET', '/Asset?count=20');
		expect(assets.text).toMatch(/"contract_id":\d+\.0[,}]/);
		const contracts = await api(sandbox, token, 'GET', '/ClientContract?count=2');
		expect(contracts.text).toMatch(/"client_id":\d+\.0[,}]/);
		expect(Number.isInteger(contracts.json.contracts[0].client_id)).toBe(true);
	});

	it('creates and updates through array POSTs: one object back for one element, an array for several', async () => {
		const one = await api(sandbox, token, 'POST', '/Tickets', [{ summary: 'Single', client_id: 1 }]);
		expect(one.status).toBe(201);
		expect(Array.isArray(one.json)).toBe(false);
		const two = await api(sandbox, token, 'POST', '/Tickets', [
			{ id: one.json.id, summary: 'Single (renamed)' },
			{ summary: 'Second', client_id: 2 },
		]);
		expect(two.status).toBe(200);
		expect(two.json.map((ticket: { summary: string }) => ticket.summary)).toEqual(['Single (renamed)', 'Second']);
		const deleted = await api(sandbox, token, 'DELETE', `/Tickets/${one.json.id}`);
		expect(deleted.json).toMatchObject({ id: one.json.id, summary: 'Single (renamed)' });
		expect((await api(sandbox, token, 'GET', `/Tickets/${one.json.id}`)).status).toBe(404);
	});

	it('lists recurring invoice lines with item codes, dates and assets', async () => {
		const invoices = await api(sandbox, token, 'GET', '/RecurringInvoice?includelines=true&pageinate=true&page_size=100');
		const lines = invoices.json.invoices.flatMap((invoice: { lines: unknown[] }) => invoice.lines);
		expect(lines.length).toBeGreaterThan(0);
		expect(lines[0]).toEqual(
			expect.objectContaining({ ihid: expect.any(Number), _itemid: expect.any(Number), item_code: expect.any(String), isinactive: expect.any(Boolean) }),
		);
		expect(lines.some((line: { asset_id: number }) => line.asset_id > 0)).toBe(true);
		const bare = await api(sandbox, token, 'GET', '/RecurringInvoice?count=1');
		expect(bare.json.invoices[0].lines).toBeUndefined();
	});

	it('answers bad input with 400/404 and a message, and keeps serving', async () => {
		const malformed = await api(sandbox, token, 'POST', '/Tickets', '[{"summary": ');
		expect(malformed.status).toBe(400);
		expect(malformed.json.errors.$[0]).toMatch(/not valid JSON/);
		const wrongType = await api(sandbox, token, 'POST', '/Actions', [{ ticket_id: 'abc', outcome: 'Note' }]);
		expect(wrongType.status).toBe(400);
		expect(wrongType.json).toMatchObject({ title: 'One or more validation errors occurred.', status: 400 });
		expect(wrongType.json.errors['$[0].ticket_id']).toEqual([
			'The JSON value could not be converted to System.Int32. Path: $[0].ticket_id | LineNumber: 0 | BytePositionInLine: 19.',
		]);
		const notArray = await api(sandbox, token, 'POST', '/Tickets', { summary: 'object body' });
		expect(notArray.status).toBe(400);
		expect((await api(sandbox, token, 'GET', '/Tickets/424242')).status).toBe(404);
		expect((await api(sandbox, token, 'GET', '/Tickets/abc')).status).toBe(400);
		expect((await api(sandbox, token, 'POST', '/Tickets', [{ id: 424242, summary: 'x' }])).status).toBe(404);
		expect((await api(sandbox, token, 'POST', '/Tickets', [{ summary: 'x', client_id: 999999 }])).status).toBe(400);
		expect((await api(sandbox, token, 'GET', '/Tickets?client_id=abc')).status).toBe(400);
		expect((await api(sandbox, token, 'GET', '/Nothing/Here')).status).toBe(404);
		expect((await send(`${sandbox.baseUrl}/_sandbox/dataset`, { method: 'POST', body: 'nope' })).status).toBe(400);
		expect((await api(sandbox, token, 'GET', '/Agent/me')).status).toBe(200);
	});

	it('counts requests per route without ids', async () => {
		await control(sandbox, 'POST', '/reset');
		await api(sandbox, token, 'GET', '/Tickets/1');
		await api(sandbox, token, 'GET', '/tickets/2');
		const stats = (await control(sandbox, 'GET', '/stats')).json;
		expect(stats.requestsByRoute).toEqual({ 'GET /api/tickets/:id': 2 });
		expect(stats.requests).toBe(2);
		const log = (await control(sandbox, 'GET', '/requests')).json;
		expect(log.map((entry: { path: string; status: number }) => [entry.path, entry.status])).toEqual([
			['/api/Tickets/1', 200],
			['/api/tickets/2', 200],
		]);
	});
});
