/**
 * Which machines a recurring-invoice line covers: a line with asset_id > 0 bills that one machine,
 * a line with asset_id 0 bills its client.
 */
import { normalizeSnapshot, planDeployments } from '../../engine';
import { invoice, line, tenant, TODAY } from './fixtures';

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

const targeted = async (raw: Row, policy: unknown) => {
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
