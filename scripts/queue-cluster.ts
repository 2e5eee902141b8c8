/**
 * n8n in queue mode on this machine, for the queue-mode tests (test/queue, `npm run test:queue`) and
 * bench (`npm run bench -- queue`): a PostgreSQL and a Redis of its own on free loopback ports, one
 * main process, workers and webhook processes (each started by scripts/n8n-env.ts's startN8n), a
 * round-robin proxy in front of the webhook processes, this package packed and installed the way
 * users install it, the credentials and sample workflows imported and published.
 *
 * Everything lives in one temporary folder. `stop()`, a signal (Ctrl-C), or after a crash
 * `node dist/scripts/queue-cluster.js cleanup <folder>` stops every process recorded in
 * `<folder>/cleanup.json` and removes the folder.
 *
 * PostgreSQL: Debian's server binaries (`/usr/lib/postgresql/<version>/bin`), `initdb` into the folder
 * and `pg_ctl` on a free port, TCP on 127.0.0.1 only. No cluster is registered with the system
 * (`pg_lsclusters` never lists it) and the machine's own clusters are not touched. PostgreSQL refuses
 * to run as root: as root, its commands run as the `postgres` user its Debian package created.
 * Redis: `redis-server` on a free port, nothing saved to disk.
 *
 * What n8n 2.41.1 needs in queue mode (checked by running it): every process the same user folder,
 * encryption key, database and Redis settings; each its own task-runner broker port; a worker its own
 * health port (the default collides with the main process); `publish:workflow` takes effect when the
 * main process starts, so everything is imported and published first.
 */
import { spawn, spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

import {
	freePort,
	packPackage,
	prepareUserFolder,
	startN8n,
	type HaloCredentialData,
	type N8nInstance,
	type N8nInstanceOptions,
	type OwnerAccount,
	type Runtime,
	type SampleWorkflow,
	type TriggerKind,
} from './n8n-env';
import { startRoundRobinProxy, type RoundRobinProxy } from './round-robin-proxy';

export interface QueueClusterOptions {
	runtime: Runtime;
	/** an empty folder for everything (removed by stop); a new temporary one when left out */
	root?: string;
	/** the Halo the credential points at, whose sinks the samples post to */
	halo: HaloCredentialData;
	/** the sandbox whose sinks the sample workflows post to */
	sandboxUrl: string;
	workers: number;
	webhookProcesses: number;
	/** executions one worker runs at once (n8n's default is 10) */
	workerConcurrency?: number;
	/** trigger kinds of the samples to publish (prepareUserFolder's default: all) */
	publishKinds?: readonly TriggerKind[];
	/** more environment for every n8n process */
	env?: NodeJS.ProcessEnv;
	log?: (message: string) => void;
}

export interface QueueCluster {
	root: string;
	userFolder: string;
	owner: OwnerAccount;
	encryptionKey: string;
	credentialId: string;
	workflows: SampleWorkflow[];
	main: N8nInstance;
	workers: N8nInstance[];
	webhookProcesses: N8nInstance[];
	/** the address Halo and chat tools call: the proxy in front of the webhook processes */
	proxy: RoundRobinProxy;
	postgres: PostgresServer;
	redisPort: number;
	/** starts one more worker; resolves when it is ready */
	addWorker(): Promise<N8nInstance>;
	/** executions each worker started, by worker index (executionsStartedBy on each worker's log) */
	executionsByWorker(): string[][];
	/** stops everything and removes the folder; `keepLogsIn` gets a copy of every process's log first */
	stop(options?: { keepLogsIn?: string }): Promise<void>;
}

/** Ids of the executions a worker started, from its log ("Worker started execution <id> (job <n>)", level info). */
export function executionsStartedBy(workerLogFile: string): string[] {
	return [...fs.readFileSync(workerLogFile, 'utf8').matchAll(/Worker started execution (\d+) /g)].map((match) => match[1]);
}

/** What cleanup needs to stop everything, also from another process after a crash. */
interface CleanupRecord {
	processGroups: number[];
	postgresDataDir?: string;
}

const CLEANUP_FILE = 'cleanup.json';

function readCleanupRecord(root: string): CleanupRecord {
	try {
		return JSON.parse(fs.readFileSync(path.join(root, CLEANUP_FILE), 'utf8')) as CleanupRecord;
	} catch {
		return { processGroups: [] };
	}
}

function recordForCleanup(root: string, change: (record: CleanupRecord) => void): void {
	const record = readCleanupRecord(root);
	change(record);
	fs.writeFileSync(path.join(root, CLEANUP_FILE), JSON.stringify(record, null, 2));
}

const defaultLog = (message: string): void => {
	process.stderr.write(`[queue] ${message}\n`);
};

// ---------------------------------------------------------------------------------------------
// PostgreSQL and Redis

const isRoot = () => process.getuid?.() === 0;

/** An executable on PATH (or in the usual system folders), or undefined. */
export function findExecutable(name: string): string | undefined {
	const dirs = [...(process.env.PATH ?? '').split(path.delimiter), '/usr/local/bin', '/usr/bin', '/usr/sbin', '/bin'];
	return dirs.map((dir) => path.join(dir, name)).find((file) => {
		try {
			fs.accessSync(file, fs.constants.X_OK);
			return true;
		} catch {
			return false;
		}
	});
}

/** The newest Debian PostgreSQL server's bin folder (`/usr/lib/postgresql/<version>/bin`), or undefined. */
export function findPostgresBinDir(): string | undefined {
	const base = '/usr/lib/postgresql';
	if (!fs.existsSync(base)) return undefined;
	const versions = fs
		.readdirSync(base)
		.filter((version) => fs.existsSync(path.join(base, version, 'bin', 'initdb')))
		.sort((a, b) => Number(b) - Number(a));
	return versions.length ? path.join(base, versions[0], 'bin') : undefined;
}

const MISSING_SERVICES_HINT =
	'npm run test:queue installs them when run as root; otherwise: sudo apt-get install -y --no-install-recommends postgresql redis-server';

function run(command: string, args: string[], what: string, options: SpawnSyncOptions = {}): string {
	const result = spawnSync(command, args, { encoding: 'utf8', ...options });
	if (result.status !== 0) {
		throw new Error(`${what} failed (exit ${result.status ?? result.signal}): ${String(result.stderr ?? '')}${String(result.stdout ?? '')}`.trim());
	}
	return String(result.stdout ?? '');
}

/** Runs a PostgreSQL server command as `postgres` when this process is root (the server refuses root). */
function runAsPostgresOwner(binDir: string, command: string, args: string[], what: string): string {
	const file = path.join(binDir, command);
	return isRoot() ? run('runuser', ['-u', 'postgres', '--', file, ...args], what, { cwd: '/' }) : run(file, args, what, { cwd: '/' });
}

export interface PostgresServer {
	port: number;
	database: string;
	user: string;
	password: string;
}

async function startPostgres(root: string, log: (message: string) => void): Promise<PostgresServer> {
	const binDir = findPostgresBinDir();
	if (!binDir) throw new Error(`PostgreSQL's server is not installed (no /usr/lib/postgresql/<version>/bin/initdb). ${MISSING_SERVICES_HINT}`);
	const dir = path.join(root, 'postgres');
	const dataDir = path.join(dir, 'data');
	fs.mkdirSync(dir);
	const password = randomBytes(18).toString('base64url');
	fs.writeFileSync(path.join(dir, 'password'), password, { mode: 0o600 });
	if (isRoot()) {
		const uid = Number(run('id', ['-u', 'postgres'], 'looking up the postgres user').trim());
		const gid = Number(run('id', ['-g', 'postgres'], 'looking up the postgres group').trim());
		// The server runs as postgres: it must reach its folder through ours.
		fs.chmodSync(root, 0o711);
		fs.chownSync(dir, uid, gid);
		fs.chownSync(path.join(dir, 'password'), uid, gid);
	}
	const user = 'n8n';
	runAsPostgresOwner(
		binDir,
		'initdb',
		['-D', dataDir, '-U', user, `--pwfile=${path.join(dir, 'password')}`, '--auth=scram-sha-256', '-E', 'UTF8', '--no-locale', '--no-sync'],
		'initdb',
	);
	const port = await freePort();
	recordForCleanup(root, (record) => (record.postgresDataDir = dataDir));
	// A throwaway test cluster: durability settings off for speed.
	const serverOptions = `-p ${port} -c listen_addresses=127.0.0.1 -k ${dir} -c fsync=off -c synchronous_commit=off -c full_page_writes=off`;
	runAsPostgresOwner(binDir, 'pg_ctl', ['-D', dataDir, '-l', path.join(dir, 'server.log'), '-w', '-t', '60', '-o', serverOptions, 'start'], 'pg_ctl start');
	run(path.join(binDir, 'psql'), ['-h', '127.0.0.1', '-p', String(port), '-U', user, '-d', 'postgres', '-v', 'ON_ERROR_STOP=1', '-qc', 'CREATE DATABASE n8n'], 'creating the n8n database', {
		env: { ...process.env, PGPASSWORD: password },
	});
	log(`PostgreSQL (${path.basename(path.dirname(binDir))}) on 127.0.0.1:${port}, data in ${dataDir}`);
	return { port, database: 'n8n', user, password };
}

function stopPostgres(dataDir: string): void {
	const binDir = findPostgresBinDir();
	if (!binDir || !fs.existsSync(dataDir)) return;
	try {
		runAsPostgresOwner(binDir, 'pg_ctl', ['-D', dataDir, '-m', 'fast', '-w', '-t', '30', 'stop'], 'pg_ctl stop');
	} catch (error) {
		if (!/Is server running|no server running|PID file .* does not exist/i.test((error as Error).message)) throw error;
	}
}

/** Resolves when Redis answers PING on the port. */
async function redisAnswers(port: number): Promise<boolean> {
	return await new Promise<boolean>((resolve) => {
		const socket = net.connect(port, '127.0.0.1');
		const finish = (answer: boolean) => {
			socket.destroy();
			resolve(answer);
		};
		socket.setTimeout(1000, () => finish(false));
		socket.once('error', () => finish(false));
		socket.once('data', (data) => finish(data.toString().startsWith('+PONG')));
		socket.once('connect', () => socket.write('PING\r\n'));
	});
}

async function startRedis(root: string, log: (message: string) => void): Promise<number> {
	const redisServer = findExecutable('redis-server');
	if (!redisServer) throw new Error(`redis-server is not installed. ${MISSING_SERVICES_HINT}`);
	const dir = path.join(root, 'redis');
	fs.mkdirSync(dir);
	const port = await freePort();
	const child = spawn(
		redisServer,
		['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--logfile', path.join(dir, 'redis.log')],
		{ detached: true, stdio: 'ignore' },
	);
	child.unref();
	recordForCleanup(root, (record) => record.processGroups.push(child.pid!));
	const deadline = Date.now() + 30_000;
	while (!(await redisAnswers(port))) {
		if (child.exitCode !== null || Date.now() > deadline) {
			throw new Error(`redis-server did not answer on port ${port} (see ${path.join(dir, 'redis.log')})`);
		}
		await new Promise((resolve) => setTimeout(resolve, 200));
	}
	log(`Redis on 127.0.0.1:${port}`);
	return port;
}

// ---------------------------------------------------------------------------------------------
// Stopping

const alive = (processGroup: number) => {
	try {
		process.kill(-processGroup, 0);
		return true;
	} catch {
		return false;
	}
};

/** SIGTERM to each process group, SIGKILL to what is left after `graceMs`. */
async function stopProcessGroups(processGroups: number[], graceMs = 20_000): Promise<void> {
	for (const group of processGroups) {
		try {
			process.kill(-group, 'SIGTERM');
		} catch {
			/* gone */
		}
	}
	const deadline = Date.now() + graceMs;
	while (processGroups.some(alive) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200));
	for (const group of processGroups.filter(alive)) {
		try {
			process.kill(-group, 'SIGKILL');
		} catch {
			/* gone */
		}
	}
}

/**
 * Stops everything recorded under `root` (n8n processes, Redis, PostgreSQL) and removes the folder.
 * Safe to run twice, and from another process (the test script runs it after Ctrl-C or a crash).
 */
export async function cleanUpQueueCluster(root: string, log = defaultLog): Promise<void> {
	if (!fs.existsSync(root)) return;
	const record = readCleanupRecord(root);
	await stopProcessGroups(record.processGroups);
	if (record.postgresDataDir) {
		try {
			stopPostgres(record.postgresDataDir);
		} catch (error) {
			log(`could not stop PostgreSQL in ${record.postgresDataDir}: ${(error as Error).message}`);
		}
	}
	fs.rmSync(root, { recursive: true, force: true });
}

/** Copies the n8n logs (the user folder's `*.log`), Redis's and PostgreSQL's into `dir`. */
function keepLogs(root: string, dir: string): void {
	fs.mkdirSync(dir, { recursive: true });
	const userFolder = path.join(root, 'user');
	const logs = [
		...(fs.existsSync(userFolder) ? fs.readdirSync(userFolder).filter((file) => file.endsWith('.log')).map((file) => path.join(userFolder, file)) : []),
		path.join(root, 'redis', 'redis.log'),
		path.join(root, 'postgres', 'server.log'),
	];
	for (const file of logs.filter((log) => fs.existsSync(log))) fs.copyFileSync(file, path.join(dir, path.basename(file)));
}

// ---------------------------------------------------------------------------------------------
// The cluster

export async function startQueueCluster(options: QueueClusterOptions): Promise<QueueCluster> {
	const log = options.log ?? defaultLog;
	const root = options.root ?? fs.mkdtempSync(path.join(os.tmpdir(), 'halopsa-queue-'));
	fs.mkdirSync(root, { recursive: true });
	recordForCleanup(root, () => undefined);
	const instances: N8nInstance[] = [];
	let proxy: RoundRobinProxy | undefined;
	let stopped: Promise<void> | undefined;
	const stop = (stopOptions: { keepLogsIn?: string } = {}) =>
		(stopped ??= (async () => {
			for (const signal of SIGNALS) process.off(signal, onSignal);
			await proxy?.stop();
			await Promise.all(instances.map((instance) => instance.stop()));
			if (stopOptions.keepLogsIn) keepLogs(root, stopOptions.keepLogsIn);
			await cleanUpQueueCluster(root, log);
			log(`stopped and removed ${root}`);
		})());
	const onSignal = (signal: NodeJS.Signals) => {
		log(`${signal}: stopping the queue-mode cluster`);
		void stop().finally(() => process.exit(128 + (os.constants.signals[signal] ?? 1)));
	};
	const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
	for (const signal of SIGNALS) process.on(signal, onSignal);

	try {
		const [postgres, redisPort] = await Promise.all([startPostgres(root, log), startRedis(root, log)]);
		const taken: number[] = [postgres.port, redisPort];
		const nextPort = async () => {
			const port = await freePort(undefined, taken);
			taken.push(port);
			return port;
		};
		const mainPort = await nextPort();
		const webhookPorts: number[] = [];
		for (let index = 0; index < options.webhookProcesses; index++) webhookPorts.push(await nextPort());
		proxy = await startRoundRobinProxy(webhookPorts.map((port) => `http://127.0.0.1:${port}`), await nextPort());
		log(`round-robin proxy at ${proxy.url} in front of webhook processes on ports ${webhookPorts.join(', ')}`);

		const userFolder = path.join(root, 'user');
		const owner: OwnerAccount = { email: 'queue-owner@example.com', password: 'Queue-Owner-Pass-1', firstName: 'Queue', lastName: 'Owner' };
		const encryptionKey = randomBytes(24).toString('base64url');
		// The settings every process shares (N8N-prefixed ones of the caller are dropped by n8nEnvironment).
		const shared: NodeJS.ProcessEnv = {
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: '127.0.0.1',
			DB_POSTGRESDB_PORT: String(postgres.port),
			DB_POSTGRESDB_DATABASE: postgres.database,
			DB_POSTGRESDB_USER: postgres.user,
			DB_POSTGRESDB_PASSWORD: postgres.password,
			EXECUTIONS_MODE: 'queue',
			QUEUE_BULL_REDIS_HOST: '127.0.0.1',
			QUEUE_BULL_REDIS_PORT: String(redisPort),
			// Halo and chat tools reach n8n through the load balancer.
			WEBHOOK_URL: `${proxy.url}/`,
			// Workers log "Worker started execution <id>" at info: executionsByWorker reads it.
			N8N_LOG_LEVEL: 'info',
			...options.env,
		};
		const base: N8nInstanceOptions = { runtime: options.runtime, userFolder, port: mainPort, owner, encryptionKey, log, env: shared };
		const mainOptions: N8nInstanceOptions = {
			...base,
			brokerPort: await nextPort(),
			logName: 'n8n-main.log',
			// Production webhooks are the webhook processes' job (behind the proxy), not the main process's.
			env: { ...shared, N8N_DISABLE_PRODUCTION_MAIN_PROCESS: 'true' },
		};
		const record = (instance: N8nInstance) => {
			instances.push(instance);
			recordForCleanup(root, (cleanup) => cleanup.processGroups.push(instance.process.pid!));
		};

		const tarball = packPackage(path.join(root, 'pack'), log);
		const prepared = prepareUserFolder({ ...mainOptions, tarball, halo: options.halo, sandboxUrl: options.sandboxUrl, publishKinds: options.publishKinds });
		const main = await startN8n({ ...mainOptions, onSpawned: record });

		const workers: N8nInstance[] = [];
		let workersStarted = 0;
		const addWorker = async () => {
			const index = ++workersStarted;
			const worker = await startN8n({
				...base,
				command: 'worker',
				commandArgs: [`--concurrency=${options.workerConcurrency ?? 10}`],
				healthPort: await nextPort(),
				brokerPort: await nextPort(),
				logName: `n8n-worker-${index}.log`,
				onSpawned: record,
			});
			workers[index - 1] = worker;
			return worker;
		};
		const startWebhookProcess = async (port: number, index: number) =>
			await startN8n({ ...base, command: 'webhook', port, brokerPort: await nextPort(), logName: `n8n-webhook-${index + 1}.log`, onSpawned: record });
		const [webhookProcesses] = await Promise.all([
			Promise.all(webhookPorts.map(startWebhookProcess)),
			Promise.all(Array.from({ length: options.workers }, addWorker)),
		]);
		return {
			root,
			userFolder,
			owner,
			encryptionKey,
			credentialId: prepared.credentialId,
			workflows: prepared.workflows,
			main,
			workers,
			webhookProcesses,
			proxy,
			postgres,
			redisPort,
			addWorker,
			executionsByWorker: () => workers.map((worker) => executionsStartedBy(worker.logFile)),
			stop,
		};
	} catch (error) {
		await stop();
		throw error;
	}
}

if (require.main === module) {
	const [command, root] = process.argv.slice(2);
	if (command === 'cleanup' && root) {
		cleanUpQueueCluster(path.resolve(root)).then(
			() => process.exit(0),
			(error) => {
				defaultLog(`cleanup failed: ${(error as Error).message}`);
				process.exit(1);
			},
		);
	} else {
		process.stderr.write('usage: node dist/scripts/queue-cluster.js cleanup <cluster folder>\n');
		process.exit(2);
	}
}
