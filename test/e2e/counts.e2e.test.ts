/**
 * The deterministic counts behind BENCHMARKS.md, in the suite's real n8n 2.41.1 (the benches in
 * bench/ run the same workflows at full size; times are never asserted here).
 */
import {
	deliverWithRepeats,
	deliveryIdsOf,
	hitWebhook,
	oursReadAndNoteWorkflow,
	peerReadAndUpdateWorkflow,
	triggerWebhookId,
	triggerWorkflow,
	waitForExecutionsToSettle,
	waitForTriggerEndpoint,
	waitForWebhookRegistration,
	type CredentialRef,
	type WorkflowJson,
} from '../../bench/real-n8n';
import { peerCredentialData } from '../../bench/peer-node';
import { DEFAULT_CREDENTIAL_NAME } from '../../scripts/n8n-env';
import { N8nApi, removeWorkflows, SandboxControl } from './helpers/n8n';

const api = new N8nApi();
const sandbox = new SandboxControl();
const access = { baseUrl: api.state.sandboxUrl, clientId: api.state.sandboxClientId, clientSecret: api.state.sandboxClientSecret };
const createdWorkflows: string[] = [];
const createdCredentials: string[] = [];
let ticketId: number;

async function createCredential(name: string, type: string, data: Record<string, unknown>): Promise<CredentialRef> {
	const credential = await api.request<{ id: string; name: string }>('POST', '/credentials', { name, type, data });
	createdCredentials.push(credential.id);
	return { id: credential.id, name: credential.name };
}

/** Creates and publishes a workflow (its webhooks register while the publish call runs). */
async function publishWorkflow(workflow: WorkflowJson): Promise<string> {
	const { id } = await api.request<{ id: string }>('POST', '/workflows', { ...workflow, active: false });
	createdWorkflows.push(id);
	await api.publish(id);
	return id;
}

beforeAll(async () => {
	await api.login();
	// A ticket of its own, so the writes below leave the demo tickets as other files expect them.
	const ticket = await sandbox.call<{ id: number }>('POST', '/simulate/ticket-logged', { summary: 'Counts test ticket', client_id: 1 });
	ticketId = ticket.id;
});

afterAll(async () => {
	await sandbox.call('POST', '/webhooks/flush');
	await removeWorkflows(api, createdWorkflows);
	for (const id of createdCredentials) await api.request('DELETE', `/credentials/${id}`).catch(() => undefined);
});

describe('token and API requests per execution (webhook-started workflows, fresh credentials)', () => {
	const EXECUTIONS = 20;

	it('ours: one token for 20 executions of "read a ticket, add a note"', async () => {
		// A scope no other credential of the suite asks for: a token the n8n process fetched moments ago serves every
		// credential of the same Halo application and scope, and the sample credential's was fetched at n8n's start.
		const credential = await createCredential('HaloPSA Automation (counts)', 'haloPsaAutomationApi', {
			url: access.baseUrl,
			tenant: '',
			authUrl: '',
			clientId: access.clientId,
			clientSecret: access.clientSecret,
			scope: 'all:standard',
		});
		const workflowId = await publishWorkflow(oursReadAndNoteWorkflow('counts-ours', credential));
		await sandbox.reset();
		expect(await hitWebhook(api.state.n8nUrl, 'counts-ours', EXECUTIONS, () => ticketId)).toBe(0);
		const stats = await sandbox.call<{ tokensIssued: number; requestsByRoute: Record<string, number> }>('GET', '/stats');
		expect(stats.tokensIssued).toBe(1);
		expect(stats.requestsByRoute['GET /api/tickets/:id']).toBe(EXECUTIONS);
		expect(stats.requestsByRoute['POST /api/actions']).toBe(EXECUTIONS);
		const executions = await waitForExecutionsToSettle(api, workflowId, 1000);
		expect(executions.filter((execution) => execution.status === 'success')).toHaveLength(EXECUTIONS);
	});

	it('the built-in HaloPSA node: a token in every node execution, two per workflow execution', async () => {
		const credential = await createCredential('HaloPSA built-in (counts)', 'haloPSAApi', peerCredentialData(access));
		const workflowId = await publishWorkflow(peerReadAndUpdateWorkflow('counts-peer', credential));
		await sandbox.reset();
		expect(await hitWebhook(api.state.n8nUrl, 'counts-peer', EXECUTIONS, () => ticketId)).toBe(0);
		const stats = await sandbox.call<{ tokensIssued: number; requestsByRoute: Record<string, number> }>('GET', '/stats');
		expect(stats.tokensIssued).toBe(2 * EXECUTIONS);
		expect(stats.requestsByRoute['GET /api/tickets/:id']).toBe(EXECUTIONS);
		expect(stats.requestsByRoute['POST /api/tickets']).toBe(EXECUTIONS);
		const executions = await waitForExecutionsToSettle(api, workflowId, 1000);
		expect(executions.filter((execution) => execution.status === 'success')).toHaveLength(EXECUTIONS);
	});
});

describe('trigger deliveries', () => {
	it('starts exactly 90 executions for 100 deliveries of which 10 repeat an earlier id, losing none', async () => {
		const workflow = triggerWorkflow({ id: api.state.credentialId, name: DEFAULT_CREDENTIAL_NAME });
		const workflowId = await publishWorkflow(workflow);
		await waitForWebhookRegistration(access, triggerWebhookId(workflow));
		await waitForTriggerEndpoint(api.state.n8nUrl, triggerWebhookId(workflow));
		const attempts = await deliverWithRepeats(access, { events: 90, ticketCount: 1, webhookId: triggerWebhookId(workflow) });
		expect(attempts).toHaveLength(100);
		expect(attempts.filter((attempt) => attempt.redelivery)).toHaveLength(10);
		expect(attempts.every((attempt) => attempt.success)).toBe(true);

		const executions = await waitForExecutionsToSettle(api, workflowId, 2000);
		expect(executions).toHaveLength(90);
		const startedFrom = await deliveryIdsOf(api, executions);
		expect(new Set(startedFrom)).toEqual(new Set(attempts.map((attempt) => attempt.id)));
	});
});
