/**
 * The planner as the n8n package bundles it: json-rules-engine with the stand-ins of
 * json-rules-engine-for-n8n/ in place of eventemitter2, jsonpath-plus and its debug logger (the
 * gulpfile's plugin). Bundled here the same way into a temporary file, it must plan exactly as the
 * engine with the original modules does: every decision, every explanation, every licence pool.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import * as esbuild from 'esbuild';

import * as engine from '../../engine/planning';
import { generateSyntheticPolicies, generateSyntheticSnapshot } from '../../engine/testing';
import { ROOT, temporaryFolder } from './packing';

const { jsonRulesEngineForN8n } = require('../../gulpfile.js') as { jsonRulesEngineForN8n: esbuild.Plugin };

// Inside the repository, so the bundle resolves luxon as the node's bundle does in n8n.
const folder = temporaryFolder('bundled-planner-', path.join(ROOT, 'node_modules', '.cache'));
let bundled: typeof engine;
let inputs: string[];

beforeAll(async () => {
	const outfile = path.join(folder, 'planning.js');
	const result = await esbuild.build({
		entryPoints: [path.join(ROOT, 'engine', 'planning.ts')],
		outfile,
		bundle: true,
		platform: 'node',
		format: 'cjs',
		external: ['luxon'],
		plugins: [jsonRulesEngineForN8n],
		metafile: true,
		logLevel: 'silent',
	});
	inputs = Object.keys(result.metafile.inputs);
	bundled = require(outfile) as typeof engine;
});

describe('the planner with json-rules-engine-for-n8n', () => {
	it('holds json-rules-engine with the stand-ins, not eventemitter2, jsonpath-plus or its debug logger', () => {
		expect(inputs.some((input) => input.includes('node_modules/json-rules-engine/'))).toBe(true);
		expect(inputs.filter((input) => /node_modules\/(eventemitter2|jsonpath-plus)\/|json-rules-engine\/dist\/debug/.test(input))).toEqual([]);
		expect(inputs.filter((input) => input.startsWith('json-rules-engine-for-n8n/')).sort()).toEqual([
			'json-rules-engine-for-n8n/debug.ts',
			'json-rules-engine-for-n8n/eventemitter2.ts',
			'json-rules-engine-for-n8n/jsonpath-plus.ts',
		]);
		const text = fs.readFileSync(path.join(folder, 'planning.js'), 'utf8');
		expect(text).not.toMatch(/require\("vm"\)|process\.env|setImmediate|new Function/);
	});

	it.each([1, 2, 3])('plans, explains and reconciles exactly as the engine does, synthetic tenant %i', async (seed) => {
		const raw = generateSyntheticSnapshot({ seed, clients: 20, assets: 300, installedSoftware: seed !== 2 });
		const policies = generateSyntheticPolicies({ seed, clients: 20, policies: 15 });
		const options = { date: '2025-06-15', timeZone: seed === 3 ? 'Pacific/Auckland' : 'UTC' };
		const expected = await engine.planDeployments(engine.normalizeSnapshot(raw), policies, options);
		const actual = await bundled.planDeployments(bundled.normalizeSnapshot(raw), policies, options);

		expect([...actual.decisions()]).toEqual([...expected.decisions()]);
		expect(actual.reconciliation()).toEqual(expected.reconciliation());
		expect(actual.summary()).toEqual(expected.summary());
		const assets = engine.normalizeSnapshot(raw).assets.slice(0, 25);
		for (const asset of assets) {
			for (const software of expected.software) {
				expect(await actual.whyNot(asset.id, software)).toEqual(await expected.whyNot(asset.id, software));
			}
		}
	});

	it('refuses, as the engine does, a JSONPath expression the policy check does not know, so no path ever reaches jsonpath-plus', async () => {
		const snapshot = engine.normalizeSnapshot(generateSyntheticSnapshot({ seed: 4, clients: 3, assets: 10 }));
		const policies = [{ id: 'p', software: 'X', effect: 'deploy', conditions: { all: [{ fact: 'asset', path: '$..typeName', operator: 'equal', value: 'Server' }] } }];
		const expected = await engine.planDeployments(snapshot, policies).then(
			() => 'planned',
			(error: Error) => error.message,
		);
		const actual = await bundled.planDeployments(bundled.normalizeSnapshot(generateSyntheticSnapshot({ seed: 4, clients: 3, assets: 10 })), policies).then(
			() => 'planned',
			(error: Error) => error.message,
		);
		expect(expected).toMatch(/conditions\.all\[0\]\.path: expected a path like/);
		expect(actual).toBe(expected);
	});
});
