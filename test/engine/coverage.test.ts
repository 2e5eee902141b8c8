import { calendarDate, computeCoverage, normalizeSnapshot, planDeployments, readHaloDay } from '../../engine';
import { byContractType, byItem, contract, invoice, line, tenant, TODAY, TOMORROW, YESTERDAY } from './fixtures';

const coverageOn = (raw: ReturnType<typeof tenant>, date = TODAY, timeZone?: string) =>
	computeCoverage(normalizeSnapshot(raw), { date, timeZone });

const clientTypes = (raw: ReturnType<typeof tenant>, date = TODAY, timeZone?: string) =>
	coverageOn(raw, date, timeZone).clientCoverage(1).keys.contractTypeNames;

const clientItems = (raw: ReturnType<typeof tenant>, date = TODAY) => coverageOn(raw, date).clientCoverage(1).keys.itemIds;

async function targetedAssets(raw: ReturnType<typeof tenant>, policy: unknown, date = TODAY, timeZone?: string) {
	const plan = await planDeployments(normalizeSnapshot(raw), [policy], { date, timeZone });
	return [...plan.decisions()].filter((decision) => decision.targeted).map((decision) => decision.assetId);
}

describe('contract in force', () => {
	it('counts a contract that starts today', () => {
		expect(clientTypes(tenant({ contracts: [contract({ start_date: `${TODAY}T00:00:00` })] }))).toEqual(['managed security']);
	});

	it('counts a contract that ends today and not one that ended yesterday', () => {
		expect(clientTypes(tenant({ contracts: [contract({ end_date: `${TODAY}T00:00:00` })] }))).toEqual(['managed security']);
		expect(clientTypes(tenant({ contracts: [contract({ end_date: `${YESTERDAY}T00:00:00` })] }))).toEqual([]);
	});

	it('does not count a contract that starts tomorrow', () => {
		expect(clientTypes(tenant({ contracts: [contract({ start_date: `${TOMORROW}T00:00:00` })] }))).toEqual([]);
	});

	it('does not count a contract flagged expired or inactive, whatever its dates', () => {
		expect(clientTypes(tenant({ contracts: [contract({ expired: true })] }))).toEqual([]);
		expect(clientTypes(tenant({ contracts: [contract({ active: false })] }))).toEqual([]);
	});

	it('treats missing dates and Halo placeholder dates (1900-01-01) as open ends', () => {
		const open = contract({ start_date: '1900-01-01T00:00:00', end_date: undefined });
		expect(clientTypes(tenant({ contracts: [open] }))).toEqual(['managed security']);
	});

	it('reads Halo\'s "yyyy-MM-dd HH:mm:ss" dates: a contract that ended in 2024 is not in force in 2025', () => {
		const ended = contract({ start_date: '2020-01-01 00:00:00', end_date: '2024-01-01 00:00:00' });
		const facts = coverageOn(tenant({ contracts: [ended] }));
		expect(facts.contractInForce(1)).toBe(false);
		expect(facts.warnings).toEqual([]);
		expect(clientTypes(tenant({ contracts: [contract({ end_date: `${TODAY} 00:00:00` })] }))).toEqual(['managed security']);
		expect(clientTypes(tenant({ contracts: [contract({ end_date: `${YESTERDAY} 23:59:59` })] }))).toEqual([]);
	});

	it('counts a contract with a date it cannot read as not in force, and says which date in a warning', async () => {
		const unreadable = tenant({ contracts: [contract({ end_date: '31/12/2099' }), contract({ id: 2, ref: 'MS-2', start_date: 'soon' })] });
		const facts = coverageOn(unreadable);
		expect(facts.contractInForce(1)).toBe(false);
		expect(facts.contractInForce(2)).toBe(false);
		expect(facts.warnings).toEqual([
			'2 date(s) in the snapshot are not dates, so their contracts and recurring lines count as not in force: contract 1 (MS-1) end_date "31/12/2099", contract 2 (MS-2) start_date "soon". Halo dates should read yyyy-MM-dd, yyyy-MM-ddTHH:mm:ss or yyyy-MM-dd HH:mm:ss',
		]);
		const plan = await planDeployments(normalizeSnapshot(unreadable), [byContractType()], { date: TODAY });
		expect(plan.warnings).toEqual(facts.warnings);
		expect(plan.summary()[0].targeted).toBe(0);
	});

	it('reads ids sent as doubles or text', () => {
		const facts = coverageOn(tenant({ contracts: [contract({ id: '5.0', client_id: 1.0, contracttype: '7.0' })] }));
		expect(facts.clientCoverage(1).keys.contractIds).toEqual([5]);
		expect(facts.clientCoverage(1).keys.contractTypes).toEqual(['7', 'managed security']);
	});
});

describe('recurring line in force', () => {
	const withLine = (lineOverrides: Record<string, unknown> = {}, invoiceOverrides: Record<string, unknown> = {}, contracts: Array<Record<string, unknown>> = []) =>
		tenant({ contracts, invoices: [invoice([line(lineOverrides)], invoiceOverrides)] });

	it('counts an active line on an enabled invoice with no dates or contract', () => {
		expect(clientItems(withLine())).toEqual([100]);
	});

	it('does not count a line of a disabled invoice', () => {
		expect(clientItems(withLine({}, { disabled: true }))).toEqual([]);
	});

	it('does not count an inactive line', () => {
		expect(clientItems(withLine({ isinactive: true }))).toEqual([]);
	});

	it('does not count a future line, nor one that ended yesterday; counts one starting today', () => {
		expect(clientItems(withLine({ startdate: `${TOMORROW}T00:00:00` }))).toEqual([]);
		expect(clientItems(withLine({ enddate: `${YESTERDAY}T00:00:00` }))).toEqual([]);
		expect(clientItems(withLine({ startdate: `${TODAY}T00:00:00` }))).toEqual([100]);
	});

	it("follows the invoice's contract: in force, expired, or missing from the snapshot", () => {
		expect(clientItems(withLine({}, { contract_id: 1 }, [contract()]))).toEqual([100]);
		expect(clientItems(withLine({}, { contract_id: 1 }, [contract({ expired: true })]))).toEqual([]);
		expect(clientItems(withLine({}, { contract_id: 1 }, [contract({ end_date: `${YESTERDAY}T00:00:00` })]))).toEqual([]);
		const facts = coverageOn(withLine({}, { contract_id: 99 }));
		expect(facts.clientCoverage(1).keys.itemIds).toEqual([]);
		expect(facts.warnings.join(' ')).toMatch(/99/);
	});

	it('does not count a line with a date it cannot read, and warns about it', () => {
		const facts = coverageOn(withLine({ enddate: '2099/31/12' }));
		expect(facts.clientCoverage(1).keys.itemIds).toEqual([]);
		expect(facts.warnings.join(' ')).toContain('recurring invoice 500 line 900 enddate "2099/31/12"');
	});

	it('keeps lines without an id apart: each asset gets its own line, with no made-up id', () => {
		const raw = tenant({
			invoices: [invoice([line({ id: 2, asset_id: 10 }), line({ id: undefined, _itemid: 101, item_code: 'HUNTRESS', item_shortdescription: 'Huntress EDR', asset_id: 11 })])],
		});
		const snapshot = normalizeSnapshot(raw);
		const facts = computeCoverage(snapshot, { date: TODAY });
		const [pc, server] = snapshot.assets;
		expect(facts.assetCoverage(pc).keys.itemCodes).toEqual(['s1-complete']);
		expect(facts.assetCoverage(server).keys.itemCodes).toEqual(['huntress']);
		expect(snapshot.recurringInvoices[0].lines.map((entry) => entry.id)).toEqual([2, null]);
	});

	it('matches items by id, code (internal reference) or name, any case', () => {
		const keys = coverageOn(withLine()).clientCoverage(1).keys;
		expect(keys.items).toEqual(expect.arrayContaining(['100', 's1-complete', 'sentinelone complete']));
	});
});

describe('client-level and asset-level coverage', () => {
	it('gives client-wide coverage to every asset of the client and none to other clients', async () => {
		const raw = tenant({ contracts: [contract()] });
		expect(await targetedAssets(raw, byContractType())).toEqual([10, 11]);
	});

	it('asset-level coverage: only assets linked to the contract (asset.contract_id or contract.assets[])', async () => {
		const assets = tenant().assets as Array<Record<string, unknown>>;
		const linkedByAsset = tenant({ contracts: [contract()], assets: assets.map((asset) => (asset.id === 11 ? { ...asset, contract_id: 1 } : asset)) });
		expect(await targetedAssets(linkedByAsset, byContractType('SentinelOne', 'asset'))).toEqual([11]);
		const linkedByContract = tenant({ contracts: [contract({ assets: [{ id: 10 }] })] });
		expect(await targetedAssets(linkedByContract, byContractType('SentinelOne', 'asset'))).toEqual([10]);
	});

	it('asset-level coverage: in-force lines whose asset_id is the asset; such a line is no client coverage', async () => {
		const raw = tenant({ invoices: [invoice([line({ asset_id: 20 })], { client_id: 2 })] });
		expect(await targetedAssets(raw, byItem('SentinelOne', 'asset'))).toEqual([20]);
		expect(await targetedAssets(raw, byItem('SentinelOne', 'client'))).toEqual([]);
	});

	it('asset-linked contract that is no longer in force grants nothing', async () => {
		const raw = tenant({ contracts: [contract({ end_date: `${YESTERDAY}T00:00:00`, assets: [10] })] });
		expect(await targetedAssets(raw, byContractType('SentinelOne', 'asset'))).toEqual([]);
	});
});

describe('time zones', () => {
	// 23:30 UTC on 31 March is already 1 April in Berlin, so a contract ending 31 March has ended there.
	const endsMarch31 = tenant({ contracts: [contract({ start_date: '2025-01-01', end_date: '2025-03-31T00:00:00' })] });

	it('reads the plan instant in the chosen zone (default UTC)', async () => {
		expect(await targetedAssets(endsMarch31, byContractType(), '2025-03-31T23:30:00Z')).toEqual([10, 11]);
		expect(await targetedAssets(endsMarch31, byContractType(), '2025-03-31T23:30:00Z', 'Europe/Berlin')).toEqual([]);
	});

	it('tells no date, a day and unreadable text apart', () => {
		expect(readHaloDay('', 'UTC')).toEqual({ kind: 'none' });
		expect(readHaloDay(null, 'UTC')).toEqual({ kind: 'none' });
		expect(readHaloDay('1900-01-01T00:00:00', 'UTC')).toEqual({ kind: 'none' });
		expect(readHaloDay('0001-01-01 00:00:00', 'UTC')).toEqual({ kind: 'none' });
		expect(readHaloDay('2024-12-31 23:30:00', 'UTC')).toEqual({ kind: 'day', day: '2024-12-31' });
		expect(readHaloDay('2024-12-31 23:30:00Z', 'Europe/Berlin')).toEqual({ kind: 'day', day: '2025-01-01' });
		expect(readHaloDay('31/12/2024', 'UTC')).toEqual({ kind: 'unreadable', text: '31/12/2024' });
		expect(readHaloDay('2024-02-30', 'UTC')).toEqual({ kind: 'unreadable', text: '2024-02-30' });
	});

	it('reads timestamps with an offset in the chosen zone, and wall-clock dates as written', () => {
		expect(calendarDate('2025-03-31T23:30:00Z', 'UTC')).toBe('2025-03-31');
		expect(calendarDate('2025-03-31T23:30:00Z', 'Europe/Berlin')).toBe('2025-04-01');
		expect(calendarDate('2025-03-31T23:30:00', 'Europe/Berlin')).toBe('2025-03-31');
		expect(calendarDate('1900-01-01T00:00:00', 'UTC')).toBeNull();
	});

	it('rejects an unknown time zone with a readable message', () => {
		expect(() => coverageOn(tenant(), TODAY, 'Mars/Olympus')).toThrow(/time zone "Mars\/Olympus" is not known/);
	});
});
