import { checkPolicies, normalizeSnapshot, planDeployments } from '../../engine';
import { generateSyntheticSnapshot, seededRandom } from '../../engine/testing';
import { TODAY } from './fixtures';
import { mutate, randomValidPolicy } from './random';

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
