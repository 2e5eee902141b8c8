import type { DeploymentPlan } from '../../engine';
import { normalizeSnapshot, planDeployments } from '../../engine';
import { generateSyntheticPolicies, generateSyntheticSnapshot, planNaive, seededRandom } from '../../engine/testing';
import { byContractType, byItem, contract, invoice, line, tenant, TODAY, YESTERDAY } from './fixtures';
import { randomValidPolicy } from './random';

const plan = (raw: ReturnType<typeof tenant>, policies: unknown[]) => planDeployments(normalizeSnapshot(raw), policies, { date: TODAY });

const excludeServers = {
	id: 'no-servers',
	software: 'sentinelone',
	effect: 'exclude',
	conditions: { all: [{ fact: 'asset', path: '$.typeName', operator: 'equalsIgnoreCase', value: 'server' }] },
};

describe('decisions', () => {
	it('exclude wins over deploy, and both policies are given as reasons', async () => {
		const result = await plan(tenant({ contracts: [contract()] }), [byContractType(), excludeServers]);
		const server = result.decision(11, 'SentinelOne');
		expect(server).toEqual(expect.objectContaining({ targeted: false, action: 'unknown' }));
		expect(server?.reasons.map((reason) => [reason.policyId, reason.effect])).toEqual([
			['SentinelOne-by-contract', 'deploy'],
			['no-servers', 'exclude'],
		]);
		expect(result.decision(10, 'SentinelOne')?.targeted).toBe(true);
	});

	it('carries the contract that matched: id, ref and type', async () => {
		const result = await plan(tenant({ contracts: [contract()] }), [byContractType()]);
		expect(result.decision(10, 'SentinelOne')?.reasons).toEqual([
			{
				policyId: 'SentinelOne-by-contract',
				effect: 'deploy',
				note: 'covered: the deploy conditions match',
				matched: [{ type: 'contract', scope: 'client', contractId: 1, ref: 'MS-1', contractTypeId: 7, contractTypeName: 'Managed Security' }],
			},
		]);
	});

	it('carries the recurring invoice line and item that matched', async () => {
		const result = await plan(tenant({ invoices: [invoice([line({ asset_id: 10 })])] }), [byItem('SentinelOne', 'asset')]);
		expect(result.decision(10, 'SentinelOne')?.reasons[0].matched).toEqual([
			{ type: 'recurringLine', scope: 'asset', invoiceId: 500, lineId: 900, itemId: 100, itemCode: 'S1-COMPLETE', itemName: 'SentinelOne Complete', quantity: 2, contractId: null, contractRef: '' },
		]);
	});

	it('with installed software known: install, compliant, unmanaged and remove', async () => {
		const installed = { 10: [{ name: 'SentinelOne Agent 23.1' }], 11: [], 20: [{ name: 'SentinelOne Agent' }] };
		const covered = tenant({ contracts: [contract()], installed });
		const result = await plan(covered, [byContractType()]);
		expect(result.decision(10, 'SentinelOne')).toEqual(expect.objectContaining({ installed: true, action: 'compliant' }));
		expect(result.decision(11, 'SentinelOne')).toEqual(expect.objectContaining({ installed: false, action: 'install' }));
		expect(result.decision(20, 'SentinelOne')).toEqual(expect.objectContaining({ installed: true, action: 'unmanaged' }));
		expect([...result.changes()].map((change) => [change.assetId, change.action])).toEqual([[11, 'install']]);
	});

	it('removes when coverage ends, only within the policy scope', async () => {
		const installed = { 10: ['SentinelOne'], 11: ['SentinelOne'], 20: ['SentinelOne'] };
		const ended = tenant({ contracts: [contract({ end_date: `${YESTERDAY}T00:00:00` })], installed });
		const policy = { ...byContractType(), removeWhenCoverageEnds: true, assetTypes: ['Workstation'] };
		const result = await plan(ended, [policy]);
		expect([...result.changes()].map((change) => [change.assetId, change.action])).toEqual([
			[10, 'remove'],
			[20, 'remove'],
		]);
		expect(result.decision(11, 'SentinelOne')?.action).toBe('unmanaged');
		expect(result.decision(10, 'SentinelOne')?.reasons[0].note).toMatch(/no longer covered/);
	});

	it('an exclude policy with removeWhenCoverageEnds removes from the assets it excludes', async () => {
		const installed = { 10: ['SentinelOne'], 11: ['SentinelOne'], 20: [] };
		const result = await plan(tenant({ contracts: [contract()], installed }), [byContractType(), { ...excludeServers, removeWhenCoverageEnds: true }]);
		expect([...result.changes()].map((change) => [change.assetId, change.action])).toEqual([[11, 'remove']]);
	});

	it('skips inactive assets unless asked, and tells why an asset is not targeted', async () => {
		const assets = (tenant().assets as Array<Record<string, unknown>>).map((asset) => (asset.id === 20 ? { ...asset, inactive: true } : asset));
		const raw = tenant({ contracts: [contract()], assets });
		expect((await plan(raw, [byContractType()])).assetCount).toBe(2);
		const everything = await planDeployments(normalizeSnapshot(raw), [byContractType()], { date: TODAY, includeInactiveAssets: true });
		expect(everything.assetCount).toBe(3);
		const why = await everything.whyNot(20, 'SentinelOne');
		expect(why?.targeted).toBe(false);
		expect(why?.policies[0].failed).toEqual([
			expect.objectContaining({ condition: 'conditions.all[0]', fact: 'coverage', operator: 'containsAny', actual: [] }),
		]);
		expect(why?.summary[0]).toMatch(/SentinelOne-by-contract does not apply: conditions\.all\[0\]: coverage \$\.client\.contractTypes containsAny/);
	});

	it('a priority on the conditions changes nothing: coverage that ended still plans the removal', async () => {
		const installed = { 10: ['SentinelOne'], 11: [], 20: [] };
		const ended = tenant({ contracts: [contract({ end_date: `${YESTERDAY}T00:00:00` })], installed });
		const policy = byContractType();
		const prioritised = {
			...policy,
			removeWhenCoverageEnds: true,
			assetTypes: ['Workstation'],
			conditions: { ...policy.conditions, priority: 5, all: [{ ...policy.conditions.all[0], priority: 3 }] },
		};
		const result = await plan(ended, [prioritised]);
		expect(result.decision(10, 'SentinelOne')?.action).toBe('remove');
		const why = await result.whyNot(10, 'SentinelOne');
		expect(why?.policies[0]).toEqual(expect.objectContaining({ inScope: true, fired: false }));
		expect(why?.summary[0]).toMatch(/^SentinelOne-by-contract does not apply: conditions\.all\[0\]: coverage/);
		// out of scope and uncovered: whyNot lists both, the filter and the condition
		const server = await result.whyNot(11, 'SentinelOne');
		expect(server?.policies[0].failed.map((failure) => failure.condition)).toEqual(['assetTypes (names)', 'conditions.all[0]']);
	});

	it('names each recurring line that matched, also lines Halo sent without an id', async () => {
		const lines = [line({ id: undefined, qty_order: 1 }), line({ id: undefined, qty_order: 3 })];
		const result = await plan(tenant({ invoices: [invoice(lines)] }), [byItem()]);
		expect(result.decision(10, 'SentinelOne')?.reasons[0].matched.map((source) => [source.type, 'lineId' in source ? source.lineId : 'none', source.type === 'recurringLine' && source.quantity])).toEqual([
			['recurringLine', null, 1],
			['recurringLine', null, 3],
		]);
		expect(result.reconciliation()[0]).toEqual(expect.objectContaining({ clientId: 1, billedQuantity: 4, lines: [expect.objectContaining({ lineId: null, quantity: 1 }), expect.objectContaining({ lineId: null, quantity: 3 })] }));
	});

	it('whyNot names the filter that put an asset out of scope', async () => {
		const result = await plan(tenant({ contracts: [contract()] }), [{ ...byContractType(), assetTypes: ['Workstation'], clients: { exclude: ['Globex'] } }]);
		const server = await result.whyNot(11, 'SentinelOne');
		expect(server?.policies[0]).toEqual(expect.objectContaining({ inScope: false, failed: [expect.objectContaining({ condition: 'assetTypes (names)', actual: 'Server' })] }));
		const globex = await result.whyNot(20, 'SentinelOne');
		expect(globex?.policies[0].failed.map((failure) => [failure.condition, failure.negated])).toEqual(
			expect.arrayContaining([['clients.exclude (names)', true]]),
		);
	});
});

describe('licence reconciliation', () => {
	it('per client: targeted assets against quantity billed on in-force lines of the keyed items', async () => {
		const raw = tenant({
			invoices: [
				invoice([line({ qty_order: 1 }), line({ id: 901, qty_order: 1, isinactive: true })]),
				invoice([line({ id: 902, ihid: 501, qty_order: 5 })], { id: 501, client_id: 2 }),
			],
		});
		const result = await plan(raw, [byItem()]);
		expect(result.reconciliation().map((row) => [row.clientId, row.targetedAssets, row.billedQuantity, row.difference, row.status])).toEqual([
			[1, 2, 1, 1, 'under-billed'],
			[2, 1, 5, -4, 'over-billed'],
		]);
		expect(result.reconciliation()[0].lines).toEqual([{ invoiceId: 500, lineId: 900, itemId: 100, itemName: 'SentinelOne Complete', quantity: 1 }]);
	});

	it('an item under `not` is not the licence: only the items a policy deploys on are reconciled', async () => {
		const raw = tenant({
			invoices: [invoice([line({ qty_order: 10 }), line({ id: 901, _itemid: 101, item_code: 'HUNTRESS', item_shortdescription: 'Huntress EDR', qty_order: 1 })])],
		});
		const notBilledForS1 = { fact: 'coverage', path: '$.client.items', operator: 'containsAny', value: ['S1-COMPLETE'] };
		const defenderWhereNoS1 = { id: 'defender', software: 'Defender', effect: 'deploy', conditions: { all: [{ not: notBilledForS1 }] } };
		const result = await plan(raw, [defenderWhereNoS1]);
		expect(result.decision(20, 'Defender')?.targeted).toBe(true);
		expect(result.reconciliation()).toEqual([]);

		const huntressUnlessS1 = {
			id: 'huntress',
			software: 'Huntress',
			effect: 'deploy',
			conditions: { all: [{ fact: 'coverage', path: '$.client.itemCodes', operator: 'contains', value: 'huntress' }, { not: { not: { not: notBilledForS1 } } }] },
		};
		const huntress = await plan(raw, [huntressUnlessS1]);
		expect(huntress.reconciliation().map((row) => [row.clientId, row.items, row.targetedAssets, row.billedQuantity])).toEqual([[1, ['huntress'], 0, 1]]);
	});

	it('counts targeted assets after exclusions, and leaves contract-type policies out', async () => {
		const raw = tenant({ contracts: [contract()], invoices: [invoice([line({ qty_order: 1 })])] });
		const result = await plan(raw, [byItem(), excludeServers, byContractType('Huntress')]);
		expect(result.reconciliation()).toEqual([expect.objectContaining({ software: 'SentinelOne', clientId: 1, targetedAssets: 1, billedQuantity: 1, status: 'matched' })]);
	});
});

function expectSamePlans(grouped: DeploymentPlan, naive: DeploymentPlan) {
	// a comparison of empty answers would prove nothing
	expect(grouped.summary().some((software) => software.targeted > 0 && software.notTargeted > 0)).toBe(true);
	expect(grouped.summary()).toEqual(naive.summary());
	expect(grouped.reconciliation()).toEqual(naive.reconciliation());
	for (const software of grouped.software) expect(grouped.targetedVector(software)).toEqual(naive.targetedVector(software));
	const groupedDecisions = [...grouped.decisions()];
	const naiveDecisions = [...naive.decisions()];
	expect(groupedDecisions.length).toBe(naiveDecisions.length);
	groupedDecisions.forEach((decision, index) => expect(decision).toEqual(naiveDecisions[index]));
}

describe('signature grouping gives the answers of the per-asset run', () => {
	it.each([1, 2, 3])('synthetic tenant, seed %i', async (seed) => {
		const snapshot = normalizeSnapshot(generateSyntheticSnapshot({ seed, clients: 30, assets: 400 }));
		const policies = generateSyntheticPolicies({ seed, clients: 30, policies: 20 });
		expectSamePlans(await planDeployments(snapshot, policies, { date: TODAY }), await planNaive(snapshot, policies, { date: TODAY }));
	});

	it.each([21, 22, 23])('contains / doesNotContain agree with containsAny / containsNone of the one value, in any case, seed %i', async (seed) => {
		const random = seededRandom(seed);
		const snapshot = normalizeSnapshot(generateSyntheticSnapshot({ seed, clients: 12, assets: 250 }));
		const policies = Array.from({ length: 12 }, (_, index) => randomValidPolicy(random, index));
		let rewritten = 0;
		const asSetOperators = (node: unknown): unknown => {
			if (Array.isArray(node)) return node.map(asSetOperators);
			if (typeof node !== 'object' || node === null) return node;
			const copy = Object.fromEntries(Object.entries(node).map(([key, value]) => [key, asSetOperators(value)]));
			if (copy.operator === 'contains' || copy.operator === 'doesNotContain') {
				rewritten++;
				return { ...copy, operator: copy.operator === 'contains' ? 'containsAny' : 'containsNone', value: [copy.value] };
			}
			return copy;
		};
		const equivalent = policies.map(asSetOperators);
		expect(rewritten).toBeGreaterThan(2);
		const direct = await planDeployments(snapshot, policies, { date: TODAY });
		const viaSets = await planDeployments(snapshot, equivalent, { date: TODAY });
		for (const software of direct.software) expect(direct.targetedVector(software)).toEqual(viaSets.targetedVector(software));
	});

	it.each([11, 12, 13, 14, 15, 16])('random policies over every fact and operator, seed %i', async (seed) => {
		const random = seededRandom(seed);
		const snapshot = normalizeSnapshot(generateSyntheticSnapshot({ seed, clients: 12, assets: 250, installedSoftware: seed % 2 === 0 }));
		const policies = Array.from({ length: 12 }, (_, index) => randomValidPolicy(random, index));
		const timeZone = seed % 3 === 0 ? 'Pacific/Auckland' : 'UTC';
		expectSamePlans(
			await planDeployments(snapshot, policies, { date: TODAY, timeZone }),
			await planNaive(snapshot, policies, { date: TODAY, timeZone }),
		);
	});
});
