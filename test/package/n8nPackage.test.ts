/**
 * The packed n8n package, what `npm publish` uploads, checked the way n8n checks community packages:
 * its package.json, what its files require, n8n's own scanner on the unpacked tarball and on this
 * repository's source (scripts/scan-package.mjs), and its nodes and credentials loaded in a fresh
 * Node process the way n8n's loader loads them.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import type { Packed } from './packing';
import { pack, ROOT, run, temporaryFolder } from './packing';

const SCAN_SCRIPT = path.join(ROOT, 'scripts', 'scan-package.mjs');
/** What n8n lets a community package require (n8n-workflow and luxon come from n8n itself). */
const ALLOWED_REQUIRES = ['n8n-workflow', 'luxon', 'crypto', 'node:crypto'];

/** Runs the scanner as n8n does: not in jest's NODE_ENV=test, under which the n8n-nodes-base rules read file names differently. */
function scan(folder: string, leg: string) {
	const env = { ...process.env };
	delete env.NODE_ENV;
	const result = run(process.execPath, [SCAN_SCRIPT, folder, leg], { cwd: ROOT, env });
	return JSON.parse(result.stdout) as { passed: boolean; errors: number; warnings: number; files: number; details: string };
}

const folder = temporaryFolder('n8n-package-');
let packed: Packed;
let manifest: Record<string, any>;
const shippedScripts = () => packed.files.map((file) => file.path).filter((file) => file.endsWith('.js'));

beforeAll(() => {
	packed = pack(folder);
	manifest = JSON.parse(fs.readFileSync(path.join(packed.unpacked, 'package.json'), 'utf8'));
});

describe('the packed n8n package', () => {
	it('has no dependencies, only n8n-workflow as a peer, and n8n strict mode', () => {
		expect(manifest.dependencies).toBeUndefined();
		expect(manifest.peerDependencies).toEqual({ 'n8n-workflow': '*' });
		expect(manifest.n8n.strict).toBe(true);
		expect(manifest.main).toBeUndefined();
	});

	it('ships one bundle per node and credential n8n loads, their icons and codex files, the notices and the README: no declarations, maps or sources', () => {
		const files = packed.files.map((file) => file.path).sort();
		const named = [...manifest.n8n.nodes, ...manifest.n8n.credentials];
		expect(shippedScripts().sort()).toEqual([...named].sort());
		for (const file of files) {
			expect(file).toMatch(/^(dist\/(nodes|credentials)\/.+\.(node\.js|credentials\.js|svg|node\.json)|dist\/THIRD-PARTY-NOTICES\.md|README\.md|package\.json)$/);
		}
		for (const node of manifest.n8n.nodes as string[]) {
			expect(files).toContain(node.replace(/\.js$/, '.json'));
		}
	});

	it('requires only what n8n provides from its files, and holds no axios', () => {
		const required = new Set<string>();
		for (const file of shippedScripts()) {
			const text = fs.readFileSync(path.join(packed.unpacked, file), 'utf8');
			for (const match of text.matchAll(/\brequire\(\s*["']([^"']+)["']\s*\)/g)) required.add(match[1]);
			expect(text).not.toMatch(/axios/i);
		}
		expect([...required].sort()).toEqual(expect.arrayContaining(['luxon', 'n8n-workflow']));
		expect([...required].filter((name) => !ALLOWED_REQUIRES.includes(name))).toEqual([]);
	});

	it('names every package bundled into its files, with its licence text', () => {
		const notices = fs.readFileSync(path.join(packed.unpacked, 'dist', 'THIRD-PARTY-NOTICES.md'), 'utf8');
		for (const name of ['json-rules-engine', 'clone', 'hash-it']) expect(notices).toMatch(new RegExp(`^## ${name} \\S+ \\((MIT|ISC)\\)$`, 'm'));
		expect(notices).not.toMatch(/^## (axios|eventemitter2|jsonpath-plus) /m);
		expect(notices).toContain('Permission');
	});

	it.each([
		['tarball', 'every .js, .ts and .json file of the tarball'],
		['dist', 'what n8n scans of a published tarball'],
	])("passes n8n's scanner with no error and no warning: %s (%s)", (leg) => {
		const report = scan(packed.unpacked, leg);
		expect(report).toMatchObject({ passed: true, errors: 0, warnings: 0, details: '' });
		expect(report.files).toBeGreaterThanOrEqual(shippedScripts().length);
	});

	it('loads in a fresh Node process as n8n loads it, with n8n-workflow and luxon from NODE_PATH', () => {
		const load = `
			const path = require('node:path');
			const dir = process.argv[1];
			const { n8n } = require(path.join(dir, 'package.json'));
			const loaded = [...n8n.nodes, ...n8n.credentials].map((file) => {
				const className = path.basename(file).split('.')[0];
				const instance = new (require(path.join(dir, file))[className])();
				return instance.description ? instance.description.name : instance.name;
			});
			console.log(JSON.stringify(loaded));
		`;
		// A folder with no node_modules of its own: only NODE_PATH can resolve n8n-workflow and luxon, as in n8n.
		const result = run(process.execPath, ['-e', load, packed.unpacked], {
			cwd: packed.unpacked,
			env: { ...process.env, NODE_PATH: path.join(ROOT, 'node_modules') },
		});
		expect(result.stderr).toBe('');
		expect(JSON.parse(result.stdout)).toEqual([
			'haloPsa',
			'haloPsaTrigger',
			'haloPsaCustomTabTrigger',
			'deploymentTargets',
			'haloPsaAutomationApi',
			'haloPsaAutomationWebhookAuthApi',
			'haloPsaCustomTabKeyApi',
		]);
	});
});

describe("this repository's source", () => {
	it("lints every source file the package's bundles are built from with n8n-node lint's rules (npm run lint)", async () => {
		const { bundleN8nPackage } = require('../../gulpfile.js') as { bundleN8nPackage: (outdir: string) => Promise<{ inputs: Record<string, unknown> }> };
		const metafile = await bundleN8nPackage(path.join(folder, 'bundles'));
		const sources = Object.keys(metafile.inputs).filter((input) => !input.includes('node_modules/'));
		expect(sources).toEqual(expect.arrayContaining(['nodes/transport/index.ts', 'halo-client/request.ts', 'engine/plan/planner.ts', 'json-rules-engine-for-n8n/eventemitter2.ts']));
		// ESLint loads this repository's eslint.config.mjs (ESM) in a process of its own.
		const check = `
			const { ESLint } = require('eslint');
			(async () => {
				const eslint = new ESLint({ cwd: process.cwd() });
				const files = JSON.parse(process.argv[1]);
				const unlinted = [];
				for (const file of files) {
					const config = (await eslint.isPathIgnored(file)) ? undefined : await eslint.calculateConfigForFile(file);
					const level = config && config.rules && config.rules['@n8n/community-nodes/no-restricted-globals'];
					if (!level || [].concat(level)[0] !== 2) unlinted.push(file);
				}
				console.log(JSON.stringify(unlinted));
			})();
		`;
		const result = run(process.execPath, ['-e', check, JSON.stringify(sources)], { cwd: ROOT });
		expect(result.stderr).toBe('');
		expect(JSON.parse(result.stdout)).toEqual([]);
	});

	it("passes the scanner's source leg with no error and no warning: package.json, nodes/ and credentials/", () => {
		expect(fs.readdirSync(path.join(ROOT, 'nodes'))).toContain('transport');
		const report = scan(ROOT, 'source');
		expect(report).toMatchObject({ passed: true, errors: 0, warnings: 0 });
		expect(report.files).toBeGreaterThan(50);
	});
});
