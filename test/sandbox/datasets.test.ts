import { startHaloSandbox, type HaloSandbox } from '../../sandbox';
import { api, control, tokenFor } from './http';

const referenceTime = Date.UTC(2025, 5, 15);

describe('sandbox demo dataset', () => {
	let sandbox: HaloSandbox;
	let token: string;

	beforeAll(async () => {
		sandbox = await startHaloSandbox({ referenceTime });
		token = await tokenFor(sandbox);
	});
	afterAll(() => sandbox.stop());

	it('has SentinelOne and Huntress recurring items and an inactive legacy item', async () => {
		const items = (await api(sandbox, token, 'GET', '/Item?recurringonly=true&includeinactive=true')).json;
		const codes = items.map((item: { internalreference: string }) => item.internalreference);
		expect(codes).toEqual(expect.arrayContaining(['S1-CORE', 'HUNTRESS-EDR', 'AV-LEGACY']));
		expect(codes).not.toContain('LAB-HOUR');
		const activeOnly = (await api(sandbox, token, 'GET', '/Item?recurringonly=true')).json;
		expect(activeOnly.map((item: { internalreference: string }) => item.internalreference)).not.toContain('AV-LEGACY');
	});

	it('has active, expired, renewed, future-dated and inactive contracts of several types', async () => {
		const all = (await api(sandbox, token, 'GET', '/ClientContract?includeinactive=true')).json.contracts;
		const now = referenceTime;
		expect(new Set(all.map((contract: { contracttype_name: string }) => contract.contracttype_name))).toEqual(
			new Set(['Managed Security', 'Managed Services', 'Break Fix']),
		);
		expect(all.some((contract: { expired: boolean }) => contract.expired)).toBe(true);
		expect(all.some((contract: { start_date: string }) => Date.parse(`${contract.start_date}Z`) > now)).toBe(true);
		expect(all.some((contract: { active: boolean }) => !contract.active)).toBe(true);
		const defaultList = (await api(sandbox, token, 'GET', '/ClientContract')).json.contracts;
		expect(defaultList.length).toBe(all.length - 1);
		const withoutRenewed = (await api(sandbox, token, 'GET', '/ClientContract?excluderenewed=true')).json.contracts;
		expect(withoutRenewed.length).toBe(defaultList.length - 1);
		const details = (await api(sandbox, token, 'GET', '/ClientContract/1?includedetails=true')).json;
		expect(details.assets.length).toBeGreaterThan(0);
		const onDevice = (await api(sandbox, token, 'GET', `/ClientContract?device_id=${details.assets[0].id}`)).json.contracts;
		expect(onDevice.map((contract: { id: number }) => contract.id)).toContain(1);
	});

	it('has recurring invoices with asset lines, inactive and dated lines, and a disabled invoice', async () => {
		const invoices = (await api(sandbox, token, 'GET', '/RecurringInvoice?includelines=true')).json.invoices;
		const lines = invoices.flatMap((invoice: { lines: unknown[] }) => invoice.lines);
		expect(invoices.some((invoice: { disabled: boolean }) => invoice.disabled)).toBe(true);
		expect(lines.some((line: { isinactive: boolean }) => line.isinactive)).toBe(true);
		expect(lines.some((line: { asset_id: number; item_code: string }) => line.asset_id > 0 && line.item_code === 'S1-CORE')).toBe(true);
		expect(lines.some((line: { enddate: string | null }) => line.enddate !== null)).toBe(true);
		const forContract = (await api(sandbox, token, 'GET', '/RecurringInvoice?contract_id=4&includelines=true')).json.invoices;
		expect(forContract).toHaveLength(1);
		expect(forContract[0]).toMatchObject({ client_name: 'Harbor Legal LLP', contract_ref: 'HBL-MSEC-2025' });
	});

	it('bills SentinelOne on Northwind\'s Managed Security contract for the machines on it, some but not all of Northwind\'s', async () => {
		type Row = Record<string, any>;
		const [invoice] = (await api(sandbox, token, 'GET', '/RecurringInvoice?contract_id=1&includelines=true')).json.invoices as Row[];
		expect(invoice).toMatchObject({ client_id: 1, contract_id: 1, contract_ref: 'NWD-MSEC-2025', disabled: false });
		const s1 = (invoice.lines as Row[]).filter((line) => line.item_code === 'S1-CORE' && line.asset_id === 0);
		const onContract = (await api(sandbox, token, 'GET', '/Asset?contract_id=1')).json.assets as Row[];
		expect(s1).toEqual([expect.objectContaining({ qty_order: onContract.length, contract_id: 1, isinactive: false, enddate: null })]);
		for (const asset of onContract) expect(asset.contracts.map((contract: Row) => contract.id)).toContain(1);
		const northwind = (await api(sandbox, token, 'GET', '/Asset?client_id=1')).json.assets as Row[];
		const offContract = northwind.filter((asset) => !onContract.some((on) => on.id === asset.id));
		expect(offContract.map((asset) => [asset.key_field, asset.assettype_name, asset.contract_id])).toEqual([
			['NWD-YRK-RECEPTION', 'Workstation', 2],
			['NWD-FW01', 'Firewall', 2],
		]);
		// York's PC pays SentinelOne on a line of its own; the retired X-ray PC (inactive) still has one too
		const lines = (await api(sandbox, token, 'GET', '/RecurringInvoice?client_id=1&includelines=true')).json.invoices.flatMap((row: Row) => row.lines) as Row[];
		const perAsset = lines.filter((line) => line.item_code === 'S1-CORE' && line.asset_id > 0).map((line) => line.asset_id);
		const withInactive = (await api(sandbox, token, 'GET', '/Asset?client_id=1&includeinactive=true')).json.assets as Row[];
		expect(perAsset.map((assetId) => withInactive.find((asset) => asset.id === assetId)!).map((asset) => [asset.key_field, asset.inactive])).toEqual([
			['NWD-OLD-XRAY', true],
			['NWD-YRK-RECEPTION', false],
		]);
	});

	it('has assets of several types with installed software', async () => {
		const assets = (await api(sandbox, token, 'GET', '/Asset?includeinactive=true')).json.assets;
		expect(new Set(assets.map((asset: { assettype_name: string }) => asset.assettype_name))).toEqual(
			new Set(['Workstation', 'Server', 'Laptop', 'Firewall', 'Switch']),
		);
		const software = (await api(sandbox, token, 'GET', '/AssetSoftware?device_id=2')).json;
		expect(software.map((row: { name: string }) => row.name)).toContain('SentinelOne Agent');
		expect((await api(sandbox, token, 'GET', '/AssetSoftware?device_id=99999')).status).toBe(404);
	});

	it('keeps what sample workflows post to a sink', async () => {
		await control(sandbox, 'POST', '/sink/chat', { text: 'hello' });
		const received = (await control(sandbox, 'GET', '/sink/chat')).json;
		expect(received).toEqual([expect.objectContaining({ method: 'POST', body: { text: 'hello' } })]);
	});
});

describe('sandbox generator', () => {
	it('produces the same data for the same seed and day, and other data for another seed', async () => {
		const options = { seed: 11, clients: 20, assets: 500, tickets: 50 };
		const first = await startHaloSandbox({ dataset: options, referenceTime });
		const second = await startHaloSandbox({ dataset: options, referenceTime });
		const third = await startHaloSandbox({ dataset: { ...options, seed: 12 }, referenceTime });
		try {
			const read = async (sandbox: HaloSandbox, path: string) => (await api(sandbox, await tokenFor(sandbox), 'GET', path)).text;
			for (const path of ['/Asset?includeinactive=true', '/ClientContract?includeinactive=true', '/RecurringInvoice?includelines=true', '/Tickets', '/Users']) {
				expect(await read(second, path)).toBe(await read(first, path));
			}
			expect(await read(third, '/Asset?includeinactive=true')).not.toBe(await read(first, '/Asset?includeinactive=true'));
			expect(first.state.store.assets.size).toBe(500);
			expect(first.state.store.tickets.size).toBe(50);
		} finally {
			await Promise.all([first.stop(), second.stop(), third.stop()]);
		}
	});
});

describe('sandbox generated tickets', () => {
	it('links tickets to assets of their client, so ?asset_id= finds them', async () => {
		const sandbox = await startHaloSandbox({ dataset: { seed: 5, clients: 10, assets: 300, tickets: 200 } });
		try {
			const token = await tokenFor(sandbox);
			const tickets = sandbox.state.store.tickets.all();
			const linked = tickets.filter((ticket) => ticket.asset_ids.length > 0);
			expect(linked.length).toBeGreaterThan(50);
			for (const ticket of linked) {
				for (const assetId of ticket.asset_ids) expect(sandbox.state.store.assets.get(assetId)?.client_id).toBe(ticket.client_id);
			}
			const assetId = linked[0].asset_ids[0];
			const expected = tickets.filter((ticket) => ticket.asset_ids.includes(assetId)).map((ticket) => ticket.id);
			const answer = await api(sandbox, token, 'GET', `/Tickets?asset_id=${assetId}`);
			expect(answer.json.tickets.map((ticket: { id: number }) => ticket.id)).toEqual(expected);
			expect(answer.json.tickets[0].assets).toEqual(expect.arrayContaining([expect.objectContaining({ id: assetId })]));
		} finally {
			await sandbox.stop();
		}
	});
});
