/**
 * `npm start` as a user runs it. First the README's command itself, `npm start` on the default ports
 * (5678 for n8n, 5680 for the sandbox: the one test of the suite that uses fixed ports, because the
 * defaults are what it checks) in a fresh user folder. Then `node dist/scripts/n8n-env.js start` (what
 * scripts/start.sh runs after building) in a user folder, sandbox and ports of its own beside the suite's
 * n8n; those runs share the user folder in order, like a user starting it again: Ctrl-C while n8n starts;
 * a full start with the editor, the login, and a note added in the sandbox reaching the chat sink through
 * the published trigger; HALO_URL without and with a public WEBHOOK_URL. Ctrl-C goes to the command's
 * whole process group, as a terminal sends it; after each one nothing may be left running.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';

import { haloWebhooks, waitForWebhookRegistration } from '../../bench/real-n8n';
import { freePort, isPublished, REPO_ROOT, startSandbox, type HaloSandboxHandle } from '../../scripts/n8n-env';
import { until } from './helpers/n8n';
import { loadState } from './helpers/state';

const state = loadState();
const ENTRY = path.join(REPO_ROOT, 'dist', 'scripts', 'n8n-env.js');
const OUTBOUND = { id: 'NoteRoutingOut01', webhookId: webhookIdOf('note-routing-outbound.json', 'HaloPSA note added') };
/** A start prepares the user folder (n8n CLI calls) and starts n8n: minutes on a busy 2-core machine. */
const START_TIMEOUT = 420_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
type Row = Record<string, any>;

function webhookIdOf(file: string, node: string): string {
	const json = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'workflows', file), 'utf8')) as { nodes: Row[] };
	return String(json.nodes.find((candidate) => candidate.name === node)!.webhookId);
}


/** Processes of a process group that are still running (zombies left to a non-reaping PID 1 do not count). */
function liveProcessesOfGroup(groupId: number): number[] {
	const live: number[] = [];
	for (const entry of fs.readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) continue;
		try {
			const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
			// pid (comm) state ppid pgrp ...; comm may contain spaces and parentheses.
			const [processState, , processGroup] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
			if (Number(processGroup) === groupId && processState !== 'Z' && processState !== 'X') live.push(Number(entry));
		} catch {
			/* exited meanwhile */
		}
	}
	return live;
}

interface StartRun {
	child: ChildProcess;
	stdout: () => string;
	output: () => string;
	/** The exit code, or the signal that ended the command. */
	exited: Promise<number | NodeJS.Signals | null>;
	/** The first match of `pattern` in everything the command printed so far or later. */
	waitFor(pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray>;
	/** n8n's pid (its own process group), once printed. */
	n8nPid(): number | undefined;
}

const userFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'halopsa-start-'));
const n8nGroups = new Set<number>();
const runs: StartRun[] = [];

/** `node dist/scripts/n8n-env.js start` in this file's user folder, n8n's own log not echoed. */
function npmStart(env: NodeJS.ProcessEnv): StartRun {
	return startCommand(process.execPath, [ENTRY, 'start'], { ...process.env, N8N_START_USER_FOLDER: userFolder, N8N_START_QUIET: '1', ...env });
}

/** A command in a process group of its own (its pid is the group's id), so Ctrl-C can go to the whole group. */
function startCommand(command: string, args: string[], env: NodeJS.ProcessEnv): StartRun {
	const child = spawn(command, args, { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
	let stdout = '';
	let all = '';
	child.stdout!.on('data', (chunk: Buffer) => {
		stdout += chunk.toString();
		all += chunk.toString();
	});
	child.stderr!.on('data', (chunk: Buffer) => {
		all += chunk.toString();
	});
	const exited = new Promise<number | NodeJS.Signals | null>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal)));
	let done = false;
	void exited.then(() => (done = true));
	const n8nPid = () => {
		const pid = /starting n8n on port \d+ \(pid (\d+)/.exec(all)?.[1];
		if (pid) n8nGroups.add(Number(pid));
		return pid ? Number(pid) : undefined;
	};
	const run: StartRun = {
		child,
		stdout: () => stdout,
		output: () => all,
		exited,
		n8nPid,
		async waitFor(pattern, timeoutMs) {
			const deadline = Date.now() + timeoutMs;
			for (;;) {
				n8nPid();
				const match = pattern.exec(all);
				if (match) return match;
				if (done || Date.now() > deadline) {
					throw new Error(`npm start ${done ? 'exited' : 'did not print'} ${pattern} ${done ? 'before printing it' : `within ${timeoutMs / 1000} s`}:\n${all.slice(-4000)}`);
				}
				await sleep(200);
			}
		},
	};
	runs.push(run);
	return run;
}

/**
 * Ctrl-C, then: the command ends by itself (`ending`: our script exits 0; npm, like other node CLIs, ends
 * by the SIGINT it got once its script is done) and leaves no n8n, task runner or sandbox behind.
 */
async function interruptAndExpectNothingLeft(run: StartRun, ports: number[], ending: number | NodeJS.Signals = 0): Promise<void> {
	const pid = run.n8nPid();
	expect(pid).toBeDefined();
	// What a terminal's Ctrl-C does: SIGINT to every process of the foreground group.
	process.kill(-run.child.pid!, 'SIGINT');
	expect(await run.exited).toBe(ending);
	await until('the n8n process group to end', () => liveProcessesOfGroup(pid!).length === 0, 30_000).catch(() => undefined);
	expect({ n8nProcessesLeft: liveProcessesOfGroup(pid!) }).toEqual({ n8nProcessesLeft: [] });
	for (const port of ports) expect({ port, listening: await listening(port) }).toEqual({ port, listening: false });
}

async function listening(port: number): Promise<boolean> {
	return (await freePort(port)) !== port;
}

/** The banner's values: `  Editor:    http://...`. */
function banner(run: StartRun): Record<string, string> {
	return Object.fromEntries(
		[...run.stdout().matchAll(/^ {2}([A-Za-z ]+?):\s+(.+)$/gm)].map(([, key, value]) => [key, value.trim()]),
	);
}

async function login(editor: string, email: string, password: string): Promise<string> {
	const answer = await fetch(`${editor}rest/login`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', 'browser-id': 'halopsa-start-test' },
		body: JSON.stringify({ emailOrLdapLoginId: email, password }),
	});
	expect(answer.status).toBe(200);
	return answer.headers.getSetCookie().find((cookie) => cookie.startsWith('n8n-auth='))!.split(';')[0];
}

async function workflowOf(editor: string, cookie: string, id: string): Promise<Row> {
	const answer = await fetch(`${editor}rest/workflows/${id}`, { headers: { cookie, 'browser-id': 'halopsa-start-test' } });
	expect(answer.status).toBe(200);
	return ((await answer.json()) as { data: Row }).data;
}

let n8nPort: number;
let sandboxPort: number;
let userHalo: HaloSandboxHandle | undefined;
let squatter: http.Server | undefined;
const squatterRequests: string[] = [];

beforeAll(async () => {
	n8nPort = await freePort(undefined, [state.port]);
	sandboxPort = await freePort(undefined, [state.port, n8nPort]);
});

afterAll(async () => {
	for (const run of runs) {
		try {
			if (run.child.exitCode === null) process.kill(-run.child.pid!, 'SIGKILL');
		} catch {
			/* gone */
		}
	}
	// Only if a test failed: an n8n that outlived its npm start.
	for (const group of n8nGroups) {
		try {
			process.kill(-group, 'SIGKILL');
		} catch {
			/* gone, as it should be */
		}
	}
	squatter?.close();
	await userHalo?.stop();
	if (process.env.E2E_KEEP !== '1') {
		fs.rmSync(userFolder, { recursive: true, force: true });
		fs.rmSync(defaultsFolder, { recursive: true, force: true });
	}
});

/** The README's defaults: n8n on 5678, the sandbox on 5680. */
const DEFAULT_PORTS = [5678, 5680];
/** A fresh user folder, like a first start (not the developer's own demo folder in ~/.cache). */
const defaultsFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'halopsa-start-defaults-'));

/** Every setting scripts/start.sh reads, so the run gets the defaults as a user who set nothing does. */
const START_SETTINGS = /^(N8N_PORT|HALO_SANDBOX_PORT|N8N_START_\w+|N8N_OWNER_\w+|N8N_ENCRYPTION_KEY|N8N_LISTEN_ADDRESS|WEBHOOK_URL|HALO_\w+|CHAT_\w+|RMM_URL)$/;

function asTyped(): NodeJS.ProcessEnv {
	const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !START_SETTINGS.test(name)));
	return { ...env, N8N_START_USER_FOLDER: defaultsFolder };
}

/** Waits (up to 2 minutes) for the default ports to be free, and names them when they stay taken. */
async function waitForFreePorts(ports: number[], timeoutMs = 120_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const busy: number[] = [];
		for (const port of ports) if (await listening(port)) busy.push(port);
		if (busy.length === 0) return;
		if (Date.now() > deadline) {
			throw new Error(
				`port ${busy.join(' and ')} is still in use after ${timeoutMs / 1000} s: this test runs npm start on its default ports ` +
					`(${ports.join(', ')}); stop what holds them (ss -ltnp | grep -E ':${ports.join('|:')}') and run it again`,
			);
		}
		await sleep(1000);
	}
}

describe('npm start as the README types it', () => {
	it('runs on the default ports: n8n on 5678, the sandbox on 5680 with the samples pointed at it; Ctrl-C leaves nothing', async () => {
		await waitForFreePorts(DEFAULT_PORTS);
		const run = startCommand('npm', ['start'], asTyped());
		await run.waitFor(/Press Ctrl-C to stop everything/, 360_000);
		expect(run.output()).not.toContain('[start] ERROR');
		const shown = banner(run);
		expect(shown.Editor).toBe('http://127.0.0.1:5678/');
		expect(shown.Halo).toBe('http://127.0.0.1:5680 (sandbox, demo dataset)');
		expect(shown.Sinks).toBe(['rmm', 'chat-customer', 'chat-internal'].map((name) => `http://127.0.0.1:5680/_sandbox/sink/${name}`).join(', '));

		expect(await (await fetch('http://127.0.0.1:5678/healthz')).json()).toEqual({ status: 'ok' });
		const cookie = await login(shown.Editor, 'admin@example.com', 'HaloDemo-2024!');
		const deployments = await workflowOf(shown.Editor, cookie, 'ContractDeploy01');
		expect(deployments.nodes.find((node: Row) => node.name === 'Send plan to RMM').parameters.url).toBe('http://127.0.0.1:5680/_sandbox/sink/rmm');
		expect(isPublished(await workflowOf(shown.Editor, cookie, OUTBOUND.id))).toBe(true);
		// The technician tab as printed, with the demo key; without the key, 401 and an empty page.
		expect(shown['Technician tab']).toBe('http://127.0.0.1:5678/webhook/technician-tab?ticket_id=2&key=sandbox-technician-tab-key');
		const tabPage = await until('the technician tab to answer', async () => {
			const answer = await fetch(shown['Technician tab']);
			return answer.status === 200 ? await answer.text() : undefined;
		});
		expect(tabPage).toContain('Northwind Dental Group');
		const stranger = await fetch(shown['Technician tab'].replace(/&key=.*$/, ''));
		expect({ status: stranger.status, body: await stranger.text() }).toEqual({ status: 401, body: '' });
		// What the editor asks for when it lists nodes: n8n's catalogue of community nodes, from n8n's servers.
		const nodeTypes = await fetch(`${shown.Editor}rest/community-node-types`, { headers: { cookie, 'browser-id': 'halopsa-start-test' } });
		expect(nodeTypes.status).toBe(200);
		// n8n called no server of n8n's (offline, each call logged a stack trace).
		const n8nLog = fs.readFileSync(path.join(defaultsFolder, 'n8n.log'), 'utf8');
		expect({ callsHome: n8nLog.match(/.*api\.n8n\.io.*/g), stackTraces: n8nLog.match(/^\s+at .*/gm) }).toEqual({ callsHome: null, stackTraces: null });

		await interruptAndExpectNothingLeft(run, DEFAULT_PORTS, 'SIGINT');
	}, START_TIMEOUT);
});

describe('npm start (node dist/scripts/n8n-env.js start)', () => {
	it('stops n8n when Ctrl-C comes while n8n is still starting (first start: samples imported and published)', async () => {
		const run = npmStart({ N8N_PORT: String(n8nPort), HALO_SANDBOX_PORT: String(sandboxPort) });
		await run.waitFor(/starting n8n on port \d+ \(pid \d+/, 240_000);
		expect(run.output()).not.toContain('n8n is running');
		await interruptAndExpectNothingLeft(run, [n8nPort, sandboxPort]);
	}, START_TIMEOUT);

	it('prints the editor and login; n8n answers; a note added in Halo reaches the chat sink; Ctrl-C leaves nothing running', async () => {
		// The sandbox's port from the first start is taken now: the sandbox moves and the samples' sink URLs follow it.
		squatter = http.createServer((req, res) => {
			squatterRequests.push(`${req.method} ${req.url}`);
			res.end('{}');
		});
		await new Promise<void>((resolve) => squatter!.listen(sandboxPort, '127.0.0.1', resolve));
		const closedPort = await freePort(undefined, [n8nPort, sandboxPort]);
		const run = npmStart({
			N8N_PORT: String(n8nPort),
			HALO_SANDBOX_PORT: String(sandboxPort),
			// A developer's own n8n settings (Postgres, a Redis queue, other nodes) must not reach the demo's n8n.
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: '127.0.0.1',
			DB_POSTGRESDB_PORT: String(closedPort),
			EXECUTIONS_MODE: 'queue',
			QUEUE_BULL_REDIS_HOST: '127.0.0.1',
			QUEUE_BULL_REDIS_PORT: String(closedPort),
			N8N_CUSTOM_EXTENSIONS: path.join(userFolder, 'no-such-folder'),
		});
		await run.waitFor(/Press Ctrl-C to stop everything/, 300_000);
		const shown = banner(run);
		expect(shown.Editor).toBe(`http://127.0.0.1:${n8nPort}/`);
		expect(shown.Login).toBe('admin@example.com / HaloDemo-2024!');
		const sandboxUrl = /^(http:\/\/127\.0\.0\.1:(\d+)) \(sandbox, demo dataset\)$/.exec(shown.Halo);
		expect(sandboxUrl).not.toBeNull();
		expect(Number(sandboxUrl![2])).not.toBe(sandboxPort);
		expect(run.output()).toContain(`port ${sandboxPort} is in use`);

		expect(await (await fetch(`${shown.Editor}healthz`)).json()).toEqual({ status: 'ok' });
		const cookie = await login(shown.Editor, 'admin@example.com', 'HaloDemo-2024!');
		expect(isPublished(await workflowOf(shown.Editor, cookie, OUTBOUND.id))).toBe(true);

		const sandbox = { baseUrl: sandboxUrl![1], clientId: state.sandboxClientId, clientSecret: state.sandboxClientSecret };
		await waitForWebhookRegistration(sandbox, OUTBOUND.webhookId);
		const note = `npm start check ${Date.now()}: the printer works again`;
		const added = await fetch(`${sandbox.baseUrl}/_sandbox/simulate/agent-note`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ ticket_id: 1, note, hiddenfromuser: false }),
		});
		expect(added.status).toBe(200);
		const forwarded = await until('the note in the chat-customer sink', async () =>
			((await (await fetch(`${sandbox.baseUrl}/_sandbox/sink/chat-customer`)).json()) as Row[]).find((entry) => entry.body?.text === note),
		);
		expect(forwarded).toMatchObject({ method: 'POST', body: { channel: 'customer', ticket_id: 1, client: 'Northwind Dental Group' } });
		expect(squatterRequests).toEqual([]);

		await interruptAndExpectNothingLeft(run, [n8nPort, Number(sandboxUrl![2])]);
	}, START_TIMEOUT);

	it('with HALO_URL and no public WEBHOOK_URL: publishes no Halo trigger (no webhook in that Halo) and no schedule; RMM_URL is used', async () => {
		squatter?.close();
		squatter = undefined;
		userHalo = await startSandbox({ port: await freePort(undefined, [n8nPort, sandboxPort]) });
		const rmmUrl = 'https://rmm.example.com/api/deployments';
		const run = npmStart({
			N8N_PORT: String(n8nPort),
			HALO_SANDBOX_PORT: String(sandboxPort),
			HALO_URL: userHalo.baseUrl,
			HALO_CLIENT_ID: userHalo.clientId,
			HALO_CLIENT_SECRET: userHalo.clientSecret,
			RMM_URL: rmmUrl,
		});
		await run.waitFor(/Press Ctrl-C to stop everything/, 300_000);
		const shown = banner(run);
		expect(shown.Halo).toBe(userHalo.baseUrl);
		expect(run.stdout()).toMatch(/Not published: Note routing: HaloPSA to chat: it subscribes to an event by the sandbox's own number/);
		expect(run.stdout()).toMatch(/Not published: Contract deployments: its schedule would write into your Halo/);

		const cookie = await login(shown.Editor, 'admin@example.com', 'HaloDemo-2024!');
		const outbound = await workflowOf(shown.Editor, cookie, OUTBOUND.id);
		const deployments = await workflowOf(shown.Editor, cookie, 'ContractDeploy01');
		const inbound = await workflowOf(shown.Editor, cookie, 'NoteRoutingIn001');
		expect({ outbound: isPublished(outbound), deployments: isPublished(deployments), inbound: isPublished(inbound) }).toEqual({
			outbound: false,
			deployments: false,
			inbound: true,
		});
		expect(deployments.nodes.find((node: Row) => node.name === 'Send plan to RMM').parameters.url).toBe(rmmUrl);
		// Nothing of n8n's in the user's Halo (n8n is up, so a published trigger would have registered by now).
		await until('the inbound chat webhook to answer', async () => (await fetch(`${shown.Editor}webhook/chat-to-halo`, { method: 'POST' })).status !== 404);
		expect(await haloWebhooks(userHalo)).toEqual([]);

		await interruptAndExpectNothingLeft(run, [n8nPort]);
	}, START_TIMEOUT);

	it('with HALO_URL and a public WEBHOOK_URL: still leaves the HaloPSA-to-chat sample unpublished (its Action Added is the sandbox\'s own event number), so nothing is registered in that Halo', async () => {
		const publicUrl = `http://n8n-demo.example:${n8nPort}/`;
		const run = npmStart({
			N8N_PORT: String(n8nPort),
			HALO_SANDBOX_PORT: String(sandboxPort),
			HALO_URL: userHalo!.baseUrl,
			HALO_CLIENT_ID: userHalo!.clientId,
			HALO_CLIENT_SECRET: userHalo!.clientSecret,
			WEBHOOK_URL: publicUrl,
		});
		await run.waitFor(/Press Ctrl-C to stop everything/, 300_000);
		const shown = banner(run);
		expect(shown.Webhooks).toBe(publicUrl);
		expect(run.stdout()).toMatch(
			/Not published: Note routing: HaloPSA to chat: it subscribes to an event by the sandbox's own number \(Halo documents none for it\): put your Halo's number for that event into the trigger's Custom Events, then publish it/,
		);
		const cookie = await login(shown.Editor, 'admin@example.com', 'HaloDemo-2024!');
		expect(isPublished(await workflowOf(shown.Editor, cookie, OUTBOUND.id))).toBe(false);
		await until('the inbound chat webhook to answer', async () => (await fetch(`${shown.Editor}webhook/chat-to-halo`, { method: 'POST' })).status !== 404);
		expect(await haloWebhooks(userHalo!)).toEqual([]);

		await interruptAndExpectNothingLeft(run, [n8nPort]);
	}, START_TIMEOUT);
});
