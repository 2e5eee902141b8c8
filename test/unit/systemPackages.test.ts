/**
 * scripts/system-packages.sh, which `npm start` and `npm test` run for python3, make, g++ and chromium.
 * apt-get and id are replaced on PATH by scripts that record their arguments, so the test sees exactly
 * what the script would ask apt-get to do, without touching the machine.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { REPO_ROOT } from '../../scripts/n8n-env';

const SCRIPT = path.join(REPO_ROOT, 'scripts', 'system-packages.sh');

function runScript(names: string[], user: number) {
	const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'system-packages-'));
	try {
		const calls = path.join(bin, 'apt-get.calls');
		fs.writeFileSync(path.join(bin, 'apt-get'), `#!/bin/sh\necho "$*" >> '${calls}'\n`, { mode: 0o755 });
		fs.writeFileSync(path.join(bin, 'id'), `#!/bin/sh\necho ${user}\n`, { mode: 0o755 });
		const result = spawnSync('bash', [SCRIPT, ...names], { encoding: 'utf8', env: { ...process.env, PATH: `${bin}:${process.env.PATH}` } });
		return {
			status: result.status,
			stderr: result.stderr,
			aptGet: fs.existsSync(calls) ? fs.readFileSync(calls, 'utf8').trim().split('\n') : [],
		};
	} finally {
		fs.rmSync(bin, { recursive: true, force: true });
	}
}

describe('system packages (scripts/system-packages.sh)', () => {
	it('does nothing when every command is there', () => {
		expect(runScript(['sh', 'bash'], 0)).toMatchObject({ status: 0, aptGet: [] });
	});

	it('as root, installs only the missing ones, without recommended packages, and upgrades nothing by itself', () => {
		const result = runScript(['sh', 'no-such-tool-a', 'bash', 'no-such-tool-b'], 0);
		expect(result.status).toBe(0);
		expect(result.aptGet).toEqual(['update -qq', 'install -y -qq --no-install-recommends no-such-tool-a no-such-tool-b']);
	});

	it('as another user, installs nothing and names the command to run', () => {
		const result = runScript(['sh', 'no-such-tool-a'], 1000);
		expect(result.status).toBe(1);
		expect(result.aptGet).toEqual([]);
		expect(result.stderr).toContain('no-such-tool-a not found. Install them (Debian: sudo apt-get install --no-install-recommends no-such-tool-a).');
	});
});
