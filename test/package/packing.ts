/** `npm pack` of this repository's packages into a temporary folder, and unpacking, for the package tests. */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const ROOT = path.resolve(__dirname, '../..');

export interface Packed {
	tarball: string;
	/** the files in the tarball, as npm lists them */
	files: Array<{ path: string; size: number }>;
	/** the tarball's size in bytes */
	size: number;
	/** the tarball unpacked (its `package/` folder) */
	unpacked: string;
}

/** A temporary folder (in the system's temporary folder unless `parent` is given) removed after the test file. */
export function temporaryFolder(prefix: string, parent = os.tmpdir()): string {
	fs.mkdirSync(parent, { recursive: true });
	const folder = fs.mkdtempSync(path.join(parent, prefix));
	afterAll(() => fs.rmSync(folder, { recursive: true, force: true }));
	return folder;
}

/** Packs the root package, or a workspace, into `folder` and unpacks it there. Needs `npm run build` first. */
export function pack(folder: string, workspace?: string): Packed {
	const args = ['pack', '--json', '--pack-destination', folder, ...(workspace ? ['--workspace', workspace] : [])];
	const out = execFileSync('npm', args, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
	const [info] = JSON.parse(out.slice(out.indexOf('['))) as Array<{ filename: string; size: number; files: Array<{ path: string; size: number }> }>;
	const tarball = path.join(folder, path.basename(info.filename));
	const unpacked = path.join(folder, `${path.basename(info.filename, '.tgz')}-unpacked`);
	fs.mkdirSync(unpacked);
	execFileSync('tar', ['-xzf', tarball, '-C', unpacked, '--strip-components=1']);
	return { tarball, files: info.files, size: info.size, unpacked };
}

/** Runs a command; resolves with its output and status, never throws for a failed status. */
export function run(command: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number }) {
	const result = spawnSync(command, args, {
		cwd: options.cwd,
		env: options.env ?? process.env,
		encoding: 'utf8',
		timeout: options.timeoutMs ?? 120_000,
		maxBuffer: 32 * 1024 * 1024,
	});
	return { status: result.status, stdout: result.stdout ?? '', stderr: result.stderr ?? '' };
}

/**
 * Like {@link run}, without blocking this process: for commands that talk to a server this process
 * runs (the sandbox), which a blocking run would keep from answering.
 */
export async function runAsync(command: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number }) {
	return await new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve, reject) => {
		const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, timeout: options.timeoutMs ?? 120_000 });
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
		child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
		child.on('error', reject);
		child.on('close', (status) => resolve({ status, stdout, stderr }));
	});
}
