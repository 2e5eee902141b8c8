import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import {
	CHAT_SECRET_HEADER,
	DEFAULT_CHAT_SECRET,
	DEFAULT_TAB_KEY,
	REPO_ROOT,
	freePort,
	installedRuntime,
	packPackage,
	prepareUserFolder,
	startN8n,
	startSandbox,
	type N8nInstanceOptions,
} from '../../scripts/n8n-env';
import type { E2eState } from './helpers/state';

const log = (m: string) => process.stderr.write(`[e2e] ${m}\n`);

/** One sandbox and one real n8n for the whole suite, in a fresh user folder under a temp dir. */
export default async function globalSetup(): Promise<void> {
	try {
		await setUp();
	} catch (error) {
		const e2e = (globalThis as unknown as { __E2E__?: { stop: Array<() => Promise<void>> } }).__E2E__;
		for (const stop of e2e?.stop ?? []) await stop().catch(() => undefined);
		throw error;
	}
}

async function setUp(): Promise<void> {
	const started = Date.now();
	const runtime = installedRuntime(log);
	const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'halopsa-e2e-'));
	const userFolder = path.join(tmp, 'user');
	const globals = globalThis as unknown as { __E2E__: { stop: Array<() => Promise<void>>; tmp: string } };
	globals.__E2E__ = { stop: [], tmp };

	const sandbox = await startSandbox({ port: await freePort() });
	globals.__E2E__.stop.push(() => sandbox.stop());
	log(`sandbox at ${sandbox.baseUrl}`);

	const owner = { email: 'e2e-owner@example.com', password: 'E2e-Owner-Pass-1', firstName: 'E2E', lastName: 'Owner' };
	const encryptionKey = 'halopsa-e2e-test-key';
	const options: N8nInstanceOptions = { runtime, userFolder, port: await freePort(), owner, encryptionKey, log };
	const tarball = packPackage(path.join(tmp, 'pack'), log);
	const prepared = prepareUserFolder({
		...options,
		tarball,
		sandboxUrl: sandbox.baseUrl,
		// Not the schedule-only workflows: "Contract deployments" would run by itself at 06:00 UTC in the middle
		// of a run and add RMM posts and notes the counts do not expect. The tests run it from its Manual Trigger.
		publishKinds: ['webhook', 'haloTrigger', 'sandboxEventTrigger', 'other'],
		halo: { url: sandbox.baseUrl, clientId: sandbox.clientId, clientSecret: sandbox.clientSecret, scope: 'all' },
	});
	const instance = await startN8n(options);
	globals.__E2E__.stop.unshift(async () => {
		await instance.stop();
		const keep = path.join(REPO_ROOT, 'test-results');
		fs.mkdirSync(keep, { recursive: true });
		fs.copyFileSync(instance.logFile, path.join(keep, 'e2e-n8n.log'));
	});

	const state: E2eState = {
		n8nUrl: instance.url,
		port: instance.port,
		userFolder,
		runtimeDir: runtime.dir,
		logFile: instance.logFile,
		encryptionKey,
		sandboxUrl: sandbox.baseUrl,
		sandboxClientId: sandbox.clientId,
		sandboxClientSecret: sandbox.clientSecret,
		owner,
		credentialId: prepared.credentialId,
		chatSecretHeader: CHAT_SECRET_HEADER,
		chatSecret: DEFAULT_CHAT_SECRET,
		tabKey: DEFAULT_TAB_KEY,
		workflows: prepared.workflows.map(({ id, name, file, publish }) => ({ id, name, file, publish })),
		// The README's screenshots are rewritten only when asked: UPDATE_SCREENSHOTS=1 npm run test:e2e.
		screenshotsDir:
			process.env.UPDATE_SCREENSHOTS === '1' ? path.join(REPO_ROOT, 'docs', 'screenshots') : path.join(REPO_ROOT, 'test-results', 'screenshots'),
	};
	const stateFile = path.join(tmp, 'state.json');
	fs.writeFileSync(stateFile, JSON.stringify(state, null, 2));
	process.env.E2E_STATE_FILE = stateFile;
	log(`ready in ${((Date.now() - started) / 1000).toFixed(0)} s (state ${stateFile})`);
}
