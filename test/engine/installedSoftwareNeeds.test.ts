import type { Decision, RawSnapshot } from '../../engine';
import { assetsNeedingInstalledSoftware, normalizeSnapshot, PagedHaloDataSource, planDeployments } from '../../engine';
import { generateSyntheticSnapshot, seededRandom } from '../../engine/testing';
import { TODAY } from './fixtures';
import { randomValidPolicy } from './random';

/** A data source answering from a raw tenant, counting its installed-software reads. */
function sourceOver(raw: RawSnapshot) {
	const softwareReads: number[] = [];
	const installed = raw.installedSoftware as Record<string, Array<{ name: string }>>;
	const source = new PagedHaloDataSource(async (path, _envelopeKey, qs) => {
		if (path !== '/AssetSoftware') throw new Error(`unexpected list ${path}`);
		softwareReads.push(Number(qs.device_id));
		return installed[String(qs.device_id)] ?? [];
	});
	return { source, softwareReads };
}

const withoutInstalled = ({ installed, ...decision }: Decision) => ({ ...decision, installedKnown: installed !== null });

describe('installed software read only for the assets whose decisions need it', () => {
	it('gives every targeted flag, reason, install, removal and licence pool that reading every asset\'s gives, over random tenants and policies', async () => {
		const random = seededRandom(7);
		let skippedSomewhere = 0;
		let neededSomewhere = 0;
		for (let round = 0; round < 150; round++) {
			const raw = generateSyntheticSnapshot({ seed: 1 + Math.floor(random() * 1e6), clients: 3 + Math.floor(random() * 6), assets: 20 + Math.floor(random() * 60) });
			const policies = Array.from({ length: 1 + Math.floor(random() * 4) }, (_, index) => randomValidPolicy(random, index));
			const options = { date: TODAY, timeZone: random() < 0.5 ? 'UTC' : 'America/Los_Angeles', includeInactiveAssets: random() < 0.3 };
			const everyAsset = await planDeployments(normalizeSnapshot(raw), policies, options);

			const lists = normalizeSnapshot({ ...raw, installedSoftware: undefined });
			const needed = await assetsNeedingInstalledSoftware(lists, policies, options);
			const { source, softwareReads } = sourceOver(raw);
			const partial = await planDeployments(await source.addInstalledSoftware(lists, needed), policies, options);
			expect(softwareReads.sort((a, b) => a - b)).toEqual([...needed].sort((a, b) => a - b));

			const context = { round, policies };
			expect({ ...context, changes: [...partial.changes()] }).toEqual({ ...context, changes: [...everyAsset.changes()] });
			expect({ ...context, reconciliation: partial.reconciliation() }).toEqual({ ...context, reconciliation: everyAsset.reconciliation() });
			const neededSet = new Set(needed);
			const full = [...everyAsset.decisions()];
			const part = [...partial.decisions()];
			expect(part.length).toBe(full.length);
			for (let index = 0; index < full.length; index++) {
				if (neededSet.has(full[index].assetId)) {
					expect({ ...context, decision: part[index] }).toEqual({ ...context, decision: full[index] });
					neededSomewhere++;
				} else {
					// nothing to install or remove either way: only compliant and unmanaged are told apart by reading it
					expect({ ...context, decision: withoutInstalled(part[index]) }).toEqual({ ...context, decision: { ...withoutInstalled(full[index]), action: 'unknown', installedKnown: false } });
					expect(['compliant', 'unmanaged']).toContain(full[index].action);
					expect(full[index].targeted).toBe(false);
					skippedSomewhere++;
				}
			}
			const counts = (summary: ReturnType<typeof partial.summary>) => summary.map(({ software, targeted, install, remove, compliant, unmanaged, unknown }) => ({ software, targeted, install, remove, settled: compliant + unmanaged + unknown }));
			expect(counts(partial.summary())).toEqual(counts(everyAsset.summary()));
		}
		// both kinds of asset occur, so neither branch above is vacuous
		expect(skippedSomewhere).toBeGreaterThan(1000);
		expect(neededSomewhere).toBeGreaterThan(1000);
	});

	it('names the targeted assets, the assets a removal policy reaches and the assets a policy testing installed software reaches, and no other', async () => {
		const raw = generateSyntheticSnapshot({ seed: 3, clients: 10, assets: 200 });
		const lists = normalizeSnapshot({ ...raw, installedSoftware: undefined });
		const byType = (typeName: string) => lists.assets.filter((asset) => !asset.inactive && asset.typeName.toLowerCase() === typeName).map((asset) => asset.id);
		const deploy = { id: 'deploy', software: 'Huntress', effect: 'deploy', conditions: { all: [{ fact: 'coverage', path: '$.client.contractTypes', operator: 'containsAny', value: ['Managed Security'] }] } };
		const targeted = [...(await planDeployments(lists, [deploy], { date: TODAY })).decisions()].filter((decision) => decision.targeted).map((decision) => decision.assetId);
		expect(targeted.length).toBeGreaterThan(0);
		expect(await assetsNeedingInstalledSoftware(lists, [deploy], { date: TODAY })).toEqual(targeted);

		const removal = { ...deploy, id: 'removal', software: 'Keeper', assetTypes: ['Server'], removeWhenCoverageEnds: true };
		const testsSoftware = {
			id: 'tests-software',
			software: 'Datto Agent',
			effect: 'deploy',
			assetTypes: ['Laptop'],
			conditions: { all: [{ fact: 'software', path: '$.names', operator: 'containsNone', value: ['datto agent 1.0'] }] },
		};
		const needed = await assetsNeedingInstalledSoftware(lists, [deploy, removal, testsSoftware], { date: TODAY });
		expect(new Set(needed)).toEqual(new Set([...targeted, ...byType('server'), ...byType('laptop')]));
		expect(needed.length).toBeLessThan(lists.assets.length);
	});
});
