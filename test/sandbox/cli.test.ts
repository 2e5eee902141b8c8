import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ts from 'typescript';

const root = path.resolve(__dirname, '../..');
let outDir: string;
let cliScript: string;

/** Transpiles `file` and the relative modules it requires into `outDir`, mirroring the repo's layout. */
function transpile(file: string, done = new Set<string>()): string {
	const target = path.join(outDir, path.relative(root, file)).replace(/\.ts$/, '.js');
	if (done.has(file)) return target;
	done.add(file);
	const { outputText } = ts.transpileModule(fs.readFileSync(file, 'utf8'), {
		compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
	});
	fs.mkdirSync(path.dirname(target), { recursive: true });
	fs.writeFileSync(target, outputText);
	for (const [, specifier] of outputText.matchAll(/require\("(\.[^"]+)"\)/g)) {
		const base = path.resolve(path.dirname(file), specifier);
		transpile(fs.existsSync(`${base}.ts`) ? `${base}.ts` : path.join(base, 'index.ts'), done);
	}
	return target;
}

// The CLI runs from source, as `npm run sandbox` runs it from the build: plain node, real process.
beforeAll(() => {
	outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sandbox-cli-'));
	cliScript = transpile(path.join(root, 'sandbox', 'cli.ts'));
});
afterAll(() => fs.rmSync(outDir, { recursive: true, force: true }));

interface Run {
	code: number | null;
	stdout: string;
	stderr: string;
}

/** Starts the CLI; resolves when it exits, or (with `whenReady`) once it printed its banner. */
function cli(args: string[], whenReady?: (stdout: string, stop: () => Promise<Run>) => Promise<void>): Promise<Run> {
	const env: NodeJS.ProcessEnv = { ...process.env, NODE_PATH: path.join(root, 'node_modules') };
	delete env.HALO_SANDBOX_PORT;
	const child = spawn(process.execPath, [cliScript, ...args], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
	let stdout = '';
	let stderr = '';
	const exited = new Promise<Run>((resolve) => child.on('exit', (code) => resolve({ code, stdout, stderr })));
	// A CLI that should have refused its arguments but kept running is stopped and reported as such.
	const guard = setTimeout(() => child.kill('SIGKILL'), 20000);
	void exited.then(() => clearTimeout(guard));
	let ready = false;
	child.stdout.on('data', (chunk: Buffer) => {
		stdout += chunk.toString();
		if (whenReady && !ready && stdout.includes('Press Ctrl+C')) {
			ready = true;
			void whenReady(stdout, () => {
				child.kill('SIGTERM');
				return exited;
			});
		}
	});
	child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
	return exited;
}

describe('sandbox command line', () => {
	it.each([
		[['--rate-limit', 'abc'], /--rate-limit needs LIMIT\/WINDOW_MS, e.g. 300\/300000; got 'abc'/],
		[['--rate-limit', '0/1000'], /limit must be an integer from 1/],
		[['--port', 'abc'], /--port needs a whole number; got 'abc'/],
		[['--port', '70000'], /port must be an integer from 0 to 65535/],
		[['--token-lifetime', '1e3'], /--token-lifetime needs a whole number/],
		[['--dataset', 'generated', '--assets', '999999999'], /dataset.assets must be an integer from 0 to 250000/],
		[['--assets', '10'], /Generator sizes need --dataset generated/],
		[['--dataset', 'huge'], /Unknown dataset huge/],
		[['--port'], /--port needs a value/],
		[['--latency', '80ms'], /--latency needs a whole number; got '80ms'/],
		[['--token-latency', '99999'], /tokenLatencyMs must be an integer from 0 to 60000/],
	])('refuses %j with a message and exit code 1', async (args, message) => {
		const run = await cli(args);
		expect(run.stderr).toMatch(message);
		expect(run.code).toBe(1);
	});

	it('prints the URL and credentials of a working sandbox', async () => {
		let authinfo: unknown;
		const run = await cli(['--port', '0', '--dataset', 'generated', '--clients', '3', '--assets', '20', '--tickets', '5', '--latency', '80', '--token-latency', '250'], async (stdout, stop) => {
			const url = /Halo URL\s+(\S+)/.exec(stdout)![1];
			authinfo = await (await fetch(`${url}/api/authinfo`)).json();
			await stop();
		});
		expect(run.stdout).toMatch(/Client ID\s+sandbox-demo-client/);
		expect(run.stdout).toMatch(/Client Secret\s+sandbox-demo-secret/);
		expect(run.stdout).toMatch(/3 clients, 20 assets, 5 tickets/);
		expect(run.stdout).toMatch(/Latency\s+80 ms per API request, 250 ms per token request/);
		expect(authinfo).toEqual({ auth_url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/auth$/), tenant_id: 'sandbox' });
		expect(run.code).toBe(0);
	});
});
