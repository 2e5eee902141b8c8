/**
 * The engine's boundaries: it never imports n8n (scripts outside n8n run it), and the package root
 * (`index.js`) hands out the built engine's public API and nothing meant for tests.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');
const ENGINE = path.join(ROOT, 'engine');

function sourceFiles(directory: string): string[] {
	return fs.readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
		const full = path.join(directory, entry.name);
		if (entry.isDirectory()) return sourceFiles(full);
		return entry.name.endsWith('.ts') ? [full] : [];
	});
}

/** Every module specifier a file names outside comments: import/export ... from, import(), require(). */
function specifiers(text: string): string[] {
	const source = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:])\/\/.*$/gm, '$1');
	const found: string[] = [];
	const patterns = [/\bfrom\s+['"]([^'"]+)['"]/g, /\bimport\s+['"]([^'"]+)['"]/g, /\b(?:import|require)\s*\(\s*['"]([^'"]+)['"]\s*\)/g];
	for (const pattern of patterns) for (const match of source.matchAll(pattern)) found.push(match[1]);
	return found;
}

describe('engine boundaries', () => {
	it('no file under engine/ imports n8n or anything outside engine/', () => {
		const files = sourceFiles(ENGINE);
		expect(files.length).toBeGreaterThan(15);
		const offending: string[] = [];
		let relative = 0;
		for (const file of files) {
			for (const specifier of specifiers(fs.readFileSync(file, 'utf8'))) {
				const where = `${path.relative(ROOT, file)}: ${specifier}`;
				if (/(^|\/)n8n/.test(specifier)) offending.push(where);
				else if (specifier.startsWith('.')) {
					relative++;
					if (!path.resolve(path.dirname(file), specifier).startsWith(ENGINE)) offending.push(where);
				} else if (!['axios', 'json-rules-engine', 'luxon'].includes(specifier) && !specifier.startsWith('node:')) offending.push(where);
			}
		}
		expect(relative).toBeGreaterThan(20);
		expect(offending).toEqual([]);
	});

	it('the package root gives scripts the built planner, data sources and policy tools, without the test helpers', async () => {
		const built = path.join(ROOT, 'dist/engine/index.js');
		if (!fs.existsSync(built)) throw new Error('dist/engine is missing: run `npm run build` before this test');
		// what a script outside n8n does
		const engine = require(ROOT) as typeof import('../../engine');
		for (const name of ['planDeployments', 'normalizeSnapshot', 'parsePolicies', 'compileFormPolicy', 'AxiosHaloDataSource', 'PagedHaloDataSource', 'findUnknownReferences']) {
			expect(typeof (engine as unknown as Record<string, unknown>)[name]).toBe('function');
		}
		for (const internal of ['planNaive', 'generateSyntheticSnapshot', 'generateSyntheticPolicies', 'seededRandom']) {
			expect(internal in engine).toBe(false);
		}
		const snapshot = engine.normalizeSnapshot({
			clients: [{ id: 1, name: 'Acme' }],
			contracts: [{ id: 5, client_id: 1, contracttype: 7, contracttype_name: 'Managed Security', active: true }],
			assets: [{ id: 10, client_id: 1 }],
		});
		const policies = [{ id: 'p', software: 'Huntress', effect: 'deploy', conditions: { all: [{ fact: 'coverage', path: '$.client.contractTypes', operator: 'contains', value: 'Managed Security' }] } }];
		const plan = await engine.planDeployments(snapshot, policies, { date: '2025-06-15' });
		expect(plan.decision(10, 'Huntress')).toEqual(expect.objectContaining({ targeted: true, reasons: [expect.objectContaining({ policyId: 'p' })] }));
	});
});
