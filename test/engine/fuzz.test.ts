import type { DeploymentPlan, RawSnapshot } from '../../engine';
import { checkPolicies, normalizeSnapshot, planDeployments } from '../../engine';
import { SYNTHETIC_ITEMS } from '../../engine/synthetic';
import { generateSyntheticSnapshot, planNaive, seededRandom } from '../../engine/testing';
import { TODAY } from './fixtures';
import { anyOf, mutate, randomValidPolicy } from './random';

const CLEAR_MESSAGE = /^(expected |unknown property|unknown path )/;

/** Halo-ish rows with every variant and some garbage: doubles and texts as ids, nulls, junk dates, envelopes. */
function randomRawSnapshot(random: () => number): Record<string, unknown> {
	const base = generateSyntheticSnapshot({ seed: Math.floor(random() * 1e6), clients: 4, assets: 25, installedSoftware: random() < 0.5 });
	const damage = (rows: unknown): unknown => {
		if (!Array.isArray(rows)) return rows;
		return rows.map((row) => {
			if (random() < 0.85) return row;
			const copy = { ...(row as Record<string, unknown>) };
			const key = Object.keys(copy)[Math.floor(random() * Object.keys(copy).length)];
			copy[key] = [null, 'junk', -5, '12.0', {}, [], '2025-02-30T00:00:00', '', true][Math.floor(random() * 9)];
			return copy;
		});
	};
	const envelope = (key: string, rows: unknown) => (random() < 0.3 ? { [key]: rows, record_count: Array.isArray(rows) ? rows.length : 0 } : rows);
	return {
		clients: random() < 0.9 ? damage(base.clients) : undefined,
		contracts: envelope('contracts', damage(base.contracts)),
		invoices: envelope('invoices', damage(base.invoices)),
		items: random() < 0.9 ? damage(base.items) : 'not a list',
		assets: envelope('assets', damage(base.assets)),
		installedSoftware: random() < 0.8 ? base.installedSoftware : [{ device_id: 1, name: 'SentinelOne' }, { asset_id: '2.0', name: 7 }],
	};
}

describe('fuzz: random policy documents and snapshots', () => {
	it('rejects broken documents with a clear message naming a path, and plans valid ones without crashing', async () => {
		const random = seededRandom(2024);
		let rejected = 0;
		let planned = 0;
		for (let round = 0; round < 3000; round++) {
			const policies = Array.from({ length: 1 + Math.floor(random() * 3) }, (_, index) => randomValidPolicy(random, index));
			const shape = random();
			const valid: unknown = shape < 0.4 ? { policies } : shape < 0.8 ? policies : JSON.stringify({ policies });
			const mutated = random() < 0.75 ? mutate(random, typeof valid === 'string' ? { policies } : valid) : valid;
			// the node hands its JSON field over as text: broken documents arrive that way too
			const document = typeof mutated !== 'string' && random() < 0.3 ? (JSON.stringify(mutated) ?? 'undefined') : mutated;
			const { errors, policies: accepted } = checkPolicies(document);
			if (errors.length > 0) {
				rejected++;
				for (const error of errors) {
					expect(error.path).toMatch(/^\$/);
					expect(error.message).toMatch(CLEAR_MESSAGE);
				}
				continue;
			}
			expect(accepted.length).toBeGreaterThan(0);
			if (round % 4 !== 0) continue;
			const snapshot = normalizeSnapshot(randomRawSnapshot(random));
			const plan = await planDeployments(snapshot, accepted, { date: TODAY, timeZone: random() < 0.5 ? 'UTC' : 'America/Los_Angeles' });
			const decisions = [...plan.decisions()];
			expect(decisions.length).toBe(plan.assetCount * plan.software.length);
			plan.reconciliation();
			if (decisions.length > 0) await plan.whyNot(decisions[0].assetId, decisions[0].software);
			planned++;
		}
		expect(rejected).toBeGreaterThan(1000);
		expect(planned).toBeGreaterThan(50);
	}, 120000);

	it('normalises thousands of damaged snapshots without crashing', () => {
		const random = seededRandom(7);
		for (let round = 0; round < 1500; round++) {
			const snapshot = normalizeSnapshot(randomRawSnapshot(random) as never);
			for (const asset of snapshot.assets) {
				expect(Number.isInteger(asset.id)).toBe(true);
				expect(Array.isArray(asset.contractIds)).toBe(true);
			}
		}
	}, 120000);
});

describe('properties over random tenants', () => {
	type Row = Record<string, unknown>;
	const ROUNDS = 30;
	const tenantOf = (random: () => number) =>
		generateSyntheticSnapshot({ seed: Math.floor(random() * 1e6), clients: 6, assets: 90, installedSoftware: random() < 0.5 }) as { invoices: Row[]; assets: Row[] } & RawSnapshot;
	/** Random policies, and one per coverage scope on the item (by default a random one), so every round reads all three. */
	const withPolicies = (random: () => number, itemCode = SYNTHETIC_ITEMS[Math.floor(random() * 3)].code) => {
		const policies = Array.from({ length: 6 }, (_, index) => randomValidPolicy(random, index));
		for (const scope of ['client', 'asset', 'contract']) {
			policies.push({
				id: `by-${scope}`,
				software: 'SentinelOne',
				effect: 'deploy',
				conditions: { all: [{ fact: 'coverage', path: `$.${scope}.itemCodes`, operator: 'containsAny', value: [itemCode] }] },
			});
		}
		return policies;
	};
	const options = (random: () => number) => ({ date: TODAY, includeInactiveAssets: random() < 0.3 });
	const planOf = (raw: RawSnapshot, policies: unknown[], planOptions: ReturnType<typeof options>) => planDeployments(normalizeSnapshot(raw), policies, planOptions);
	/** Every asset's decisions as text, by asset id. */
	const decisionsOf = (plan: DeploymentPlan) => {
		const byAsset = new Map<number, string>();
		for (const decision of plan.decisions()) byAsset.set(decision.assetId, `${byAsset.get(decision.assetId) ?? ''}${JSON.stringify(decision)}\n`);
		return byAsset;
	};
	/** Plans both tenants (same assets) and checks that no asset but `assetId` decides differently; whether that one did. */
	const onlyItChanges = async (assetId: unknown, before: RawSnapshot, after: RawSnapshot, policies: unknown[], planOptions: ReturnType<typeof options>) => {
		const [first, second] = [decisionsOf(await planOf(before, policies, planOptions)), decisionsOf(await planOf(after, policies, planOptions))];
		expect([...second.keys()]).toEqual([...first.keys()]);
		const changed = [...first.keys()].filter((id) => first.get(id) !== second.get(id));
		expect(changed.filter((id) => id !== assetId)).toEqual([]);
		return changed.length > 0;
	};
	const assetLine = (random: () => number, invoiceId: unknown, assetId: number, item: (typeof SYNTHETIC_ITEMS)[number]): Row => ({
		id: 900_000 + Math.floor(random() * 1e5),
		ihid: invoiceId,
		_itemid: 100 + SYNTHETIC_ITEMS.indexOf(item),
		item_code: item.code,
		item_shortdescription: item.name,
		qty_order: 1,
		asset_id: assetId,
		isinactive: random() < 0.1,
	});

	it('a line with asset_id > 0 changes no other asset\'s decision', async () => {
		const random = seededRandom(301);
		let ownChanged = 0;
		for (let round = 0; round < ROUNDS; round++) {
			const raw = tenantOf(random);
			const item = SYNTHETIC_ITEMS[Math.floor(random() * SYNTHETIC_ITEMS.length)];
			const policies = withPolicies(random, random() < 0.7 ? item.code : undefined);
			const planOptions = options(random);
			const asset = raw.assets[Math.floor(random() * raw.assets.length)];
			const added = structuredClone(raw);
			// on one of the client's invoices (perhaps disabled, or on a contract not in force), on another client's, or on a new one
			const invoices = added.invoices.filter((invoice) => invoice.client_id === asset.client_id);
			const roll = random();
			if (roll < 0.4 && invoices.length > 0) {
				const invoice = invoices[Math.floor(random() * invoices.length)];
				invoice.lines = [...(invoice.lines as Row[]), assetLine(random, invoice.id, asset.id as number, item)];
			} else if (roll < 0.5) {
				added.invoices[0].lines = [...(added.invoices[0].lines as Row[]), assetLine(random, added.invoices[0].id, asset.id as number, item)];
			} else {
				added.invoices.push({ id: 99_999, client_id: asset.client_id, contract_id: 0, lines: [assetLine(random, 99_999, asset.id as number, item)] });
			}
			if (await onlyItChanges(asset.id, raw, added, policies, planOptions)) ownChanged++;
		}
		// the line did change its own asset's decision in some rounds: the comparison can see a change
		expect(ownChanged).toBeGreaterThan(3);
	}, 120000);

	it('dropping an asset-linked line changes only that asset', async () => {
		const random = seededRandom(302);
		let ownChanged = 0;
		let rounds = 0;
		while (rounds < ROUNDS) {
			const raw = tenantOf(random);
			const linked = raw.invoices.flatMap((invoice) => (invoice.lines as Row[]).filter((line) => Number(line.asset_id) > 0).map((line) => ({ invoice, line })));
			if (linked.length === 0) continue;
			rounds++;
			const { invoice, line } = linked[Math.floor(random() * linked.length)];
			const policies = withPolicies(random, random() < 0.7 ? (line.item_code as string) : undefined);
			const planOptions = options(random);
			const dropped = structuredClone(raw);
			const copy = dropped.invoices.find((candidate) => candidate.id === invoice.id)!;
			copy.lines = (copy.lines as Row[]).filter((candidate) => candidate.id !== line.id);
			if (await onlyItChanges(line.asset_id, raw, dropped, policies, planOptions)) ownChanged++;
		}
		expect(ownChanged).toBeGreaterThan(3);
	}, 120000);

	it('contract-linked targets are a subset of client-wide targets for the same item', async () => {
		const random = seededRandom(303);
		let contractTargets = 0;
		let clientOnlyTargets = 0;
		for (let round = 0; round < ROUNDS; round++) {
			const raw = tenantOf(random);
			const assetTypes = random() < 0.3 ? { assetTypes: ['Workstation', 'Laptop'] } : {};
			const policies = SYNTHETIC_ITEMS.flatMap((item) =>
				(['contract', 'client'] as const).map((scope) => ({
					id: `${scope}-${item.code}`,
					software: `${scope} ${item.code}`,
					effect: 'deploy',
					conditions: { all: [{ fact: 'coverage', path: `$.${scope}.items`, operator: 'containsAny', value: [anyOf(random, [item.code, item.name, 100 + SYNTHETIC_ITEMS.indexOf(item)])] }] },
					...assetTypes,
				})),
			);
			const plan = await planOf(raw, policies, options(random));
			for (const item of SYNTHETIC_ITEMS) {
				const contractLinked = plan.targetedVector(`contract ${item.code}`);
				const clientWide = plan.targetedVector(`client ${item.code}`);
				contractLinked.forEach((targeted, index) => {
					expect(targeted <= clientWide[index]).toBe(true);
					contractTargets += targeted;
					clientOnlyTargets += clientWide[index] - targeted;
				});
			}
		}
		expect(contractTargets).toBeGreaterThan(100);
		expect(clientOnlyTargets).toBeGreaterThan(100);
	}, 120000);

	it('the naive per-asset json-rules-engine planner agrees on every flag and decision, contract coverage included', async () => {
		const random = seededRandom(304);
		let contractFired = 0;
		for (let round = 0; round < ROUNDS; round++) {
			const raw = tenantOf(random);
			const policies = withPolicies(random);
			const planOptions = options(random);
			const snapshot = normalizeSnapshot(raw);
			const grouped = await planDeployments(snapshot, policies, planOptions);
			const naive = await planNaive(snapshot, policies, planOptions);
			for (const software of grouped.software) expect(grouped.targetedVector(software)).toEqual(naive.targetedVector(software));
			expect([...grouped.decisions()]).toEqual([...naive.decisions()]);
			expect(grouped.reconciliation()).toEqual(naive.reconciliation());
			contractFired += [...grouped.decisions()].filter((decision) => decision.reasons.some((reason) => reason.matched.some((source) => source.scope === 'contract'))).length;
		}
		expect(contractFired).toBeGreaterThan(20);
	}, 120000);
});
