/**
 * The Deployment Targets node run through n8n-core against the sandbox, checked against an
 * independent computation: plain loops over the raw API data this test fetches itself.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { DateTime } from 'luxon';
import type { IDataObject, INodeParameters } from 'n8n-workflow';
import { getGlobalState, setGlobalState } from 'n8n-workflow';

import { DeploymentTargets } from '../../nodes/DeploymentTargets/DeploymentTargets.node';
import { makeCredentials, runNode } from '../helpers/n8n-harness';
import { useHaloSandbox } from '../helpers/sandbox';

// The sandbox flags contracts expired by its own clock, so the plan day is today.
const PLAN_DAY = new Date().toISOString().slice(0, 10);
type Row = Record<string, any>;

/** A GET on Halo's API with nothing but fetch: token first. */
async function haloGetter(baseUrl: string, clientId: string, clientSecret: string) {
	const tokenAnswer = await fetch(`${baseUrl}/auth/token`, {
		method: 'POST',
		headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret, scope: 'all' }),
	});
	const { access_token: token } = (await tokenAnswer.json()) as { access_token: string };
	return async (apiPath: string) => {
		const answer = await fetch(`${baseUrl}/api${apiPath}`, { headers: { Authorization: `Bearer ${token}` } });
		return (await answer.json()) as any;
	};
}

/** Halo data fetched with nothing but fetch: token, then every page of each list. */
async function fetchTenant(baseUrl: string, clientId: string, clientSecret: string) {
	const get = await haloGetter(baseUrl, clientId, clientSecret);
	const all = async (listPath: string, key: string) => {
		const rows: Row[] = [];
		for (let page = 1; ; page++) {
			const body = await get(`${listPath}${listPath.includes('?') ? '&' : '?'}pageinate=true&page_size=100&page_no=${page}`);
			const pageRows = (Array.isArray(body) ? body : body[key]) as Row[];
			rows.push(...pageRows);
			if (pageRows.length === 0 || Array.isArray(body) || rows.length >= body.record_count) return rows;
		}
	};
	const assets = await all('/Asset', 'assets');
	const software: Record<number, Row[]> = {};
	for (const asset of assets) software[asset.id] = await get(`/AssetSoftware?device_id=${asset.id}`);
	return {
		clients: await all('/Client?includeinactive=true', 'clients'),
		contracts: await all('/ClientContract?includeinactive=true', 'contracts'),
		invoices: await all('/RecurringInvoice?includelines=true', 'invoices'),
		items: await all('/Item?includeinactive=true', 'items'),
		assets,
		software,
	};
}

type Tenant = Awaited<ReturnType<typeof fetchTenant>>;

const day = (value: unknown) => (typeof value === 'string' && value && !value.startsWith('1900') ? value.slice(0, 10) : null);
const within = (start: unknown, end: unknown) => (day(start) === null || day(start)! <= PLAN_DAY) && (day(end) === null || day(end)! >= PLAN_DAY);
const contractInForce = (contract: Row | undefined) => !!contract && !contract.expired && contract.active !== false && within(contract.start_date, contract.end_date);

/** The recurring lines in force on the plan day, by the rule over Halo's own field names. */
function inForceLines(tenant: Tenant): Array<{ invoice: Row; line: Row }> {
	const contractById = new Map(tenant.contracts.map((contract) => [Math.trunc(Number(contract.id)), contract]));
	const lines: Array<{ invoice: Row; line: Row }> = [];
	for (const invoice of tenant.invoices) {
		if (invoice.disabled) continue;
		if (invoice.contract_id > 0 && !contractInForce(contractById.get(Math.trunc(Number(invoice.contract_id))))) continue;
		for (const line of invoice.lines) {
			if (line.isinactive || !within(line.startdate, line.enddate)) continue;
			if (line.contract_id > 0 && !contractInForce(contractById.get(Math.trunc(Number(line.contract_id))))) continue;
			lines.push({ invoice, line });
		}
	}
	return lines;
}

const idOf = (value: unknown) => Math.trunc(Number(value));
/** The contracts a line belongs to: its invoice's and its own (0 is none). */
const lineContracts = (invoice: Row, line: Row) => [...new Set([idOf(invoice.contract_id), idOf(line.contract_id)])].filter((id) => id > 0);
/** The in-force contracts an asset is on: its contract_id and contracts[]. */
function assetContracts(tenant: Tenant, asset: Row): number[] {
	const ids = new Set([idOf(asset.contract_id), ...(asset.contracts ?? []).map((link: Row) => idOf(link.id))]);
	return tenant.contracts.filter((contract) => ids.has(idOf(contract.id)) && contractInForce(contract)).map((contract) => idOf(contract.id));
}

type Scope = 'client' | 'asset' | 'contract';

/**
 * Whether an in-force line covers an asset in a scope, by the rules written out plainly over Halo's own
 * field names: a line naming an asset covers that asset only; a line without one covers its client, and
 * the machines on every contract its invoice (and the line) name.
 */
function lineCovers(tenant: Tenant, scope: Scope, asset: Row, invoice: Row, line: Row): boolean {
	if (scope === 'asset') return line.asset_id === asset.id;
	if (line.asset_id > 0 || invoice.client_id !== asset.client_id) return false;
	const named = lineContracts(invoice, line);
	return scope === 'client' || (named.length > 0 && named.every((contractId) => assetContracts(tenant, asset).includes(contractId)));
}

function expectedTargets(tenant: Tenant, rule: { software: string; contractType?: string; itemCode?: string; scope?: Scope; assetTypes?: string[] }) {
	const scope = rule.scope ?? 'client';
	const targeted = new Set<number>();
	for (const asset of tenant.assets) {
		if (asset.inactive) continue;
		if (rule.assetTypes && !rule.assetTypes.includes(asset.assettype_name)) continue;
		let covered = false;
		if (rule.contractType) {
			for (const contract of tenant.contracts) {
				if (!contractInForce(contract) || String(contract.contracttype_name).toLowerCase() !== rule.contractType.toLowerCase()) continue;
				if (scope === 'asset' ? assetContracts(tenant, asset).includes(idOf(contract.id)) : contract.client_id === asset.client_id) covered = true;
			}
		}
		if (rule.itemCode) {
			for (const { invoice, line } of inForceLines(tenant)) {
				if (line.item_code === rule.itemCode && lineCovers(tenant, scope, asset, invoice, line)) covered = true;
			}
		}
		if (covered) targeted.add(asset.id);
	}
	const installed = (assetId: number) =>
		(tenant.software[assetId] ?? []).some((entry) => String(entry.name).toLowerCase().includes(rule.software.toLowerCase()));
	const installs = [...targeted].filter((assetId) => !installed(assetId)).sort((a, b) => a - b);
	return { targeted: [...targeted].sort((a, b) => a - b), installs };
}

/**
 * Licence pools for an item, written out: a line naming an asset is that asset's pool, a line without
 * one on a contract's invoice that contract's, any other its client's. A targeted machine counts in
 * its own line's pool, else in the pool of the lowest of its contracts with one, else its client's.
 */
function expectedPools(tenant: Tenant, itemCode: string, targeted: number[]) {
	const pools = new Map<string, { clientId: number; scope: Scope; id: number | null; targeted: number; billed: number }>();
	const pool = (key: string, clientId: number, scope: Scope, id: number | null) =>
		pools.get(key) ?? pools.set(key, { clientId, scope, id, targeted: 0, billed: 0 }).get(key)!;
	const billing = inForceLines(tenant).filter(({ line }) => line.item_code === itemCode);
	for (const { invoice, line } of billing) {
		const named = lineContracts(invoice, line);
		const entry = line.asset_id > 0 ? pool(`asset ${line.asset_id}`, invoice.client_id, 'asset', line.asset_id)
			: named.length > 0 ? pool(`contract ${named[0]}`, invoice.client_id, 'contract', named[0])
			: pool(`client ${invoice.client_id}`, invoice.client_id, 'client', null);
		entry.billed += Number(line.qty_order);
	}
	for (const assetId of targeted) {
		const asset = tenant.assets.find((candidate) => candidate.id === assetId)!;
		const contracts = billing.filter(({ invoice, line }) => lineCovers(tenant, 'contract', asset, invoice, line)).map(({ invoice, line }) => lineContracts(invoice, line)[0]);
		const entry = billing.some(({ line }) => line.asset_id === assetId) ? pools.get(`asset ${assetId}`)!
			: contracts.length > 0 ? pools.get(`contract ${Math.min(...contracts)}`)!
			: pool(`client ${asset.client_id}`, asset.client_id, 'client', null);
		entry.targeted++;
	}
	const order: Scope[] = ['client', 'contract', 'asset'];
	return [...pools.values()]
		.sort((a, b) => a.clientId - b.clientId || order.indexOf(a.scope) - order.indexOf(b.scope) || (a.id ?? 0) - (b.id ?? 0))
		.map((entry) => [entry.clientId, entry.scope, entry.id, entry.targeted, entry.billed, entry.targeted > entry.billed ? 'under-billed' : entry.targeted < entry.billed ? 'over-billed' : 'matched']);
}

const formPolicy = (values: INodeParameters): INodeParameters => ({ formPolicies: { policy: [values] } });

describe('Halo Deployment Targets node against the demo tenant', () => {
	const fixture = useHaloSandbox({ dataset: 'demo' });
	let tenant: Tenant;
	const run = async (parameters: INodeParameters, inputItems?: IDataObject[], continueOnFail = false) =>
		await runNode({
			nodeType: new DeploymentTargets(),
			credentials: makeCredentials(fixture.sandbox),
			parameters: { dataSource: 'halo', options: { planDate: PLAN_DAY }, ...parameters },
			inputItems,
			continueOnFail,
		});

	beforeAll(async () => {
		tenant = await fetchTenant(fixture.sandbox.baseUrl, fixture.sandbox.clientId, fixture.sandbox.clientSecret);
	});

	it('targets every asset of clients with an in-force Managed Security contract, as computed independently', async () => {
		const { items, error } = await run({
			...formPolicy({ software: 'SentinelOne', coverageKind: 'contractType', contractTypes: 'managed security', coverageScope: 'client' }),
			includeInstalledSoftware: true,
			output: 'assets',
		});
		expect(error).toBeUndefined();
		const [summary, ...assets] = items.map((item) => item.json);
		const expected = expectedTargets(tenant, { software: 'SentinelOne', contractType: 'Managed Security' });
		expect(expected.targeted.length).toBeGreaterThan(3);
		expect(assets.filter((asset) => (asset.targetedSoftware as string[]).includes('SentinelOne')).map((asset) => asset.assetId)).toEqual(expected.targeted);
		expect(summary).toEqual(expect.objectContaining({ summary: true, dryRun: true, date: PLAN_DAY, changes: { install: expected.installs.length, remove: 0 } }));
		expect(items.every((item) => JSON.stringify(item.pairedItem) === JSON.stringify({ item: 0 }))).toBe(true);
	});

	it.each([
		['HUNTRESS-EDR', 'Huntress', 'client'],
		['HUNTRESS-EDR', 'Huntress', 'asset'],
		['HUNTRESS-EDR', 'Huntress', 'contract'],
		['S1-CORE', 'SentinelOne', 'client'],
		['S1-CORE', 'SentinelOne', 'asset'],
		['S1-CORE', 'SentinelOne', 'contract'],
	] as const)('by the recurring item %s (%s), %s scope: installs as computed independently, reconciles per licence pool', async (itemCode, software, scope) => {
		const parameters = { ...formPolicy({ software, coverageKind: 'recurringItem', items: itemCode, coverageScope: scope }), includeInstalledSoftware: true };
		const assets = await run({ ...parameters, output: 'assets', options: { planDate: PLAN_DAY, includeSummary: false } });
		const expected = expectedTargets(tenant, { software, itemCode, scope });
		expect(expected.targeted.length).toBeGreaterThan(0);
		expect(assets.items.filter((item) => (item.json.targetedSoftware as string[]).includes(software)).map((item) => item.json.assetId)).toEqual(expected.targeted);
		const changes = await run({ ...parameters, output: 'changes' });
		const [, ...rows] = changes.items.map((item) => item.json);
		expect(rows.filter((row) => row.action === 'install').map((row) => row.assetId)).toEqual(expected.installs);
		for (const row of rows.filter((candidate) => candidate.action === 'install')) {
			expect(row.reasons).toEqual([expect.objectContaining({ matched: expect.arrayContaining([expect.objectContaining({ type: 'recurringLine', scope, itemCode })]) })]);
		}

		const reconciliation = await run({ ...parameters, output: 'reconciliation' });
		const [, ...report] = reconciliation.items.map((item) => item.json);
		expect(report.map((row) => [row.clientId, row.scope, row.contractId ?? row.assetId, row.targetedAssets, row.billedQuantity, row.status])).toEqual(
			expectedPools(tenant, itemCode, expected.targeted),
		);
	});

	it('SentinelOne at Northwind: the contract-linked rule covers the machines on NWD-MSEC-2025, the York PC its own line, the retired X-ray PC nothing', async () => {
		// the node's targets per scope, by host name, at Northwind (the only client billed S1-CORE today)
		const byScope = await run({
			formPolicies: { policy: (['client', 'asset', 'contract'] as const).map((scope) => ({ software: `S1 ${scope}`, coverageKind: 'recurringItem', items: 'S1-CORE', coverageScope: scope })) },
			output: 'assets',
			options: { planDate: PLAN_DAY, includeSummary: false },
		});
		const hosts = (software: string) =>
			byScope.items
				.filter((item) => (item.json.targetedSoftware as string[]).includes(software))
				.map((item) => tenant.assets.find((asset) => asset.id === item.json.assetId)!)
				.map((asset) => `${asset.client_id} ${asset.key_field}`)
				.sort();
		expect(hosts('S1 contract')).toEqual(['1 NWD-DC01', '1 NWD-HGT-RECEPTION', '1 NWD-LT-EMMA', '1 NWD-RECEPTION-01', '1 NWD-SURGERY-01']);
		expect(hosts('S1 asset')).toEqual(['1 NWD-YRK-RECEPTION']);
		expect(hosts('S1 client')).toEqual([...hosts('S1 contract'), '1 NWD-FW01', '1 NWD-YRK-RECEPTION'].sort());
		const policy = { software: 'SentinelOne', coverageKind: 'recurringItem', items: 'S1-CORE' };
		const { items } = await run({
			formPolicies: { policy: [{ ...policy, coverageScope: 'contract' }, { ...policy, coverageScope: 'asset' }] },
			output: 'reconciliation',
			options: { planDate: PLAN_DAY, includeSummary: false },
		});
		// the retired PC is not loaded (inactive assets are not planned): its pool has its id, no name
		const get = await haloGetter(fixture.sandbox.baseUrl, fixture.sandbox.clientId, fixture.sandbox.clientSecret);
		const assetNamed = async (host: string) => ((await get(`/Asset?client_id=1&includeinactive=true&search=${host}`)).assets as Row[])[0];
		const [york, xray] = [await assetNamed('NWD-YRK-RECEPTION'), await assetNamed('NWD-OLD-XRAY')];
		expect(xray.inactive).toBe(true);
		const rows = items.map((item) => item.json).filter((row) => row.clientId === 1);
		expect(rows.map((row) => [row.scope, row.contractRef || row.assetId, row.assetName, row.targetedAssets, row.billedQuantity, row.status])).toEqual([
			['contract', 'NWD-MSEC-2025', '', 5, 5, 'matched'],
			['asset', york.id, york.inventory_number, 1, 1, 'matched'],
			['asset', xray.id, '', 0, 1, 'over-billed'],
		]);
	});

	it('asset-linked coverage from JSON policies, with an exclusion that wins', async () => {
		const policiesJson = JSON.stringify([
			{ id: 's1', software: 'SentinelOne', effect: 'deploy', conditions: { all: [{ fact: 'coverage', path: '$.asset.contractTypes', operator: 'containsAny', value: ['Managed Security'] }] } },
			{ id: 'no-servers', software: 'SentinelOne', effect: 'exclude', conditions: { all: [{ fact: 'asset', path: '$.typeName', operator: 'equalsIgnoreCase', value: 'server' }] } },
		]);
		const { items } = await run({ policySource: 'json', policiesJson, output: 'assets', options: { planDate: PLAN_DAY, includeSummary: false } });
		const expected = expectedTargets(tenant, { software: 'SentinelOne', contractType: 'Managed Security', scope: 'asset' });
		const notServers = expected.targeted.filter((assetId) => tenant.assets.find((asset) => asset.id === assetId)?.assettype_name !== 'Server');
		expect(items.filter((item) => (item.json.targetedSoftware as string[]).includes('SentinelOne')).map((item) => item.json.assetId)).toEqual(notServers);
		expect(notServers.length).toBeLessThan(expected.targeted.length);
	});

	it('plans the same from a snapshot in the input item as from HaloPSA', async () => {
		const policy = formPolicy({ software: 'SentinelOne', coverageKind: 'contractType', contractTypes: 'Managed Security' });
		const fromHalo = await run({ ...policy, output: 'software' });
		const snapshot = { ...tenant, installedSoftware: undefined, software: undefined };
		const fromInput = await runNode({
			nodeType: new DeploymentTargets(),
			parameters: { dataSource: 'input', snapshotField: 'snapshot', ...policy, output: 'software', options: { planDate: PLAN_DAY } },
			inputItems: [{ snapshot }],
		});
		expect(fromInput.items.map((item) => item.json)).toEqual(fromHalo.items.map((item) => item.json));
	});

	it('refuses Contract-Linked for a contract-type policy in the form, saying what to choose', async () => {
		const { error } = await run({ ...formPolicy({ software: 'Huntress', coverageKind: 'contractType', contractTypes: 'Managed Security', coverageScope: 'contract' }), output: 'changes' });
		expect(error?.message).toBe('Policy 1 in the form is not valid');
		expect(error?.description).toMatch(/^expected Client-Wide or Asset-Linked Only for contract types, got Contract-Linked: .* choose Asset-Linked Only\n/);
	});

	it('names unknown contract types with the tenant\'s closest real names', async () => {
		const { error } = await run({ ...formPolicy({ software: 'SentinelOne', coverageKind: 'contractType', contractTypes: 'Managed Securty' }), output: 'changes' });
		expect(error?.message).toMatch(/contract type or item that HaloPSA does not have/);
		expect(error?.description).toBe(
			'$.policies[0].conditions.all[0].value[0]: the contract type "Managed Securty" (policy sentinelone-deploy, SentinelOne) is not in the HaloPSA data; did you mean "Managed Security"?',
		);
	});

	it.each([5, 6])(
		"plans the technician tab's targets for ticket %i's client, who has no Managed Security contract: not targeted, no error",
		async (ticketId) => {
			// the sample workflow's own node, with its Client IDs expression resolved for the ticket
			const workflow = JSON.parse(fs.readFileSync(path.join(__dirname, '../../workflows/technician-tab.json'), 'utf8')) as { nodes: Array<{ name: string; parameters: INodeParameters }> };
			const node = workflow.nodes.find((candidate) => candidate.name === 'Deployment targets')!;
			expect(node.parameters.clientIds).toMatch(/Get ticket/);
			const get = await haloGetter(fixture.sandbox.baseUrl, fixture.sandbox.clientId, fixture.sandbox.clientSecret);
			const clientId = Number((await get(`/Tickets/${ticketId}`)).client_id);
			const { items, error } = await runNode({
				nodeType: new DeploymentTargets(),
				credentials: makeCredentials(fixture.sandbox),
				parameters: { ...node.parameters, clientIds: String(clientId) },
			});
			expect(error).toBeUndefined();
			const [summary, ...assets] = items.map((item) => item.json);
			const clientAssets = tenant.assets.filter((asset) => asset.client_id === clientId && !asset.inactive).map((asset) => asset.id);
			expect(assets.map((asset) => asset.assetId)).toEqual(clientAssets);
			expect(clientAssets.length).toBeGreaterThan(1);
			const assetTypes = ['Workstation', 'Laptop', 'Server'];
			const huntress = expectedTargets(tenant, { software: 'Huntress', contractType: 'Managed Security', assetTypes });
			const sentinelOne = expectedTargets(tenant, { software: 'SentinelOne', itemCode: 'S1-CORE', assetTypes });
			// the independent computation targets other clients, none of this one's machines
			expect(huntress.targeted.length).toBeGreaterThan(0);
			expect(huntress.targeted.filter((assetId) => clientAssets.includes(assetId))).toEqual([]);
			expect(sentinelOne.targeted.filter((assetId) => clientAssets.includes(assetId))).toEqual([]);
			for (const asset of assets) expect(asset.targetedSoftware).toEqual([]);
			expect(summary.warnings).toEqual(
				expect.arrayContaining([expect.stringMatching(/the contract type "Managed Security" \(policy huntress-deploy, Huntress\) is not in the HaloPSA data of the loaded clients/)]),
			);
		},
	);

	it('still refuses an unknown item when Client IDs limit the load: items are the whole tenant\'s', async () => {
		const { error } = await run({ ...formPolicy({ software: 'SentinelOne', coverageKind: 'recurringItem', items: 'S1-COR' }), clientIds: '3', output: 'changes' });
		expect(error?.message).toMatch(/contract type or item that HaloPSA does not have/);
		expect(error?.description).toMatch(/the recurring item "S1-COR" \(policy sentinelone-deploy, SentinelOne\) is not in the HaloPSA data; did you mean "S1-CORE"/);
	});

	it("reads dates in the workflow's time zone unless the node names one", async () => {
		const previous = getGlobalState();
		// the harness's workflow has no time zone setting, so n8n falls back to the global default
		setGlobalState({ ...previous, defaultTimezone: 'Pacific/Kiritimati' });
		try {
			const policy = formPolicy({ software: 'SentinelOne', coverageKind: 'contractType', contractTypes: 'Managed Security' });
			const fromWorkflow = await run({ ...policy, output: 'software', options: {} });
			expect(fromWorkflow.error).toBeUndefined();
			expect(fromWorkflow.items[0].json).toEqual(
				expect.objectContaining({ timeZone: 'Pacific/Kiritimati', date: DateTime.now().setZone('Pacific/Kiritimati').toISODate() }),
			);
			const named = await run({ ...policy, output: 'software', options: { timeZone: 'UTC' } });
			expect(named.items[0].json.timeZone).toBe('UTC');
		} finally {
			setGlobalState(previous);
		}
	});

	it('reports invalid JSON policies with their paths, per item under continue-on-fail', async () => {
		const policiesJson = JSON.stringify([{ id: 'x', software: 'S', effect: 'deploy', conditions: { all: [{ fact: 'coverage', path: '$.client.contractType', operator: 'containsAny', value: ['a'] }] } }]);
		const { items } = await run({ policySource: 'json', policiesJson, output: 'changes' }, [{}, {}], true);
		expect(items).toHaveLength(2);
		expect(items[1].json.error).toMatch(/The policies are not valid \(1 problem\)/);
		expect(items[1].json.details).toMatch(/\$\[0\]\.conditions\.all\[0\]\.path: unknown path "\$\.client\.contractType"/);
		expect(items[1].pairedItem).toEqual({ item: 1 });
	});

	it('refuses an empty snapshot with a clear error', async () => {
		const { error } = await runNode({
			nodeType: new DeploymentTargets(),
			parameters: { dataSource: 'input', ...formPolicy({ software: 'S', coverageKind: 'contractType', contractTypes: 'Managed Security' }), output: 'changes' },
			inputItems: [{ clients: [], assets: [] }],
		});
		expect(error?.message).toBe('The snapshot has no assets to plan for');
	});
});

describe('Halo Deployment Targets node against a generated tenant', () => {
	const fixture = useHaloSandbox({ dataset: { seed: 11, clients: 25, assets: 400, tickets: 0 } });

	it('matches the independent computation for every contract type of the tenant', async () => {
		const tenant = await fetchTenant(fixture.sandbox.baseUrl, fixture.sandbox.clientId, fixture.sandbox.clientSecret);
		const contractTypes = [...new Set(tenant.contracts.map((contract) => String(contract.contracttype_name)))];
		const policy = contractTypes.map((contractType, index) => ({ software: `Agent ${index}`, coverageKind: 'contractType', contractTypes: contractType, coverageScope: index % 2 ? 'asset' : 'client' }));
		const { items, error } = await runNode({
			nodeType: new DeploymentTargets(),
			credentials: makeCredentials(fixture.sandbox),
			parameters: { dataSource: 'halo', formPolicies: { policy }, output: 'assets', options: { planDate: PLAN_DAY, includeSummary: false } },
		});
		expect(error).toBeUndefined();
		let targetedSomewhere = 0;
		contractTypes.forEach((contractType, index) => {
			const expected = expectedTargets(tenant, { software: `Agent ${index}`, contractType, scope: index % 2 === 1 ? 'asset' : 'client' });
			const actual = items.filter((item) => (item.json.targetedSoftware as string[]).includes(`Agent ${index}`)).map((item) => item.json.assetId);
			expect(actual).toEqual(expected.targeted);
			targetedSomewhere += actual.length;
		});
		expect(contractTypes.length).toBeGreaterThan(1);
		expect(targetedSomewhere).toBeGreaterThan(0);
	});

	it('reads installed software only for the assets whose decisions need it: ceil(rows/100) requests per list plus one per such asset, and the same changes and licence pools as reading every asset\'s', async () => {
		const tenant = await fetchTenant(fixture.sandbox.baseUrl, fixture.sandbox.clientId, fixture.sandbox.clientSecret);
		const managedSecurity = { fact: 'coverage', path: '$.client.contractTypes', operator: 'containsAny', value: ['Managed Security'] };
		const policies = [
			{ id: 'huntress', software: 'Huntress', effect: 'deploy', assetTypes: ['Workstation'], conditions: { all: [managedSecurity] } },
			// a removal policy reaches every server, covered or not
			{ id: 'chrome', software: 'Google Chrome', effect: 'deploy', assetTypes: ['Server'], removeWhenCoverageEnds: true, conditions: { all: [{ fact: 'coverage', path: '$.asset.items', operator: 'containsAny', value: ['S1-CORE'] }] } },
			// a condition on installed software reaches every laptop
			{ id: 'datto', software: 'Datto', effect: 'deploy', assetTypes: ['Laptop'], conditions: { all: [managedSecurity, { fact: 'software', path: '$.names', operator: 'containsNone', value: ['google chrome'] }] } },
		];
		const ofType = (typeName: string) => tenant.assets.filter((asset) => asset.assettype_name === typeName).map((asset) => asset.id as number);
		const needed = new Set([...expectedTargets(tenant, { software: 'Huntress', contractType: 'Managed Security', assetTypes: ['Workstation'] }).targeted, ...ofType('Server'), ...ofType('Laptop')]);
		const listRequests = [tenant.clients, tenant.contracts, tenant.invoices, tenant.items, tenant.assets].reduce((sum, rows) => sum + Math.ceil(rows.length / 100), 0);
		expect(needed.size).toBeGreaterThan(20);
		expect(needed.size).toBeLessThan(tenant.assets.length * 0.75);
		expect(listRequests).toBeGreaterThan(5);

		const plan = async (installedSoftwareFor: 'needed' | 'all', output: string) => {
			await fixture.control.reset();
			const { items, error } = await runNode({
				nodeType: new DeploymentTargets(),
				credentials: makeCredentials(fixture.sandbox),
				parameters: { dataSource: 'halo', policySource: 'json', policiesJson: JSON.stringify({ policies }), includeInstalledSoftware: true, installedSoftwareFor, output, options: { planDate: PLAN_DAY, includeSummary: false } },
			});
			expect(error).toBeUndefined();
			const apiRequests = (await fixture.control.requests()).filter((request) => /^\/api\//i.test(request.path) && !/^\/api\/authinfo$/i.test(request.path));
			const softwareReads = apiRequests.filter((request) => /^\/api\/assetsoftware$/i.test(request.path)).map((request) => Number(request.query.device_id));
			return { rows: items.map((item) => item.json), apiRequests: apiRequests.length, softwareReads: softwareReads.sort((a, b) => a - b) };
		};
		for (const output of ['changes', 'reconciliation']) {
			const onlyNeeded = await plan('needed', output);
			expect(onlyNeeded.softwareReads).toEqual([...needed].sort((a, b) => a - b));
			expect(onlyNeeded.apiRequests).toBe(listRequests + needed.size);
			const everyAsset = await plan('all', output);
			expect(everyAsset.softwareReads.length).toBe(tenant.assets.length);
			expect(onlyNeeded.rows).toEqual(everyAsset.rows);
			if (output === 'changes') expect(onlyNeeded.rows.map((row) => row.action)).toEqual(expect.arrayContaining(['install', 'remove']));
		}
	});

	it('matches the independent computation for every recurring item in each scope, targets and licence pools', async () => {
		const tenant = await fetchTenant(fixture.sandbox.baseUrl, fixture.sandbox.clientId, fixture.sandbox.clientSecret);
		const codes = [...new Set(inForceLines(tenant).map(({ line }) => String(line.item_code)))].sort();
		const scopes: Scope[] = ['client', 'asset', 'contract'];
		const rules = codes.flatMap((itemCode) => scopes.map((scope) => ({ software: `${itemCode} ${scope}`, itemCode, scope })));
		const policy = rules.map((rule) => ({ software: rule.software, coverageKind: 'recurringItem', items: rule.itemCode, coverageScope: rule.scope }));
		const run = async (output: string) =>
			(
				await runNode({
					nodeType: new DeploymentTargets(),
					credentials: makeCredentials(fixture.sandbox),
					parameters: { dataSource: 'halo', formPolicies: { policy }, output, options: { planDate: PLAN_DAY, includeSummary: false } },
				})
			).items.map((item) => item.json);
		const [assets, report] = [await run('assets'), await run('reconciliation')];
		const targetedIn: Record<Scope, number> = { client: 0, asset: 0, contract: 0 };
		for (const rule of rules) {
			const expected = expectedTargets(tenant, rule);
			expect({ software: rule.software, targeted: assets.filter((asset) => (asset.targetedSoftware as string[]).includes(rule.software)).map((asset) => asset.assetId) }).toEqual({ software: rule.software, targeted: expected.targeted });
			const rows = report.filter((row) => row.software === rule.software);
			expect(rows.map((row) => [row.clientId, row.scope, row.contractId ?? row.assetId, row.targetedAssets, row.billedQuantity, row.status])).toEqual(expectedPools(tenant, rule.itemCode, expected.targeted));
			targetedIn[rule.scope] += expected.targeted.length;
		}
		expect(codes.length).toBeGreaterThan(3);
		for (const scope of scopes) expect({ scope, targeted: targetedIn[scope] > 0 }).toEqual({ scope, targeted: true });
	});
});
