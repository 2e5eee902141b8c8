// Builds what the two packages of this repository ship (`npm run build` runs `gulp build`).
//
// n8n-nodes-halopsa-automation: each node and credential n8n loads is one file bundled by esbuild,
// with everything it uses inside it (the Halo client core, the engine, json-rules-engine) except
// n8n-workflow and luxon, which n8n provides: it puts its own modules on NODE_PATH for community
// packages. Next to the bundles go the icons, each node's codex (`<Name>.node.json`) and the
// licence texts of the bundled packages.
//
// halopsa-deployment-engine (packages/halopsa-deployment-engine: its manifest, README and build
// output): one bundle of engine/ and the Halo client core, its npm dependencies (axios,
// json-rules-engine, luxon) left to npm, and tsc's declarations for its users. Its sources stay in
// engine/ and halo-client/, which the n8n package bundles too: one source for both.
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const esbuild = require('esbuild');
const { dest, parallel, series, src, task } = require('gulp');

const ROOT = __dirname;
const ASSET_GLOBS = ['nodes/**/*.{png,svg}', 'nodes/**/*.node.json', 'credentials/**/*.{png,svg}'];

/** Copies the icons and codex files into `destination` (a stream that ends when every file is written). */
function copyAssets(destination = 'dist') {
	return src(ASSET_GLOBS, { base: '.', cwd: ROOT, encoding: false }).pipe(dest(destination, { cwd: ROOT }));
}

/**
 * json-rules-engine's own dependencies that n8n's rules for community packages do not allow in
 * shipped code, each replaced in the n8n package's bundles by a module written for those rules
 * (json-rules-engine-for-n8n/): eventemitter2 reads `process`, schedules with setTimeout and
 * setImmediate and builds a function from a string; jsonpath-plus requires `vm`; json-rules-engine's
 * debug logger reads `process.env` and the console. The engine package keeps the originals.
 */
const JSON_RULES_ENGINE_STAND_INS = {
	eventemitter2: 'json-rules-engine-for-n8n/eventemitter2.ts',
	'jsonpath-plus': 'json-rules-engine-for-n8n/jsonpath-plus.ts',
	'./debug': 'json-rules-engine-for-n8n/debug.ts',
};

const jsonRulesEngineForN8n = {
	name: 'json-rules-engine-for-n8n',
	setup(build) {
		build.onResolve({ filter: /^(eventemitter2|jsonpath-plus|\.\/debug)$/ }, (args) => {
			if (!/[\\/]node_modules[\\/]json-rules-engine[\\/]/.test(args.importer)) return undefined;
			return { path: path.join(ROOT, JSON_RULES_ENGINE_STAND_INS[args.path]) };
		});
	},
};

/** The source of each file the n8n section of package.json names: dist/nodes/X/X.node.js <- nodes/X/X.node.ts. */
function n8nEntryPoints() {
	const { n8n } = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
	return [...n8n.nodes, ...n8n.credentials].map((built) => path.join(ROOT, built.replace(/^dist\//, '').replace(/\.js$/, '.ts')));
}

/** Bundles the n8n package's nodes and credentials into `outdir`; resolves with esbuild's metafile. */
async function bundleN8nPackage(outdir = path.join(ROOT, 'dist')) {
	const result = await esbuild.build({
		entryPoints: n8nEntryPoints(),
		outdir,
		outbase: ROOT,
		bundle: true,
		platform: 'node',
		format: 'cjs',
		target: 'node20',
		external: ['n8n-workflow', 'luxon'],
		plugins: [jsonRulesEngineForN8n],
		metafile: true,
		logLevel: 'warning',
	});
	return result.metafile;
}

/** The npm packages an esbuild metafile's inputs come from: { name, version, license, dir }. */
function bundledPackages(metafile) {
	const dirs = new Set();
	for (const input of Object.keys(metafile.inputs)) {
		const match = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input.split(path.sep).join('/'));
		if (match) dirs.add(path.resolve(ROOT, match[1]));
	}
	return [...dirs].map((dir) => {
		const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
		return { name: pkg.name, version: pkg.version, license: pkg.license, dir };
	}).sort((a, b) => a.name.localeCompare(b.name));
}

/** Writes the name, version, licence and licence text of every package inside the bundles. */
function writeThirdPartyNotices(metafile, file) {
	const sections = bundledPackages(metafile).map(({ name, version, license, dir }) => {
		const licenceFile = fs.readdirSync(dir).find((entry) => /^licen[cs]e/i.test(entry));
		const text = licenceFile ? fs.readFileSync(path.join(dir, licenceFile), 'utf8').trim() : `Licence: ${license}`;
		return `## ${name} ${version} (${license})\n\n\`\`\`\n${text}\n\`\`\``;
	});
	fs.mkdirSync(path.dirname(file), { recursive: true });
	fs.writeFileSync(
		file,
		`# Third-party notices\n\nThe files of this package include code of the following packages.\n\n${sections.join('\n\n')}\n`,
	);
}

const ENGINE_PACKAGE = path.join(ROOT, 'packages', 'halopsa-deployment-engine');

/** Bundles engine/ (with the Halo client core) into the engine package's dist/index.js, its dependencies left to npm. */
async function bundleEnginePackage(outfile = path.join(ENGINE_PACKAGE, 'dist', 'index.js')) {
	const { dependencies } = JSON.parse(fs.readFileSync(path.join(ENGINE_PACKAGE, 'package.json'), 'utf8'));
	await esbuild.build({
		entryPoints: [path.join(ROOT, 'engine', 'index.ts')],
		outfile,
		bundle: true,
		platform: 'node',
		format: 'cjs',
		target: 'node20',
		external: Object.keys(dependencies),
		logLevel: 'warning',
	});
}

task('build:n8n-package', async () => {
	// Earlier builds' files must not reach the package: it ships dist/nodes and dist/credentials whole.
	for (const folder of ['nodes', 'credentials']) fs.rmSync(path.join(ROOT, 'dist', folder), { recursive: true, force: true });
	writeThirdPartyNotices(await bundleN8nPackage(), path.join(ROOT, 'dist', 'THIRD-PARTY-NOTICES.md'));
});
task('build:assets', () => copyAssets('dist'));
task('build:engine-package', async () => {
	fs.rmSync(path.join(ENGINE_PACKAGE, 'dist'), { recursive: true, force: true });
	await bundleEnginePackage();
	execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', path.join(ENGINE_PACKAGE, 'tsconfig.json')], { stdio: 'inherit' });
});
task('build', parallel(series('build:n8n-package', 'build:assets'), 'build:engine-package'));

module.exports = { bundleN8nPackage, bundledPackages, bundleEnginePackage, copyAssets, jsonRulesEngineForN8n };
