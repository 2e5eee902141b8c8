/**
 * n8n-core reads its instance settings from N8N_USER_FOLDER the first time a node context is built,
 * and writes a settings file there. The harnesses get a temporary folder that is removed afterwards:
 * `npm run test:unit` makes one for the whole run (jest's global setup and teardown, below), anything
 * else that loads a harness (the benches) one per process, removed when the process exits.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export function createN8nUserFolder(): string {
	return fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-harness-'));
}

export function removeN8nUserFolder(folder: string | undefined): void {
	if (folder?.startsWith(path.join(os.tmpdir(), 'n8n-harness-'))) fs.rmSync(folder, { recursive: true, force: true });
}

/**
 * A folder of the process's own when none is set (n8n-core creates it when it first needs it, so a
 * process that loads a harness without running a node leaves nothing), removed when the process exits.
 */
export function ensureN8nUserFolder(): void {
	if (process.env.N8N_USER_FOLDER) return;
	const folder = path.join(os.tmpdir(), `n8n-harness-${process.pid}`);
	process.env.N8N_USER_FOLDER = folder;
	process.once('exit', () => removeN8nUserFolder(folder));
}
