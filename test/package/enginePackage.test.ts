/**
 * The engine package (halopsa-deployment-engine), packed as `npm publish --workspace engine` would
 * upload it, installed from that tarball into an empty folder as its users install it, then the
 * example of its README run there, as written, against the Halo sandbox.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { useHaloSandbox } from '../helpers/sandbox';
import type { Packed } from './packing';
import { pack, ROOT, run, runAsync, temporaryFolder } from './packing';

const fixture = useHaloSandbox({ dataset: 'demo', requireTenant: 'acme' });
const folder = temporaryFolder('engine-package-');
const consumer = path.join(folder, 'consumer');
let packed: Packed;

/** The README's example: the first `js` block after "## Use". */
function readmeExample(): string {
	const readme = fs.readFileSync(path.join(ROOT, 'packages', 'halopsa-deployment-engine', 'README.md'), 'utf8');
	const use = readme.slice(readme.indexOf('\n## Use'));
	const match = /```js\n([\s\S]*?)```/.exec(use);
	if (!match) throw new Error('packages/halopsa-deployment-engine/README.md has no js example under "## Use"');
	return match[1];
}

beforeAll(() => {
	packed = pack(folder, 'halopsa-deployment-engine');
	fs.mkdirSync(consumer);
	fs.writeFileSync(path.join(consumer, 'package.json'), JSON.stringify({ name: 'engine-consumer', private: true }));
	const install = run('npm', ['install', packed.tarball, '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'], { cwd: consumer, timeoutMs: 170_000 });
	if (install.status !== 0) throw new Error(`npm install of the engine tarball failed:\n${install.stderr}`);
}, 180_000);

describe('the engine package', () => {
	it('ships its bundle, its declarations and its README, with axios, json-rules-engine and luxon as dependencies', () => {
		const manifest = JSON.parse(fs.readFileSync(path.join(packed.unpacked, 'package.json'), 'utf8'));
		expect(manifest.name).toBe('halopsa-deployment-engine');
		expect(Object.keys(manifest.dependencies).sort()).toEqual(['axios', 'json-rules-engine', 'luxon']);
		const files = packed.files.map((file) => file.path);
		expect(files).toEqual(expect.arrayContaining(['dist/index.js', 'README.md', 'package.json', manifest.types]));
		for (const file of files) expect(file).toMatch(/^(dist\/index\.js|dist\/types\/.+\.d\.ts|README\.md|package\.json)$/);
	});

	it('installs from its tarball into an empty folder with its dependencies', () => {
		const installed = fs.readdirSync(path.join(consumer, 'node_modules'));
		expect(installed).toEqual(expect.arrayContaining(['halopsa-deployment-engine', 'axios', 'json-rules-engine', 'luxon']));
		expect(fs.existsSync(path.join(consumer, 'node_modules', 'halopsa-deployment-engine', 'dist', 'index.js'))).toBe(true);
	});

	it("runs its README's example there against the sandbox: the changes, why the firewall gets no SentinelOne, the licence pools", async () => {
		fs.writeFileSync(path.join(consumer, 'plan.mjs'), readmeExample());
		const result = await runAsync(process.execPath, ['plan.mjs'], {
			cwd: consumer,
			env: {
				PATH: process.env.PATH,
				HALO_URL: fixture.sandbox.baseUrl,
				HALO_CLIENT_ID: fixture.sandbox.clientId,
				HALO_CLIENT_SECRET: fixture.sandbox.clientSecret,
				HALO_TENANT: 'acme',
			},
		});
		expect(result.stderr).toBe('');
		expect(result.status).toBe(0);
		const lines = result.stdout.trim().split('\n');
		// Northwind Dental Group's machines are named NWD-...
		expect(lines).toEqual(expect.arrayContaining([expect.stringMatching(/^install NWD-\S+ Huntress$/), expect.stringMatching(/^install NWD-\S+ SentinelOne$/)]));
		// whyNot's summary for the firewall: the SentinelOne policy's conditions and what they found.
		expect(result.stdout).toMatch(/'s1 does not apply: conditions\.any\[0\]: coverage \$\.contract\.items containsAny \["S1-CORE"\] \(actual /);
		expect(lines).toContain('SentinelOne NWD-MSEC-2025 5 5 matched');
		const store = (fixture.sandbox.state as unknown as { store: { assets: { all(): Array<{ id: number; key_field: string }> } } }).store;
		const xray = store.assets.all().find((asset) => asset.key_field === 'NWD-OLD-XRAY')!;
		expect(lines).toContain(`SentinelOne asset ${xray.id} 0 1 over-billed`);
	});
});
