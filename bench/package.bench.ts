/**
 * Bench: the n8n package as n8n installs and loads it. Ours is this build, packed; the peer is an
 * earlier build of the same package, a tarball named by PACKAGE_BASELINE_TARBALL and described by
 * PACKAGE_BASELINE_LABEL (for example the package as it was before its code was bundled: `npm pack`
 * in a clone of that commit, after `npm ci && npm run build`). Without it the peer column stays empty.
 *
 * Each tarball is installed into a user folder of its own the way n8n installs community packages
 * (`npm install <tarball>` in `<user folder>/.n8n/nodes`, scripts/n8n-env.ts), then loaded cold: a
 * fresh process of the n8n runtime's Node with n8n's node_modules on NODE_PATH (as n8n sets it for
 * community packages) loads n8n-workflow first (n8n has it loaded before it loads a community
 * package), then requires every node and credential file the package's `n8n` section names and
 * instantiates its class, as n8n's package loader does. The time is taken inside that process, from
 * before the first of those requires to after the last class; the two packages alternate,
 * LOAD_ROUNDS times.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { installedRuntime, installPackage, packPackage, type Runtime } from '../scripts/n8n-env';
import { log, percentile, type BenchResult, type Measure } from './support';

const LOAD_ROUNDS = 15;

interface Footprint {
	tarballBytes: number;
	unpackedBytes: number;
	tarballFiles: number;
	/** packages in <user folder>/.n8n/nodes/node_modules after the install */
	installedPackages: number;
	installedFiles: number;
	installedBytes: number;
	loadMs: number[];
}

function walk(folder: string): { files: number; bytes: number } {
	let files = 0;
	let bytes = 0;
	for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
		const full = path.join(folder, entry.name);
		if (entry.isDirectory()) {
			const inner = walk(full);
			files += inner.files;
			bytes += inner.bytes;
		} else if (entry.isFile()) {
			files += 1;
			bytes += fs.statSync(full).size;
		}
	}
	return { files, bytes };
}

/** The packages in a node_modules folder (a scope's packages count one each), npm's own files left out. */
function packagesIn(modules: string): string[] {
	return fs.readdirSync(modules).filter((entry) => !entry.startsWith('.')).flatMap((entry) =>
		entry.startsWith('@') ? fs.readdirSync(path.join(modules, entry)).map((name) => `${entry}/${name}`) : [entry],
	);
}

function tarballContents(tarball: string): { files: number; unpackedBytes: number } {
	const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'package-bench-unpacked-'));
	try {
		execFileSync('tar', ['-xzf', tarball, '-C', folder]);
		const { files, bytes } = walk(folder);
		return { files, unpackedBytes: bytes };
	} finally {
		fs.rmSync(folder, { recursive: true, force: true });
	}
}

const LOAD_SCRIPT = `
const path = require('node:path');
const dir = process.argv[1];
const { n8n } = require(path.join(dir, 'package.json'));
require('n8n-workflow');
const started = process.hrtime.bigint();
for (const file of [...n8n.nodes, ...n8n.credentials]) {
	const className = path.basename(file).split('.')[0];
	new (require(path.join(dir, file))[className])();
}
process.stdout.write(String(Number(process.hrtime.bigint() - started) / 1e6));
`;

function coldLoadMs(runtime: Runtime, packageDir: string): number {
	const result = spawnSync(path.join(runtime.nodeBin, 'node'), ['-e', LOAD_SCRIPT, packageDir], {
		cwd: os.tmpdir(),
		env: { PATH: process.env.PATH, NODE_PATH: runtime.nodeModules },
		encoding: 'utf8',
	});
	if (result.status !== 0) throw new Error(`loading ${packageDir} failed: ${result.stderr}`);
	return Number(result.stdout);
}

function install(runtime: Runtime, tarball: string, label: string): { footprint: Footprint; packageDir: string } {
	const userFolder = fs.mkdtempSync(path.join(os.tmpdir(), `package-bench-${label}-`));
	installPackage(runtime, userFolder, tarball, log);
	const modules = path.join(userFolder, '.n8n', 'nodes', 'node_modules');
	const installed = walk(modules);
	const { files, unpackedBytes } = tarballContents(tarball);
	return {
		packageDir: path.join(modules, 'n8n-nodes-halopsa-automation'),
		footprint: {
			tarballBytes: fs.statSync(tarball).size,
			unpackedBytes,
			tarballFiles: files,
			installedPackages: packagesIn(modules).length,
			installedFiles: installed.files,
			installedBytes: installed.bytes,
			loadMs: [],
		},
	};
}

const kilobytes = (bytes: number) => Math.round(bytes / 102.4) / 10;

export async function packageFootprint(): Promise<BenchResult> {
	const runtime = installedRuntime(log);
	const packFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'package-bench-pack-'));
	const ours = install(runtime, packPackage(packFolder, log), 'ours');
	const baselineTarball = process.env.PACKAGE_BASELINE_TARBALL;
	const baseline = baselineTarball ? install(runtime, path.resolve(baselineTarball), 'baseline') : undefined;

	// Alternating, so both meet the same machine load.
	for (let round = 0; round < LOAD_ROUNDS; round++) {
		ours.footprint.loadMs.push(coldLoadMs(runtime, ours.packageDir));
		if (baseline) baseline.footprint.loadMs.push(coldLoadMs(runtime, baseline.packageDir));
	}

	const peer = baseline?.footprint;
	const measure = (name: string, unit: string, pick: (footprint: Footprint) => number, limit?: string): Measure => ({
		measure: name,
		value: pick(ours.footprint),
		unit,
		peer: peer ? pick(peer) : 'no baseline given',
		...(limit ? { limit } : {}),
	});
	return {
		name: 'package: the n8n package as n8n installs and loads it',
		peer: baselineTarball ? `the same package, ${process.env.PACKAGE_BASELINE_LABEL ?? path.basename(baselineTarball)}` : undefined,
		measures: [
			measure('tarball size', 'KB', (footprint) => kilobytes(footprint.tarballBytes)),
			measure('unpacked size', 'KB', (footprint) => kilobytes(footprint.unpackedBytes)),
			measure('files in the tarball', '', (footprint) => footprint.tarballFiles),
			measure('packages the install puts in .n8n/nodes/node_modules', '', (footprint) => footprint.installedPackages, '1 (the package alone)'),
			measure('files the install puts there', '', (footprint) => footprint.installedFiles),
			measure('bytes the install puts there', 'KB', (footprint) => kilobytes(footprint.installedBytes)),
			measure(`cold load of its 4 nodes and 3 credentials, median of ${LOAD_ROUNDS}`, 'ms', (footprint) => percentile(footprint.loadMs, 0.5)),
			measure(`cold load, slowest of ${LOAD_ROUNDS}`, 'ms', (footprint) => Math.max(...footprint.loadMs)),
		],
		notes: [
			'Installed with `npm install <tarball> --legacy-peer-deps` in `<user folder>/.n8n/nodes`, as scripts/n8n-env.ts installs it for the e2e suite and npm start; n8n-workflow, a peer, is left to n8n.',
			'Cold load: a fresh process of the n8n runtime\'s Node 24 with n8n 2.41.1\'s node_modules on NODE_PATH loads n8n-workflow (n8n has it loaded already), then requires every file of the package\'s `n8n` section and instantiates its class, as n8n\'s package loader does; the time runs from the first of those requires to the last instance (the package\'s own dependencies included), the two packages alternating.',
			...(baselineTarball ? [] : ['No PACKAGE_BASELINE_TARBALL was given, so there is no peer to compare with.']),
		],
	};
}
