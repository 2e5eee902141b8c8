/**
 * What an n8n restart does to a published HaloPSA Trigger, in an n8n 2.41.1 of this file's own
 * (the suite's one cannot be restarted from a test file), against the suite's Halo sandbox:
 * - the ids of the deliveries the trigger accepted survive it: Halo resending every one of them
 *   after the restart starts nothing;
 * - n8n makes no Halo call: the Halo webhook keeps its id and Basic credentials, and Halo's next
 *   event starts a workflow as before.
 */
import {
	BENCH_OUR_CREDENTIAL,
	startBenchN8n,
	triggerWebhookId,
	triggerWorkflow,
	waitForExecutionsToSettle,
	waitForTriggerEndpoint,
	waitForWebhookRegistration,
	type BenchN8n,
	type DeliveryAttempt,
	type HaloWebhook,
} from '../../bench/real-n8n';
import { HaloApi } from '../../bench/real-n8n';
import { loadState } from './helpers/state';
import { SandboxControl } from './helpers/n8n';

const DELIVERIES = 30;
const state = loadState();
const access = { baseUrl: state.sandboxUrl, clientId: state.sandboxClientId, clientSecret: state.sandboxClientSecret };
const sandbox = new SandboxControl(state.sandboxUrl);
const halo = new HaloApi(access);
const workflow = triggerWorkflow(BENCH_OUR_CREDENTIAL, 'RestartTrigger01');
const webhookId = triggerWebhookId(workflow);

let n8n: BenchN8n;
let ticketId: number;
let registered: HaloWebhook & { basic_username?: string };
let delivered: DeliveryAttempt[];
let requestsBeforeRestart: number;

const ourAttempts = async () =>
	(await sandbox.call<DeliveryAttempt[]>('GET', '/webhook-deliveries')).filter((attempt) => attempt.url.includes(webhookId));
const executions = async (quietMs = 2000) => await waitForExecutionsToSettle(n8n.api, workflow.id!, quietMs, 120_000);

/** A Ticket Status Changed event from Halo, delivered before this returns. */
async function statusChanged(): Promise<void> {
	await sandbox.call('POST', '/simulate/event', { event: 'Ticket Status Changed', object_id: ticketId });
	await sandbox.call('POST', '/webhooks/flush');
}

beforeAll(async () => {
	ticketId = (await sandbox.call<{ id: number }>('POST', '/simulate/ticket-logged', { summary: 'Restart test ticket', client_id: 1 })).id;
	n8n = await startBenchN8n({ sandbox: access, workflows: [workflow] });
	registered = await waitForWebhookRegistration(access, webhookId);
	await waitForTriggerEndpoint(n8n.instance.url, webhookId);

	for (let index = 0; index < DELIVERIES; index++) await statusChanged();
	delivered = await ourAttempts();
	expect(await executions()).toHaveLength(DELIVERIES);

	requestsBeforeRestart = (await sandbox.call<{ requests: number }>('GET', '/stats')).requests;
	await n8n.restart();
	await waitForTriggerEndpoint(n8n.instance.url, webhookId);
}, 600_000);

afterAll(async () => {
	await n8n?.api.unpublish(workflow.id!).catch(() => undefined);
	await n8n?.stop();
	// Unpublishing deletes the Halo webhook; one left by a failed test must not receive the next file's events.
	for (const webhook of await halo.webhooks()) if (webhook.url.includes(webhookId)) await halo.request('DELETE', `/Webhook/${webhook.id}`);
}, 120_000);

it(`accepted ${DELIVERIES} deliveries, each starting one execution, before the restart`, () => {
	expect(delivered.map((attempt) => [attempt.attempt, attempt.status])).toEqual(Array.from({ length: DELIVERIES }, () => [1, 200]));
	expect(new Set(delivered.map((attempt) => attempt.id)).size).toBe(DELIVERIES);
});

it('makes no Halo call when n8n restarts: the Halo webhook keeps its id and Basic credentials', async () => {
	expect((await sandbox.call<{ requests: number }>('GET', '/stats')).requests).toBe(requestsBeforeRestart);
	const [after] = (await halo.webhooks()).filter((webhook) => webhook.url.includes(webhookId)) as Array<HaloWebhook & { basic_username?: string }>;
	expect(after).toMatchObject({ id: registered.id, basic_username: registered.basic_username, events: registered.events });
});

it(`starts nothing when Halo resends all ${DELIVERIES} deliveries with the same ids after the restart`, async () => {
	await sandbox.call('POST', '/webhooks/redeliver', { delivery_ids: delivered.map((attempt) => attempt.id) });
	await sandbox.call('POST', '/webhooks/flush');

	const resent = (await ourAttempts()).filter((attempt) => attempt.redelivery);
	expect(resent.map((attempt) => [attempt.id, attempt.status])).toEqual(delivered.map((attempt) => [attempt.id, 200]));
	expect(await executions()).toHaveLength(DELIVERIES);
});

it("starts a workflow for Halo's next event after the restart (its Basic password is still the one n8n knows)", async () => {
	await statusChanged();

	expect((await ourAttempts()).slice(-1).map((attempt) => attempt.status)).toEqual([200]);
	expect(await executions()).toHaveLength(DELIVERIES + 1);
});
