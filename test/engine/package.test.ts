/**
 * The engine's boundaries: it never imports n8n (scripts outside n8n run it), nor does the Halo client
 * core it shares with the nodes; and the engine package's built entry hands out the public API and
 * nothing meant for tests.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');
const ENGINE = path.join(ROOT, 'engine');
const HALO_CLIENT = path.join(ROOT, 'halo-client');
const ENGINE_PACKAGE = path.join(ROOT, 'packages', 'halopsa-deployment-engine');

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
	/** What the files under `folder` import that they may not: n8n, packages not listed, folders not listed. */
	function forbiddenImports(folder: string, allowedFolders: string[], allowedPackages: string[]): { offending: string[]; relative: number } {
		const offending: string[] = [];
		let relative = 0;
		for (const file of sourceFiles(folder)) {
			for (const specifier of specifiers(fs.readFileSync(file, 'utf8'))) {
				const where = `${path.relative(ROOT, file)}: ${specifier}`;
				if (/(^|\/)n8n/.test(specifier)) offending.push(where);
				else if (specifier.startsWith('.')) {
					relative++;
					const target = path.resolve(path.dirname(file), specifier);
					if (!allowedFolders.some((allowed) => target === allowed || target.startsWith(`${allowed}${path.sep}`))) offending.push(where);
				} else if (!allowedPackages.includes(specifier) && !specifier.startsWith('node:')) offending.push(where);
			}
		}
		return { offending, relative };
	}

	it('no file under engine/ imports n8n or anything outside engine/ but the Halo client core', () => {
		expect(sourceFiles(ENGINE).length).toBeGreaterThan(15);
		const { offending, relative } = forbiddenImports(ENGINE, [ENGINE, HALO_CLIENT], ['axios', 'json-rules-engine', 'luxon']);
		expect(relative).toBeGreaterThan(20);
		expect(offending).toEqual([]);
	});

	it('no file under halo-client/ imports n8n, a package, or anything outside halo-client/', () => {
		expect(sourceFiles(HALO_CLIENT).length).toBeGreaterThan(5);
		const { offending, relative } = forbiddenImports(HALO_CLIENT, [HALO_CLIENT], []);
		expect(relative).toBeGreaterThan(5);
		expect(offending).toEqual([]);
	});

	it('the engine package gives scripts the built planner, data sources and policy tools, without the test helpers', async () => {
		const built = path.join(ENGINE_PACKAGE, 'dist/index.js');
		if (!fs.existsSync(built)) throw new Error(`${built} is missing: run \`npm run build\` before this test`);
		// what a script outside n8n gets from require('halopsa-deployment-engine')
		const engine = require(ENGINE_PACKAGE) as typeof import('../../engine');
		expect(require.resolve(ENGINE_PACKAGE)).toBe(built);
		for (const name of ['planDeployments', 'normalizeSnapshot', 'parsePolicies', 'compileFormPolicy', 'AxiosHaloDataSource', 'PagedHaloDataSource', 'findUnknownReferences', 'HaloAuthenticationError', 'HaloRequestError']) {
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
