/**
 * The sample workflows in queue mode: PostgreSQL, Redis, one main process, 2 workers and 2 webhook
 * processes behind a round-robin proxy (test/queue/global-setup.ts). Everything reaches n8n through
 * the proxy, as through a load balancer. The tests run in this order and share the cluster.
 */
import {
	HaloApi,
	hitWebhook,
	oursReadAndNoteWorkflow,
	waitForExecutionsToSettle,
	type CredentialRef,
} from '../../bench/real-n8n';
import { forwardedRequests } from '../../scripts/round-robin-proxy';
import { N8nApi, removeWorkflows, SandboxControl } from '../e2e/helpers/n8n';
import { settledPublication } from '../e2e/helpers/trigger';
import {
	CHAT_TO_HALO_WORKFLOW,
	deliverHaloNotes,
	deliverKeyedNotes,
	executionsPerWorker,
	executionTimes,
	HALO_TO_CHAT_WORKFLOW,
	haloWebhookRegistered,
	newestExecutionId,
	sendChatMessages,
	workerOfExecution,
	type ChatMessage,
} from './helpers';
import { loadQueueState } from './state';

const state = loadQueueState();
const api = new N8nApi(state);
const sandbox = new SandboxControl(state.sandboxUrl);
const access = { baseUrl: state.sandboxUrl, clientId: state.sandboxClientId, clientSecret: state.sandboxClientSecret };
const secret = { header: state.chatSecretHeader, value: state.chatSecret };
const EXECUTIONS = 100;
/** Twice what both workers run at once, so each always has work and neither can take it all. */
const PARALLEL_CALLS = 4 * state.workerConcurrency;
const report = (line: string) => process.stderr.write(`[queue] ${line}\n`);

interface Stats {
	tokensIssued: number;
	requestsByRoute: Record<string, number>;
}
const stats = () => sandbox.call<Stats>('GET', '/stats');

const notes = (label: string): ChatMessage[] =>
	Array.from({ length: EXECUTIONS }, (_, index) => ({ message_id: `${label} ${index + 1}`, ticket_id: (index % 8) + 1, text: `${label} ${index + 1}`, kind: 'internal' }));

/** New executions of a workflow (ids above `after`) once all of them are finished. */
async function executionsAfter(workflowId: string, after: number, expected: number) {
	const settled = await waitForExecutionsToSettle(api, workflowId, 2000);
	const fresh = settled.filter((execution) => Number(execution.id) > after);
	if (fresh.length < expected) throw new Error(`${fresh.length} of ${expected} executions of ${workflowId} recorded`);
	return fresh;
}


/** Waits until Halo's deliveries are done and every Halo-to-chat execution they started is finished. */
async function quiet(): Promise<void> {
	await sandbox.call('POST', '/webhooks/flush');
	await waitForExecutionsToSettle(api, HALO_TO_CHAT_WORKFLOW, 2000);
}

const createdWorkflows: string[] = [];
const createdCredentials: string[] = [];

beforeAll(async () => {
	await api.login();
	// The main process registers the Halo-to-chat trigger's webhook in Halo when it activates the sample.
	await haloWebhookRegistered(sandbox);
});

afterAll(async () => {
	await sandbox.call('DELETE', '/faults');
	await removeWorkflows(api, createdWorkflows);
	for (const id of createdCredentials) await api.request('DELETE', `/credentials/${id}`).catch(() => undefined);
});

describe('the chat-to-Halo sample through the load balancer', () => {
	it('runs 100 notes on both workers with 0 failed and one token request for the whole cluster', async () => {
		// The one token so far: the main process fetched it to register the trigger sample's webhook,
		// and n8n stored it in the credential (PostgreSQL), where every worker reads it.
		expect((await stats()).tokensIssued).toBe(1);
		const before = await stats();
		const after = await newestExecutionId(api, CHAT_TO_HALO_WORKFLOW);

		const answers = await sendChatMessages(state.proxyUrl, secret, notes('Queue note'), PARALLEL_CALLS);
		expect(answers.filter((answer) => answer.status !== 201)).toEqual([]);
		expect(new Set(answers.map((answer) => answer.body.action?.id)).size).toBe(EXECUTIONS);

		const executions = await executionsAfter(CHAT_TO_HALO_WORKFLOW, after, EXECUTIONS);
		expect(executions).toHaveLength(EXECUTIONS);
		expect(executions.filter((execution) => execution.status !== 'success')).toEqual([]);
		const perWorker = executionsPerWorker(state.workerLogFiles, executions.map((execution) => execution.id));
		report(`100 notes: executions per worker ${perWorker.join(' + ')}`);
		expect(perWorker.reduce((sum, count) => sum + count, 0)).toBe(EXECUTIONS);
		expect(perWorker.every((count) => count > 0)).toBe(true);

		const now = await stats();
		expect(now.tokensIssued).toBe(1);
		expect(now.requestsByRoute['POST /api/actions'] - (before.requestsByRoute['POST /api/actions'] ?? 0)).toBe(EXECUTIONS);

		await quiet();
		// Round robin: the chat calls and Halo's deliveries of the notes were shared evenly.
		const forwarded = await forwardedRequests(state.proxyUrl);
		const perProcess = state.webhookProcessUrls.map((_, upstream) => forwarded.filter((request) => request.upstream === upstream).length);
		expect(Math.max(...perProcess) - Math.min(...perProcess)).toBeLessThanOrEqual(1);
		expect(forwarded.filter((request) => request.path === '/webhook/chat-to-halo')).toHaveLength(EXECUTIONS);
	});

	it('loses no execution when Halo expires every token with executions in flight on both workers', async () => {
		// Halo answers each note after a second, so executions are in flight on both workers when the tokens expire.
		await sandbox.call('POST', '/faults', [{ route: 'POST /api/actions', kind: 'slow', delayMs: 1000 }]);
		const before = await stats();
		const after = await newestExecutionId(api, CHAT_TO_HALO_WORKFLOW);
		let expiredAt = 0;
		const answers = await sendChatMessages(state.proxyUrl, secret, notes('Expiry note'), PARALLEL_CALLS, async (answered) => {
			if (answered === 30) {
				expiredAt = Date.now();
				expect((await sandbox.call<{ expired: number }>('POST', '/tokens/expire')).expired).toBeGreaterThanOrEqual(1);
			}
		});
		await sandbox.call('DELETE', '/faults');
		expect(answers.filter((answer) => answer.status !== 201)).toEqual([]);

		const executions = await executionsAfter(CHAT_TO_HALO_WORKFLOW, after, EXECUTIONS);
		expect(executions.filter((execution) => execution.status !== 'success')).toEqual([]);
		expect(new Set(answers.map((answer) => answer.body.action?.id)).size).toBe(EXECUTIONS);
		// Both workers had executions running at the moment of expiry.
		const owner = workerOfExecution(state.workerLogFiles);
		const times = (await executionTimes(api, CHAT_TO_HALO_WORKFLOW)).filter((execution) => Number(execution.id) > after);
		const inFlight = times.filter((execution) => execution.startedAt <= expiredAt && execution.stoppedAt >= expiredAt);
		const inFlightPerWorker = state.workerLogFiles.map((_, worker) => inFlight.filter((execution) => owner.get(execution.id) === worker).length);
		expect(inFlightPerWorker.every((count) => count > 0)).toBe(true);

		// n8n holds no lock around the credential's refresh; the package shares one fetch per process,
		// so one expiry costs at most one token request per worker.
		const tokens = (await stats()).tokensIssued - before.tokensIssued;
		report(`mass expiry: in flight per worker ${inFlightPerWorker.join(' + ')}, token requests ${tokens}`);
		expect(tokens).toBeGreaterThanOrEqual(1);
		expect(tokens).toBeLessThanOrEqual(state.workerLogFiles.length);
		await quiet();
	});
});

describe('a new credential', () => {
	/** A credential of its own scope, so no process has a token of its Halo identity in memory. */
	async function createCredential(name: string, scope: string) {
		const data = { url: access.baseUrl, tenant: '', authUrl: '', clientId: access.clientId, clientSecret: access.clientSecret, scope };
		const created = await api.request<{ id: string; name: string }>('POST', '/credentials', { name, type: 'haloPsaAutomationApi', data });
		createdCredentials.push(created.id);
		return { credential: { id: created.id, name: created.name } as CredentialRef, data };
	}

	/** Publishes "read a ticket, add a note" on the credential; returns the workflow id once its webhook is live. */
	async function publishReadAndNote(webhookPath: string, credential: CredentialRef): Promise<string> {
		const { id } = await api.request<{ id: string }>('POST', '/workflows', { ...oursReadAndNoteWorkflow(webhookPath, credential), active: false });
		createdWorkflows.push(id);
		await api.publish(id);
		expect((await settledPublication(api, id)).status).toBe('published');
		return id;
	}

	/** 100 calls through the proxy, 20 at once: every execution succeeds, and both workers ran some. */
	async function readAndNoteOnBothWorkers(webhookPath: string, workflowId: string): Promise<void> {
		expect(await hitWebhook(state.proxyUrl, webhookPath, EXECUTIONS, (index) => (index % 8) + 1, PARALLEL_CALLS)).toBe(0);
		const executions = await waitForExecutionsToSettle(api, workflowId, 2000);
		expect(executions).toHaveLength(EXECUTIONS);
		expect(executions.filter((execution) => execution.status !== 'success')).toEqual([]);
		expect(executionsPerWorker(state.workerLogFiles, executions.map((execution) => execution.id)).every((count) => count > 0)).toBe(true);
	}

	it('used by executions starting on both workers at once costs at most one token request per worker', async () => {
		const { credential } = await createCredential('HaloPSA (new in queue mode)', 'all:standard');
		const id = await publishReadAndNote('queue-new-credential', credential);
		const before = await stats();
		await readAndNoteOnBothWorkers('queue-new-credential', id);
		const tokens = (await stats()).tokensIssued - before.tokensIssued;
		report(`new credential, 100 executions on both workers: token requests ${tokens}`);
		expect(tokens).toBeGreaterThanOrEqual(1);
		expect(tokens).toBeLessThanOrEqual(state.workerLogFiles.length);
		await quiet();
	});

	it('tested once before use stores its token: 100 executions over both workers make no token request of their own', async () => {
		const { credential, data } = await createCredential('HaloPSA (tested in queue mode)', 'all');
		const before = await stats();
		// What the credential's Test button calls.
		const tested = await api.request<{ status: string; message: string }>('POST', '/credentials/test', {
			credentials: { id: credential.id, name: credential.name, type: 'haloPsaAutomationApi', data },
		});
		expect(tested.status).toBe('OK');
		expect((await stats()).tokensIssued - before.tokensIssued).toBe(1);

		const id = await publishReadAndNote('queue-tested-credential', credential);
		const afterTest = await stats();
		await readAndNoteOnBothWorkers('queue-tested-credential', id);
		expect((await stats()).tokensIssued - afterTest.tokensIssued).toBe(0);
		await quiet();
	});
});

describe('the Halo-to-chat sample through the load balancer', () => {
	const EVENTS = 90;
	const REPEAT_EVERY = 9;

	it('gets every delivery once, and a repeat sent at the same moment to the other webhook process starts a second execution at most', async () => {
		await quiet();
		const sinkBefore = ((await sandbox.call<unknown[]>('GET', '/sink/chat-customer')) ?? []).length;
		const run = await deliverHaloNotes(api, sandbox, state.proxyUrl, { events: EVENTS, repeatEvery: REPEAT_EVERY, label: 'Halo note' });
		expect(run.attempts).toHaveLength(EVENTS + EVENTS / REPEAT_EVERY);
		expect(run.attempts.filter((attempt) => attempt.redelivery)).toHaveLength(EVENTS / REPEAT_EVERY);
		expect(run.attempts.every((attempt) => attempt.success)).toBe(true);
		const deliveryIds = new Set(run.attempts.map((attempt) => attempt.id));
		expect(deliveryIds.size).toBe(EVENTS);

		// The two copies of a repeated delivery overlapped in time and went to different webhook processes.
		const { forwarded } = run;
		expect(forwarded).toHaveLength(EVENTS + EVENTS / REPEAT_EVERY);
		const together = forwarded.slice(1).filter((request, index) => request.startedAt < forwarded[index].endedAt);
		expect(together).toHaveLength(EVENTS / REPEAT_EVERY);
		for (const second of together) {
			const first = forwarded[forwarded.indexOf(second) - 1];
			expect(first.upstream).not.toBe(second.upstream);
		}

		expect(run.executions.filter((execution) => execution.status !== 'success')).toEqual([]);
		const chatPosts = ((await sandbox.call<unknown[]>('GET', '/sink/chat-customer')) ?? []).length - sinkBefore;
		report(`${EVENTS} deliveries + ${EVENTS / REPEAT_EVERY} same-moment repeats: ${run.executions.length} executions started, ${run.lost} lost, ${run.doubled} doubled, ${chatPosts} chat posts`);
		expect(run.startedFrom.every((id) => id !== undefined && deliveryIds.has(id))).toBe(true);
		expect(run.lost).toBe(0);
		expect(run.executions).toHaveLength(EVENTS + run.doubled);
		expect(run.doubled).toBeLessThanOrEqual(EVENTS / REPEAT_EVERY);
		expect(chatPosts).toBe(run.executions.length);
	});
});

describe('Halo deliveries into a note keyed by the delivery id', () => {
	const EVENTS = 900;
	const REPEAT_EVERY = 9;

	it('1,000 deliveries with 100 same-moment repeats at the other webhook process leave exactly 900 notes in Halo, none lost', async () => {
		await quiet();
		const halo = new HaloApi(access);
		const run = await deliverKeyedNotes(api, sandbox, halo, { proxyUrl: state.proxyUrl, credential: { id: state.credentialId, name: 'HaloPSA (sandbox)' } }, {
			events: EVENTS,
			repeatEvery: REPEAT_EVERY,
			tickets: 25,
		});
		expect(run.attempts).toHaveLength(EVENTS + EVENTS / REPEAT_EVERY);
		expect(run.attempts.filter((attempt) => attempt.redelivery)).toHaveLength(EVENTS / REPEAT_EVERY);
		expect(run.attempts.every((attempt) => attempt.success)).toBe(true);
		expect(new Set(run.attempts.map((attempt) => attempt.id)).size).toBe(EVENTS);
		expect(run.executions.filter((execution) => execution.status !== 'success')).toEqual([]);
		report(
			`${EVENTS} deliveries + ${EVENTS / REPEAT_EVERY} same-moment repeats into a keyed note: ${run.executions.length} executions started, ` +
				`${run.lost} lost, ${run.doubled} doubled; ${run.notes} notes in Halo (${run.withoutNote} replies without one, ${run.withSeveralNotes} with several), ` +
				`${run.removedRepeats} repeats posted and removed again${run.lost ? `; attempts of the lost: ${JSON.stringify(run.lostAttempts)}` : ''}`,
		);
		// Executions: at least once (a repeat may start a second one).
		expect(run.lost).toBe(0);
		expect(run.executions).toHaveLength(EVENTS + run.doubled);
		// Effects with a key: exactly once.
		expect(run.withoutNote).toBe(0);
		expect(run.withSeveralNotes).toBe(0);
		expect(run.notes).toBe(EVENTS);
		// A doubled execution either found the note or posted one and removed it again.
		expect(run.removedRepeats).toBeLessThanOrEqual(run.doubled);
	});
});
