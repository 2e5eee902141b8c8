/**
 * Which machines a recurring-invoice line covers: a line with asset_id > 0 bills that one machine,
 * a line with asset_id 0 bills its client.
 */
import type { RawSnapshot } from '../../engine';
import { checkPolicies, compileFormPolicy, normalizeSnapshot, planDeployments } from '../../engine';
import { byItem, contract, invoice, line, tenant, TODAY, YESTERDAY } from './fixtures';

type Row = Record<string, unknown>;

/** Client 1 with nine workstations (ids 10..18), client 2 with one (20). */
const nineMachines = (): Row[] => [
	...Array.from({ length: 9 }, (_, index) => ({
		id: 10 + index,
		inventory_number: `ACME-PC${index + 1}`,
		client_id: 1,
		client_name: 'Acme Ltd',
		assettype_id: 1,
		assettype_name: 'Workstation',
	})),
	{ id: 20, inventory_number: 'GLOBEX-PC', client_id: 2, client_name: 'Globex', assettype_id: 1, assettype_name: 'Workstation' },
];

const itemAt = (scope: string) => ({ fact: 'coverage', path: `$.${scope}.items`, operator: 'containsAny', value: ['S1-COMPLETE'] });
/** "SentinelOne wherever it is billed": the client's lines or the machine's own. */
const wherever = { id: 's1', software: 'SentinelOne', effect: 'deploy', conditions: { any: [itemAt('client'), itemAt('asset')] } };

const targeted = async (raw: RawSnapshot, policy: unknown) => {
	const plan = await planDeployments(normalizeSnapshot(raw), [policy], { date: TODAY });
	return { ids: [...plan.decisions()].filter((decision) => decision.targeted).map((decision) => decision.assetId), plan };
};

describe('a line billed to one asset', () => {
	const oneMachine = tenant({ assets: nineMachines(), invoices: [invoice([line({ asset_id: 13, qty_order: 1 })])] });

	it('covers that machine only: one of nine targeted, and the licence count is balanced', async () => {
		const { ids, plan } = await targeted(oneMachine, wherever);
		expect(ids).toEqual([13]);
		expect(plan.reconciliation().map((row) => [row.clientId, row.targetedAssets, row.billedQuantity, row.status])).toEqual([[1, 1, 1, 'matched']]);
	});

	it('is asset coverage, never client coverage', async () => {
		expect((await targeted(oneMachine, { ...wherever, conditions: { all: [itemAt('client')] } })).ids).toEqual([]);
		expect((await targeted(oneMachine, { ...wherever, conditions: { all: [itemAt('asset')] } })).ids).toEqual([13]);
	});

	it('naming an inactive machine covers nothing, not even with inactive assets planned, and no other machine', async () => {
		const assets = nineMachines().map((asset) => (asset.id === 13 ? { ...asset, inactive: true } : asset));
		const retired = tenant({ assets, invoices: [invoice([line({ asset_id: 13, qty_order: 1 })])] });
		const plan = await planDeployments(normalizeSnapshot(retired), [wherever], { date: TODAY, includeInactiveAssets: true });
		expect(plan.assetCount).toBe(10);
		expect(plan.summary()[0].targeted).toBe(0);
		// the licence is still billed: for no machine
		expect(plan.reconciliation().map((row) => [row.clientId, row.targetedAssets, row.billedQuantity, row.status])).toEqual([[1, 0, 1, 'over-billed']]);
	});

	it('naming a machine missing from the snapshot covers nothing either', async () => {
		const gone = tenant({ assets: nineMachines(), invoices: [invoice([line({ asset_id: 99, qty_order: 1 })])] });
		expect((await targeted(gone, wherever)).ids).toEqual([]);
	});
});

describe('contract-linked coverage: machines on a contract whose recurring invoice carries the item', () => {
	const onContract = (ids: number[], contractId = 1) =>
		nineMachines().map((asset) => (ids.includes(asset.id as number) ? { ...asset, contract_id: contractId } : asset));
	/** Contract 1 (in force) holds machines 10, 11 and 12 of nine; its invoice bills S1 for the client, three of them. */
	const threeOnContract = (overrides: { lines?: Row[]; invoice?: Row; contracts?: Row[]; assets?: Row[] } = {}) =>
		tenant({
			assets: overrides.assets ?? onContract([10, 11, 12]),
			contracts: overrides.contracts ?? [contract()],
			invoices: [invoice(overrides.lines ?? [line({ qty_order: 3 })], { contract_id: 1, ...overrides.invoice })],
		});

	it('targets the machines on the contract, not the client\'s others; client-wide targets them all', async () => {
		expect((await targeted(threeOnContract(), byItem('SentinelOne', 'contract'))).ids).toEqual([10, 11, 12]);
		expect((await targeted(threeOnContract(), byItem('SentinelOne', 'client'))).ids).toEqual([10, 11, 12, 13, 14, 15, 16, 17, 18]);
		// the contract's machines are asset-linked to the contract, but the item is not on them
		expect((await targeted(threeOnContract(), byItem('SentinelOne', 'asset'))).ids).toEqual([]);
	});

	it('reads the asset\'s contract_id, its contracts[] and the contract\'s assets[], as records or link rows', async () => {
		const links: Record<number, Row> = { 14: { contracts: [{ id: 1, ref: 'MS-1' }] }, 16: { contracts: [{ id: 40, contract_id: 1 }] } };
		const viaList = nineMachines().map((asset) => ({ ...asset, ...links[asset.id as number] }));
		const raw = threeOnContract({ assets: viaList, contracts: [contract({ assets: [{ id: 15 }, { id: 41, asset_id: 17 }] })] });
		expect((await targeted(raw, byItem('SentinelOne', 'contract'))).ids).toEqual([14, 15, 16, 17]);
	});

	it('grants nothing from a contract that is not in force, a line with an asset, a line without a contract, or another client\'s invoice', async () => {
		const ended = threeOnContract({ contracts: [contract({ end_date: `${YESTERDAY}T00:00:00` })] });
		expect((await targeted(ended, byItem('SentinelOne', 'contract'))).ids).toEqual([]);
		const perAsset = threeOnContract({ lines: [line({ asset_id: 11, qty_order: 1 })] });
		expect((await targeted(perAsset, byItem('SentinelOne', 'contract'))).ids).toEqual([]);
		const noContract = threeOnContract({ invoice: { contract_id: 0 } });
		expect((await targeted(noContract, byItem('SentinelOne', 'contract'))).ids).toEqual([]);
		const othersInvoice = threeOnContract({ invoice: { client_id: 2 } });
		expect((await targeted(othersInvoice, byItem('SentinelOne', 'contract'))).ids).toEqual([]);
	});

	it('needs the machine on every contract the line names: its invoice\'s and its own', async () => {
		const assets = onContract([10, 11, 12]).map((asset) => (asset.id === 11 ? { ...asset, contracts: [{ id: 1 }, { id: 2 }] } : asset));
		const raw = threeOnContract({ assets, contracts: [contract(), contract({ id: 2, ref: 'MS-2' })], lines: [line({ contract_id: 2, qty_order: 1 })] });
		expect((await targeted(raw, byItem('SentinelOne', 'contract'))).ids).toEqual([11]);
	});

	it('names the contract and the line in the reasons', async () => {
		const { plan } = await targeted(threeOnContract(), byItem('SentinelOne', 'contract'));
		expect(plan.decision(10, 'SentinelOne')?.reasons).toEqual([
			{
				policyId: 'SentinelOne-by-item',
				effect: 'deploy',
				note: 'covered: the deploy conditions match',
				matched: [
					{
						type: 'recurringLine',
						scope: 'contract',
						contractId: 1,
						contractRef: 'MS-1',
						invoiceId: 500,
						lineId: 900,
						itemId: 100,
						itemCode: 'S1-COMPLETE',
						itemName: 'SentinelOne Complete',
						quantity: 3,
					},
				],
			},
		]);
	});

	it('offers the item lists only: contract types of the asset\'s contracts are coverage.asset', () => {
		const leaf = (path: string) => ({ id: 'p', software: 'S', effect: 'deploy', conditions: { all: [{ fact: 'coverage', path, operator: 'containsAny', value: ['x'] }] } });
		for (const field of ['items', 'itemIds', 'itemCodes', 'itemNames']) expect(checkPolicies(leaf(`$.contract.${field}`)).errors).toEqual([]);
		expect(checkPolicies(leaf('$.contract.contractTypes')).errors).toEqual([
			expect.objectContaining({ path: '$.conditions.all[0].path', message: expect.stringMatching(/^unknown path "\$\.contract\.contractTypes" for fact coverage/) }),
		]);
	});

	it('the form: Contract-Linked compiles to coverage.contract.items, and is refused for contract types with what to choose instead', () => {
		expect(compileFormPolicy({ software: 'SentinelOne', coverageKind: 'recurringItem', items: ['S1-COMPLETE'], coverageScope: 'contract' }).conditions).toEqual({
			all: [{ fact: 'coverage', path: '$.contract.items', operator: 'containsAny', value: ['S1-COMPLETE'] }],
		});
		expect(() => compileFormPolicy({ software: 'SentinelOne', coverageKind: 'contractType', contractTypes: ['Managed Security'], coverageScope: 'contract' })).toThrow(
			/\$\.coverageScope: expected Client-Wide or Asset-Linked Only for contract types, got Contract-Linked: .*choose Asset-Linked Only/,
		);
	});
});

describe('licence reconciliation per pool: client, contract, asset', () => {
	const rowsOf = async (raw: RawSnapshot, policies: unknown[]) =>
		(await planDeployments(normalizeSnapshot(raw), policies, { date: TODAY }))
			.reconciliation()
			.map((row) => [row.clientId, row.scope, row.contractId ?? row.assetId, row.targetedAssets, row.billedQuantity, row.status]);
	const excludeMachine = (assetId: number) => ({
		id: `not-${assetId}`,
		software: 'SentinelOne',
		effect: 'exclude',
		conditions: { all: [{ fact: 'asset', path: '$.id', operator: 'equal', value: assetId }] },
	});

	it("counts a per-asset line against that asset: the client's block cannot hide it", async () => {
		// 13 is billed on its own line but excluded; the client block pays for 7 of the 8 other machines
		const raw = tenant({ assets: nineMachines(), invoices: [invoice([line({ qty_order: 7 }), line({ id: 901, asset_id: 13, qty_order: 1 })])] });
		expect(await rowsOf(raw, [wherever, excludeMachine(13)])).toEqual([
			[1, 'client', null, 8, 7, 'under-billed'],
			[1, 'asset', 13, 0, 1, 'over-billed'],
		]);
		const named = (await planDeployments(normalizeSnapshot(raw), [wherever], { date: TODAY })).reconciliation()[1];
		expect(named).toEqual(expect.objectContaining({ scope: 'asset', assetId: 13, assetName: 'ACME-PC4', contractId: null, lines: [expect.objectContaining({ lineId: 901, quantity: 1 })] }));
	});

	it("counts a contract's machines against its line, and the client's other targeted machines apart", async () => {
		const raw = tenant({
			assets: nineMachines().map((asset) => ([10, 11, 12].includes(asset.id as number) ? { ...asset, contract_id: 1 } : asset)),
			contracts: [contract()],
			invoices: [invoice([line({ qty_order: 3 })], { contract_id: 1 })],
		});
		expect(await rowsOf(raw, [byItem('SentinelOne', 'contract')])).toEqual([[1, 'contract', 1, 3, 3, 'matched']]);
		expect(await rowsOf(raw, [byItem('SentinelOne', 'client')])).toEqual([
			[1, 'client', null, 6, 0, 'under-billed'],
			[1, 'contract', 1, 3, 3, 'matched'],
		]);
		const [row] = (await planDeployments(normalizeSnapshot(raw), [byItem('SentinelOne', 'contract')], { date: TODAY })).reconciliation();
		expect(row).toEqual(expect.objectContaining({ contractRef: 'MS-1', assetId: null, assetName: '', lines: [expect.objectContaining({ invoiceId: 500, lineId: 900 })] }));
	});

	it('counts a machine once: its own line first, then the lowest of its contracts', async () => {
		const assets = nineMachines().map((asset) => {
			if (asset.id === 10) return { ...asset, contracts: [{ id: 1 }, { id: 2 }] };
			if (asset.id === 11) return { ...asset, contracts: [{ id: 2 }] };
			if (asset.id === 12) return { ...asset, contracts: [{ id: 1 }] };
			return asset;
		});
		const raw = tenant({
			assets,
			contracts: [contract(), contract({ id: 2, ref: 'MS-2' })],
			invoices: [
				invoice([line({ qty_order: 1 }), line({ id: 901, asset_id: 12, qty_order: 1 })], { contract_id: 1 }),
				invoice([line({ id: 902, ihid: 501, qty_order: 2 })], { id: 501, contract_id: 2 }),
			],
		});
		expect(await rowsOf(raw, [byItem('SentinelOne', 'contract'), byItem('SentinelOne', 'asset')].map((policy, index) => ({ ...policy, id: `p${index}` })))).toEqual([
			[1, 'contract', 1, 1, 1, 'matched'],
			[1, 'contract', 2, 1, 2, 'over-billed'],
			[1, 'asset', 12, 1, 1, 'matched'],
		]);
	});
});
