import * as fs from 'node:fs';
import * as path from 'node:path';

import { CHAT_SECRET_HEADER, DEFAULT_CHAT_SECRET, DEFAULT_TAB_KEY, freePort, installedRuntime, REPO_ROOT, startSandbox } from '../../scripts/n8n-env';
import { startQueueCluster } from '../../scripts/queue-cluster';
import type { QueueState } from './state';

const log = (m: string) => process.stderr.write(`[queue] ${m}\n`);
export const WORKERS = 2;
export const WEBHOOK_PROCESSES = 2;
/** Below the test's parallel calls, so a busy worker leaves jobs to the other one. */
export const WORKER_CONCURRENCY = 5;

/** The Halo sandbox and one queue-mode n8n cluster for the whole suite. */
export default async function globalSetup(): Promise<void> {
	const started = Date.now();
	const globals = globalThis as unknown as { __QUEUE__?: { stop: () => Promise<void> } };
	const runtime = installedRuntime(log);
	const sandbox = await startSandbox({ port: await freePort() });
	log(`sandbox at ${sandbox.baseUrl}`);
	let cluster;
	try {
		cluster = await startQueueCluster({
			runtime,
			root: process.env.QUEUE_ROOT || undefined,
			halo: { url: sandbox.baseUrl, clientId: sandbox.clientId, clientSecret: sandbox.clientSecret, scope: 'all' },
			sandboxUrl: sandbox.baseUrl,
			workers: WORKERS,
			webhookProcesses: WEBHOOK_PROCESSES,
			workerConcurrency: WORKER_CONCURRENCY,
			// Not the schedule-only sample: it would run by itself at 06:00 UTC in the middle of a run.
			publishKinds: ['webhook', 'haloTrigger', 'sandboxEventTrigger', 'other'],
			log,
		});
	} catch (error) {
		await sandbox.stop();
		throw error;
	}
	const running = cluster;
	globals.__QUEUE__ = {
		stop: async () => {
			await running.stop({ keepLogsIn: path.join(REPO_ROOT, 'test-results', 'queue') });
			await sandbox.stop();
		},
	};
	const state: QueueState = {
		n8nUrl: running.main.url,
		port: running.main.port,
		userFolder: running.userFolder,
		runtimeDir: runtime.dir,
		logFile: running.main.logFile,
		encryptionKey: running.encryptionKey,
		sandboxUrl: sandbox.baseUrl,
		sandboxClientId: sandbox.clientId,
		sandboxClientSecret: sandbox.clientSecret,
		owner: running.owner,
		credentialId: running.credentialId,
		chatSecretHeader: CHAT_SECRET_HEADER,
		chatSecret: DEFAULT_CHAT_SECRET,
		tabKey: DEFAULT_TAB_KEY,
		workflows: running.workflows.map(({ id, name, file, publish }) => ({ id, name, file, publish })),
		screenshotsDir: path.join(REPO_ROOT, 'test-results', 'screenshots'),
		proxyUrl: running.proxy.url,
		webhookProcessUrls: running.webhookProcesses.map((instance) => instance.url),
		workerLogFiles: running.workers.map((worker) => worker.logFile),
		workerConcurrency: WORKER_CONCURRENCY,
	};
	const stateFile = path.join(running.root, 'state.json');
	fs.writeFileSync(stateFile, JSON.stringify(state, null, 2));
	process.env.QUEUE_STATE_FILE = stateFile;
	log(`ready in ${((Date.now() - started) / 1000).toFixed(0)} s (state ${stateFile})`);
}
