/**
 * The sample workflows (workflows/*.json) as `npm start` imports them, driven end to end in the
 * suite's real n8n 2.41.1 against the shared Halo sandbox (demo dataset "BrightPath IT").
 */
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { HaloApi, waitForTriggerEndpoint, waitForWebhookRegistration } from '../../bench/real-n8n';
import { AxiosHaloDataSource, compileFormPolicy, planDeployments, withUniqueIds, type FormPolicy } from '../../engine';
import { isPublished, REPO_ROOT } from '../../scripts/n8n-env';
import { executionError, N8nApi, removeWorkflows, SandboxControl, until } from './helpers/n8n';
import { settledExecutions, settledPublication } from './helpers/trigger';

const api = new N8nApi();
const sandbox = new SandboxControl();
const { state } = api;
const access = { baseUrl: state.sandboxUrl, clientId: state.sandboxClientId, clientSecret: state.sandboxClientSecret };
type Row = Record<string, any>;

const sample = (file: string) => {
	const found = state.workflows.find((workflow) => workflow.file === file);
	if (!found) throw new Error(`workflows/${file} was not imported`);
	const json = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'workflows', file), 'utf8')) as { nodes: Row[] };
	return { ...found, json, node: (name: string) => json.nodes.find((node) => node.name === name)! };
};
const inbound = sample('note-routing-inbound.json');
const outbound = sample('note-routing-outbound.json');
const deployments = sample('contract-deployments.json');
const tab = sample('technician-tab.json');
const OUTBOUND_WEBHOOK_ID = String(outbound.node('HaloPSA note added').webhookId);
const INBOUND_URL = `${state.n8nUrl}/webhook/${inbound.node('Chat message').parameters.path}`;
const TAB_URL = `${state.n8nUrl}/webhook/${tab.node('Tab request').parameters.path}`;
const RUN = `e2e-${Date.now().toString(36)}`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const halo = new HaloApi(access);
const actionsOf = async (ticketId: number) => (await halo.request<{ actions: Row[] }>('GET', `/Actions?ticket_id=${ticketId}`)).actions;
const outcomeNameOf = async (outcomeId: number) => (await halo.request<Row[]>('GET', '/Outcome')).find((outcome) => outcome.id === outcomeId)?.outcome;


/** Waits until n8n routes a production webhook path (anything but 404). */
async function waitForRoute(url: string, init: RequestInit = {}): Promise<void> {
	await until(`n8n to register ${url}`, async () => {
		const answer = await fetch(url, init);
		await answer.arrayBuffer();
		return answer.status !== 404;
	});
}

/** A manual run from the given trigger through n8n's REST API (as the editor's Test workflow does); waits for its end. */
async function runManually(workflowId: string, trigger: string) {
	const started = await api.request<{ executionId?: string }>('POST', `/workflows/${workflowId}/run`, { triggerToStartFrom: { name: trigger } });
	if (!started.executionId) throw new Error(`n8n started no execution: ${JSON.stringify(started)}`);
	return await until(
		`execution ${started.executionId} to finish`,
		async () => {
			const execution = await api.execution(started.executionId!);
			return ['new', 'running', 'waiting'].includes(execution.status) ? undefined : execution;
		},
		170_000,
	);
}

// Counted once nothing is running and the count held still for a second: an execution of the test
// before (answered by its Respond node while still running) must not land in the next test's count.
const executionCount = async (workflowId: string) => (await settledExecutions(api, workflowId, 1000)).length;

beforeAll(async () => {
	await api.login();
	await waitForWebhookRegistration(access, OUTBOUND_WEBHOOK_ID);
	await waitForTriggerEndpoint(state.n8nUrl, OUTBOUND_WEBHOOK_ID);
	await waitForRoute(INBOUND_URL, { method: 'POST' });
	await waitForRoute(`${TAB_URL}?ticket_id=0`);
});

describe('Note routing: chat to HaloPSA (note-routing-inbound.json)', () => {
	const TICKET = 4; // Harbor Legal LLP, "Outlook keeps asking for a password"; its user has an email address
	const send = async (body: unknown, secret: string | null = state.chatSecret) => {
		const answer = await fetch(INBOUND_URL, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json', ...(secret === null ? {} : { [state.chatSecretHeader]: secret }) },
			body: JSON.stringify(body),
		});
		const text = await answer.text();
		let parsed: Row | null = null;
		try {
			parsed = text ? (JSON.parse(text) as Row) : null;
		} catch {
			parsed = { text }; // n8n's own refusal of a forged call is plain text
		}
		return { status: answer.status, body: parsed as Row };
	};
	const chatTexts: string[] = [];

	it.each([
		['customer', 'Chat Reply', false],
		['internal', 'Chat Internal Remark', true],
		['email', 'Chat Email', false],
	] as const)('kind "%s" adds a Halo action with outcome "%s" (hidden from user: %s)', async (kind, outcome, hidden) => {
		const text = `${RUN} ${kind}: the new printer driver is installed <ok> & tested`;
		chatTexts.push(text);
		const message = { message_id: `${RUN}-${kind}`, ticket_id: TICKET, text, kind, ...(kind === 'email' ? { subject: `Printer fixed (${RUN})` } : {}) };
		const answer = await send(message);
		expect(answer).toMatchObject({ status: 201, body: { ok: true, kind, action: { ticket_id: TICKET, outcome, alreadyWritten: false } } });

		const action = (await actionsOf(TICKET)).find((candidate) => candidate.id === answer.body.action.id);
		expect(action).toMatchObject({ ticket_id: TICKET, note: text, hiddenfromuser: hidden });
		expect(await outcomeNameOf(action!.outcome_id)).toBe(outcome);
		const emails = (await sandbox.call<Row[]>('GET', '/emails')).filter((email) => email.action_id === action!.id);
		if (kind === 'email') {
			const ticket = await halo.request<Row>('GET', `/Tickets/${TICKET}`);
			expect(ticket.user_email).toMatch(/@/);
			expect(emails).toEqual([expect.objectContaining({ ticket_id: TICKET, to: ticket.user_email, subject: `Printer fixed (${RUN})` })]);
			expect(emails[0].body).toContain('the new printer driver is installed');
		} else {
			expect(emails).toEqual([]);
		}

		// The chat tool sends the message again: its id is the Idempotency Key, so nothing is written again.
		const repeat = await send(message);
		expect(repeat).toMatchObject({ status: 201, body: { ok: true, kind, action: { id: action!.id, alreadyWritten: true } } });
		expect((await actionsOf(TICKET)).filter((candidate) => candidate.note === text)).toHaveLength(1);
		expect((await sandbox.call<Row[]>('GET', '/emails')).filter((email) => email.action_id === action!.id)).toHaveLength(kind === 'email' ? 1 : 0);
	});

	it('answers 400 with a clear message for a missing ticket id, empty text, missing message id or an unknown kind, and writes nothing', async () => {
		const before = (await actionsOf(TICKET)).length;
		const missingId = await send({ message_id: `${RUN}-400`, text: 'hello', kind: 'customer' });
		expect(missingId).toMatchObject({ status: 400, body: { ok: false, error: 'bad_request' } });
		expect(missingId.body.message).toMatch(/ticket_id/);
		const noText = await send({ message_id: `${RUN}-400`, ticket_id: TICKET, text: '  ', kind: 'customer' });
		expect(noText).toMatchObject({ status: 400 });
		expect(noText.body.message).toMatch(/text/);
		const noMessageId = await send({ ticket_id: TICKET, text: 'hello', kind: 'customer' });
		expect(noMessageId).toMatchObject({ status: 400 });
		expect(noMessageId.body.message).toMatch(/^message_id is required/);
		const unknownKind = await send({ message_id: `${RUN}-400`, ticket_id: TICKET, text: 'hello', kind: 'sms' });
		expect(unknownKind).toMatchObject({ status: 400 });
		expect(unknownKind.body.message).toBe('kind must be "customer", "internal" or "email", got "sms"');
		expect((await actionsOf(TICKET)).length).toBe(before);
	});

	it('answers a Halo refusal (unknown ticket) with 422 and Halo\'s message instead of failing the call', async () => {
		const answer = await send({ message_id: `${RUN}-422`, ticket_id: 987654, text: 'hello', kind: 'internal' });
		expect(answer).toMatchObject({ status: 422, body: { ok: false, error: 'halo_error' } });
		expect(String(answer.body.message)).toMatch(/987654|not found|Ticket/i);
	});

	it('starts nothing for a forged call (no secret header, wrong secret)', async () => {
		const before = await executionCount(inbound.id);
		const actionsBefore = (await actionsOf(TICKET)).length;
		const noHeader = await send({ message_id: `${RUN}-forged`, ticket_id: TICKET, text: 'forged', kind: 'customer' }, null);
		const wrong = await send({ message_id: `${RUN}-forged`, ticket_id: TICKET, text: 'forged', kind: 'customer' }, 'not-the-secret');
		expect([401, 403]).toContain(noHeader.status);
		expect([401, 403]).toContain(wrong.status);
		await sleep(1500);
		expect(await executionCount(inbound.id)).toBe(before);
		expect((await actionsOf(TICKET)).length).toBe(actionsBefore);
	});

	it('does not echo the chat\'s own notes back to the chat (outcomes "Chat ...")', async () => {
		expect(chatTexts).toHaveLength(3);
		await sandbox.call('POST', '/webhooks/flush');
		await sleep(1500);
		const forwarded = [...(await sandbox.sink('chat-customer')), ...(await sandbox.sink('chat-internal'))].map((entry: Row) => entry.body?.text);
		for (const text of chatTexts) expect(forwarded).not.toContain(text);
	});
});

describe('Note routing: HaloPSA to chat (note-routing-outbound.json, published trigger)', () => {
	const TICKET = 1;
	const sinkTexts = async (name: string) => ((await sandbox.sink(name)) as Row[]).map((entry) => entry.body?.text);

	it('forwards a note the end user sees to the customer channel and a private note to the internal channel', async () => {
		const visible = `${RUN} visible: we replaced the toner`;
		const hidden = `${RUN} hidden: toner was a counterfeit`;
		await sandbox.call('POST', '/simulate/agent-note', { ticket_id: TICKET, note: visible, hiddenfromuser: false });
		await sandbox.call('POST', '/simulate/agent-note', { ticket_id: TICKET, note: hidden, hiddenfromuser: true });
		const customer = await until('the visible note in the chat-customer sink', async () =>
			((await sandbox.sink('chat-customer')) as Row[]).find((entry) => entry.body?.text === visible),
		);
		expect(customer).toMatchObject({
			method: 'POST',
			body: { channel: 'customer', ticket_id: TICKET, client: 'Northwind Dental Group', outcome: 'Note', author_type: 'agent' },
		});
		const internal = await until('the private note in the chat-internal sink', async () =>
			((await sandbox.sink('chat-internal')) as Row[]).find((entry) => entry.body?.text === hidden),
		);
		expect(internal).toMatchObject({ body: { channel: 'internal', ticket_id: TICKET, outcome: 'Private Note' } });
		// Each post names Halo's delivery in Idempotency-Key, so the chat can drop a repeated delivery.
		const deliveries = await sandbox.call<Row[]>('GET', '/webhook-deliveries');
		for (const posted of [customer, internal]) {
			const key = posted.headers['idempotency-key'];
			expect(deliveries.filter((delivery) => delivery.id === key && delivery.url.includes(OUTBOUND_WEBHOOK_ID))).not.toHaveLength(0);
		}
		expect(customer.headers['idempotency-key']).not.toBe(internal.headers['idempotency-key']);
		expect(await sinkTexts('chat-internal')).not.toContain(visible);
		expect(await sinkTexts('chat-customer')).not.toContain(hidden);
	});

	it('starts nothing for a forged delivery to the trigger (wrong Basic credentials)', async () => {
		await sandbox.call('POST', '/webhooks/flush');
		await sleep(1000);
		const before = await executionCount(outbound.id);
		const answer = await fetch(`${state.n8nUrl}/webhook/${OUTBOUND_WEBHOOK_ID}/webhook`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json', Authorization: `Basic ${Buffer.from('halo:guessed').toString('base64')}` },
			body: JSON.stringify({ id: 'forged-1', event: 'action added', object_id: 1, action: { id: 1, ticket_id: TICKET, note: 'forged', hiddenfromuser: false } }),
		});
		expect(answer.status).toBe(401);
		await sleep(1500);
		expect(await executionCount(outbound.id)).toBe(before);
	});

	it('unpublishing removes its Halo webhook; publishing again re-creates it', async () => {
		const ours = async () => await halo.webhooksFor(OUTBOUND_WEBHOOK_ID);
		expect(await ours()).toHaveLength(1);
		await api.unpublish(outbound.id);
		await until('the Halo webhook to be deleted', async () => (await ours()).length === 0);
		const note = `${RUN} while unpublished`;
		await sandbox.call('POST', '/simulate/agent-note', { ticket_id: TICKET, note, hiddenfromuser: false });
		await sandbox.call('POST', '/webhooks/flush');
		expect(await sinkTexts('chat-customer')).not.toContain(note);

		await api.publish(outbound.id);
		await waitForWebhookRegistration(access, OUTBOUND_WEBHOOK_ID);
		expect(await ours()).toHaveLength(1);
	});
});

describe('Contract deployments (contract-deployments.json, run from its Manual Trigger)', () => {
	const SUMMARY = 'Software deployment plan';
	const formPolicies = deployments.node('Plan deployments').parameters.formPolicies.policy as FormPolicy[];
	/** Northwind's machines by host name (key_field), inactive ones too. */
	const northwind = async () => new Map((await halo.request<{ assets: Row[] }>('GET', '/Asset?client_id=1&includeinactive=true')).assets.map((asset) => [asset.key_field as string, asset]));
	const planTickets = async () =>
		(await halo.request<{ tickets: Row[] }>('GET', `/Tickets?search=${encodeURIComponent(SUMMARY)}`)).tickets.filter((ticket) => ticket.summary === SUMMARY);

	/** The plan computed here with the engine over a snapshot the test loads itself. */
	async function expectedPlan() {
		const snapshot = await new AxiosHaloDataSource({ url: access.baseUrl, clientId: access.clientId, clientSecret: access.clientSecret }).loadSnapshot({
			includeInstalledSoftware: true,
		});
		const plan = await planDeployments(snapshot, withUniqueIds(formPolicies.map((policy) => compileFormPolicy(policy))), { timeZone: 'UTC' });
		const byClient = new Map<number, { install: string[]; remove: string[]; mismatch: string[] }>();
		const entry = (clientId: number) => byClient.get(clientId) ?? byClient.set(clientId, { install: [], remove: [], mismatch: [] }).get(clientId)!;
		for (const change of plan.changes()) {
			if (change.action === 'install' || change.action === 'remove') entry(change.clientId)[change.action].push(`${change.assetName}|${change.software}`);
		}
		for (const row of plan.reconciliation()) {
			if (row.status !== 'matched') entry(row.clientId).mismatch.push(`${row.software}|${row.scope} ${row.contractRef || row.assetId}|${row.status}|${Math.abs(row.difference)}`);
		}
		for (const value of byClient.values()) (['install', 'remove'] as const).forEach((key) => value[key].sort());
		return byClient;
	}

	it('is not published in the suite, so its 06:00 UTC schedule cannot add plans to a run (the webhook and trigger samples are)', async () => {
		const published = async (id: string) => isPublished(await api.getWorkflow(id));
		expect(deployments.json.nodes.some((node) => node.type === 'n8n-nodes-base.scheduleTrigger')).toBe(true);
		expect({
			deployments: await published(deployments.id),
			inbound: await published(inbound.id),
			outbound: await published(outbound.id),
			tab: await published(tab.id),
		}).toEqual({ deployments: false, inbound: true, outbound: true, tab: true });
	});

	it('posts each client\'s install/remove plan to the RMM and notes it, with the licence mismatch, on one ticket per client', async () => {
		// Two new Northwind workstations, one on the Managed Security contract NWD-MSEC-2025 (id 1): both need
		// Huntress (client-wide), only that one SentinelOne (contract-linked), and its contract then bills one too few.
		const template = (await halo.request<{ assets: Row[] }>('GET', '/Asset?client_id=1')).assets.find((asset) => asset.assettype_name === 'Workstation')!;
		const onContract = `NWD-WS-${RUN}-MSEC`.toUpperCase();
		const offContract = `NWD-WS-${RUN}-MSP`.toUpperCase();
		await halo.request('POST', '/Asset', [
			{ inventory_number: onContract, key_field: `${RUN} new reception PC`, client_id: 1, site_id: template.site_id, assettype_id: template.assettype_id, contract_id: 1 },
			{ inventory_number: offContract, key_field: `${RUN} new clinic PC`, client_id: 1, site_id: template.site_id, assettype_id: template.assettype_id, contract_id: 2 },
		]);
		const machines = await northwind();
		const xray = machines.get('NWD-OLD-XRAY')!;
		const expected = await expectedPlan();
		expect(expected.get(1)?.mismatch).toEqual(['SentinelOne|contract NWD-MSEC-2025|under-billed|1', `SentinelOne|asset ${xray.id}|over-billed|1`]);
		expect(expected.size).toBeGreaterThanOrEqual(3);
		// machine by machine at Northwind, written out
		const name = (host: string) => machines.get(host)!.inventory_number as string;
		expect(expected.get(1)?.install).toEqual(
			[
				`${onContract}|Huntress`,
				`${onContract}|SentinelOne`,
				`${offContract}|Huntress`,
				...['NWD-DC01', 'NWD-RECEPTION-01', 'NWD-SURGERY-01', 'NWD-LT-EMMA', 'NWD-HGT-RECEPTION', 'NWD-YRK-RECEPTION'].map((host) => `${name(host)}|Huntress`),
				// on NWD-MSEC-2025 without the agent (the ticket "SentinelOne agent missing on Harrogate reception PC")
				`${name('NWD-HGT-RECEPTION')}|SentinelOne`,
			].sort(),
		);
		// York's PC keeps SentinelOne: not on the contract, but billed on a line of its own
		expect(expected.get(1)?.remove).toEqual([]);
		await sandbox.call('DELETE', '/sink/rmm');

		const run = await runManually(deployments.id, 'Run now');
		expect({ status: run.status, error: executionError(run) }).toEqual({ status: 'success', error: undefined });

		const posted = (await sandbox.sink('rmm')) as Row[];
		const received = new Map(
			posted.map((entry) => [
				entry.body.client_id as number,
				{
					install: (entry.body.install as Row[]).map((change) => `${change.assetName}|${change.software}`).sort(),
					remove: (entry.body.remove as Row[]).map((change) => `${change.assetName}|${change.software}`).sort(),
				},
			]),
		);
		expect(posted).toHaveLength(expected.size);
		for (const [clientId, plan] of expected) expect({ clientId, ...received.get(clientId) }).toEqual({ clientId, install: plan.install, remove: plan.remove });

		const tickets = await planTickets();
		for (const [clientId, plan] of expected) {
			const ofClient = tickets.filter((candidate) => candidate.client_id === clientId);
			expect({ clientId, planTickets: ofClient.length }).toEqual({ clientId, planTickets: 1 });
			const ticket = ofClient[0];
			const notes = (await actionsOf(ticket.id)).filter((action) => String(action.note).startsWith('Software deployment plan for'));
			const last = notes[notes.length - 1];
			expect(last).toMatchObject({ hiddenfromuser: true });
			expect(await outcomeNameOf(last.outcome_id)).toBe('Private Note');
			for (const change of [...plan.install, ...plan.remove]) expect(last.note).toContain(change.split('|')[0]);
			expect(last.note).toContain(`Install (${plan.install.length}):`);
			expect(last.note).toContain(`Remove (${plan.remove.length}):`);
			if (plan.mismatch.length) expect(last.note).toContain('Licence mismatch');
			else expect(last.note).not.toContain('Licence mismatch');
			if (clientId === 1) {
				expect(last.note).toContain('- SentinelOne (S1-CORE) on contract NWD-MSEC-2025: 6 machines targeted, 5 billed: UNDER-BILLED by 1');
				expect(last.note).toContain(`- SentinelOne (S1-CORE) for ${name('NWD-YRK-RECEPTION')}: 1 machines targeted, 1 billed: matched`);
				expect(last.note).toContain(`- SentinelOne (S1-CORE) for asset ${xray.id} (not planned: inactive or gone): 0 machines targeted, 1 billed: OVER-BILLED by 1`);
				expect(last.note).not.toContain(`${offContract} (Workstation): SentinelOne`);
			}
		}

		// The next run reuses the open plan tickets instead of logging new ones.
		const again = await runManually(deployments.id, 'Run now');
		expect(again.status).toBe('success');
		expect((await planTickets()).length).toBe(tickets.length);
		expect(((await sandbox.sink('rmm')) as Row[]).length).toBe(2 * expected.size);
	});
});

describe('Technician tab (technician-tab.json)', () => {
	/** The tab as Halo loads it: `?ticket_id=<id>&key=<key>` (the id left out when undefined, the key when null). */
	const open = async (ticketId?: number | string, key: string | null = state.tabKey) => {
		const query = new URLSearchParams({ ...(ticketId === undefined ? {} : { ticket_id: String(ticketId) }), ...(key === null ? {} : { key }) });
		const answer = await fetch(`${TAB_URL}?${query}`);
		return {
			status: answer.status,
			type: answer.headers.get('content-type') ?? '',
			cache: answer.headers.get('cache-control'),
			retryAfter: answer.headers.get('retry-after'),
			html: await answer.text(),
		};
	};
	const haloRequests = async () => (await sandbox.call<{ requests: number }>('GET', '/stats')).requests;

	/**
	 * A workflow of the test's own (unpublished): the sample's tab trigger with `parameters` (and the
	 * sample's key credential unless `credentials` says otherwise), then `nodes` one after the other.
	 */
	async function tabWorkflow(name: string, parameters: Row, nodes: Row[], credentials: Row = tab.node('Tab request').credentials): Promise<string> {
		const trigger = { name: 'Tab request', type: tab.node('Tab request').type, typeVersion: 1, webhookId: randomUUID(), parameters, credentials };
		const chain: Row[] = [trigger, ...nodes].map((node, index) => ({ id: randomUUID(), position: [index * 200, 0], ...node }));
		const connections = Object.fromEntries(
			chain.slice(1).map((node, index) => [chain[index].name, { main: [[{ node: node.name, type: 'main', index: 0 }]] }]),
		);
		const { id } = await api.request<{ id: string }>('POST', '/workflows', { name, active: false, settings: { executionOrder: 'v1' }, nodes: chain, connections });
		return id;
	}
	const policies = withUniqueIds((tab.node('Deployment targets').parameters.formPolicies.policy as FormPolicy[]).map((policy) => compileFormPolicy(policy)));

	/** The HTML between a section's heading and the next one. */
	const sectionOf = (html: string, title: string) => html.split(`<h2>${title}`)[1]?.split('<h2>')[0] ?? '';

	/** The badges the page shows per machine: { assetName: ['Huntress: installed', ...] }. */
	function targetBadges(html: string): Record<string, string[]> {
		const shown: Record<string, string[]> = {};
		const machine = /<li><span class="(?:mine)?">([^<]*)<\/span> <span class="muted">[^<]*<\/span><div>(.*?)<\/div><\/li>/g;
		for (const [, name, badges] of sectionOf(html, 'Deployment targets').matchAll(machine)) {
			shown[name] = [...badges.matchAll(/<span class="tag [a-z]+">([^<]*)<\/span>/g)].map((badge) => badge[1]).sort();
		}
		return shown;
	}

	/**
	 * The same per machine, from a plan the test makes itself with the engine over its own snapshot: a badge
	 * for every decision except software neither targeted nor installed (the page leaves those out).
	 */
	async function expectedBadges(clientId: number): Promise<Record<string, string[]>> {
		const snapshot = await new AxiosHaloDataSource({ url: access.baseUrl, clientId: access.clientId, clientSecret: access.clientSecret }).loadSnapshot({
			includeInstalledSoftware: true,
		});
		const plan = await planDeployments(snapshot, policies, { timeZone: 'UTC' });
		const label = (decision: { action: string; targeted: boolean; installed: boolean | null }) =>
			({
				install: 'to install',
				remove: 'to remove',
				compliant: decision.installed ? 'installed' : 'not needed',
				unmanaged: 'installed, not covered',
				unknown: decision.targeted ? 'covered' : 'not covered',
			})[decision.action] ?? decision.action;
		const expected: Record<string, string[]> = {};
		for (const decision of plan.decisions()) {
			if (decision.clientId !== clientId) continue;
			const badges = (expected[decision.assetName] ??= []);
			if (decision.targeted || decision.action !== 'compliant') badges.push(`${decision.software}: ${label(decision)}`);
		}
		for (const badges of Object.values(expected)) badges.sort();
		return expected;
	}

	it('answers a ticket with an HTML page naming its client, contracts and items in force and every machine of the client', async () => {
		const page = await open(2); // Northwind Dental Group, asset 5 on the ticket
		expect(page.status).toBe(200);
		expect(page.type).toMatch(/^text\/html/);
		expect(page.html).toMatch(/^<!doctype html>/i);
		expect(page.html).toContain('Northwind Dental Group');
		expect(page.html).toContain('Ticket #2');
		const assets = (await halo.request<{ assets: Row[] }>('GET', '/Asset?client_id=1')).assets;
		expect(assets.length).toBeGreaterThan(3);
		for (const asset of assets) expect(page.html).toContain(asset.inventory_number);
		const onTicket = assets.find((asset) => asset.id === 5)!;
		expect(page.html).toContain(`${onTicket.inventory_number}</span> <span class="muted">${onTicket.assettype_name} · on this ticket`);
		const today = new Date().toISOString().slice(0, 10);
		const contracts = (await halo.request<{ contracts: Row[] }>('GET', '/ClientContract?client_id=1')).contracts.filter(
			(contract) => !contract.expired && contract.active !== false && String(contract.start_date).slice(0, 10) <= today && (!contract.end_date || String(contract.end_date).slice(0, 10) >= today),
		);
		expect(contracts.length).toBeGreaterThan(0);
		for (const contract of contracts) expect(page.html).toContain(contract.ref);
		const items = sectionOf(page.html, 'Recurring items in force');
		// S1-CORE for the five machines on NWD-MSEC-2025, for York's PC alone, and still for the retired X-ray PC
		const york = assets.find((asset) => asset.key_field === 'NWD-YRK-RECEPTION')!;
		const xray = (await halo.request<{ assets: Row[] }>('GET', '/Asset?client_id=1&includeinactive=true')).assets.find((asset) => asset.key_field === 'NWD-OLD-XRAY')!;
		const s1 = (billed: string, quantity: number) => `SentinelOne Singularity Core <span class="muted">S1-CORE</span><div class="muted">quantity ${quantity} · ${billed}</div>`;
		expect(items).toContain(s1('for the machines on NWD-MSEC-2025', 5));
		expect(items).toContain(s1(`for ${york.inventory_number}`, 1));
		expect(items).toContain(s1(`for asset ${xray.id} (not planned: inactive or gone)`, 1));
		// Narrow-iframe friendly: no scripts, no external files.
		expect(page.html).not.toMatch(/<script|<link|src=|https?:\/\//i);
	});

	it('shows each machine\'s Huntress and SentinelOne decisions as the engine plans them for the client', async () => {
		const page = await open(2);
		expect(page.status).toBe(200);
		const expected = await expectedBadges(1);
		expect(Object.keys(expected).length).toBeGreaterThan(3);
		expect(targetBadges(page.html)).toEqual(expected);
		// Machine by machine: the Harrogate reception PC (asset 5, the ticket's point) is on NWD-MSEC-2025, whose
		// invoice bills S1-CORE, and has no agent; York's PC is not on it but pays S1-CORE itself; the firewall gets none.
		const shown = targetBadges(page.html);
		const machines = new Map((await halo.request<{ assets: Row[] }>('GET', '/Asset?client_id=1')).assets.map((asset) => [asset.key_field as string, asset.inventory_number as string]));
		const s1 = (host: string) => shown[machines.get(host)!].filter((badge) => badge.startsWith('SentinelOne'));
		expect(machines.get('NWD-HGT-RECEPTION')).toBe((await halo.request<Row>('GET', '/Asset/5')).inventory_number);
		expect(s1('NWD-HGT-RECEPTION')).toEqual(['SentinelOne: to install']);
		for (const host of ['NWD-DC01', 'NWD-RECEPTION-01', 'NWD-SURGERY-01', 'NWD-LT-EMMA']) expect({ host, s1: s1(host) }).toEqual({ host, s1: ['SentinelOne: installed'] });
		expect(s1('NWD-YRK-RECEPTION')).toEqual(['SentinelOne: installed']);
		expect(s1('NWD-FW01')).toEqual([]);
	});

	it('renders the tab for a client without a Managed Security contract or S1-CORE (ticket 5), every machine not targeted', async () => {
		const page = await open(5); // Summit Engineering Ltd: Managed Services and Break Fix only
		expect({ status: page.status, title: /<title>([^<]*)<\/title>/.exec(page.html)?.[1] }).toEqual({
			status: 200,
			title: expect.stringContaining('Summit Engineering Ltd'),
		});
		const expected = await expectedBadges(3);
		expect(Object.keys(expected).length).toBeGreaterThan(3);
		expect(Object.values(expected).flat().filter((badge) => !/not covered|installed, not covered/.test(badge))).toEqual([]);
		expect(targetBadges(page.html)).toEqual(expected);
	});

	it('says a recurring item without an asset or contract bills the client as a whole', async () => {
		// Bluebird Bakery (ticket 6) has no recurring invoice in the demo: one without a contract, for Microsoft 365
		await halo.request('POST', '/RecurringInvoice', [{ client_id: 4, contract_id: 0, lines: [{ _itemid: 4, qty_order: 3 }] }]);
		const page = await open(6);
		expect(page.status).toBe(200);
		expect(sectionOf(page.html, 'Recurring items in force')).toContain(
			'Microsoft 365 Business Premium <span class="muted">M365-BP</span><div class="muted">quantity 3 · client-wide</div>',
		);
	});

	it('escapes every value it shows', async () => {
		const ticket = await sandbox.call<{ id: number }>('POST', '/simulate/ticket-logged', {
			summary: '<img src=x onerror=alert(1)> & "quotes"',
			client_id: 4,
		});
		const page = await open(ticket.id);
		expect(page.status).toBe(200);
		expect(page.html).toContain('&lt;img src=x onerror=alert(1)&gt; &amp; &quot;quotes&quot;');
		expect(page.html).not.toContain('<img');
	});

	it('answers an unknown ticket or a missing id with a readable HTML error page', async () => {
		const unknown = await open(987654);
		expect(unknown.status).toBe(200);
		expect(unknown.type).toMatch(/^text\/html/);
		expect(unknown.html).toContain('Ticket 987654 not found');
		const missing = await open();
		expect(missing.status).toBe(200);
		expect(missing.html).toContain('No ticket id');
		expect(missing.html).toContain('?ticket_id=$FAULTID');
	});

	it('answers a load without the key or with a wrong one with 401 and an empty page; no execution, no HaloPSA request', async () => {
		const executions = await executionCount(tab.id);
		const requests = await haloRequests();
		for (const key of [null, '', 'not-the-key', `${state.tabKey}x`, state.tabKey.slice(0, -1), state.tabKey.toUpperCase()]) {
			expect({ key, ...(await open(2, key)) }).toEqual({ key, status: 401, type: 'text/html; charset=utf-8', cache: 'no-store', retryAfter: null, html: '' });
		}
		expect(await haloRequests()).toBe(requests);
		expect(await executionCount(tab.id)).toBe(executions);
		const page = await open(2);
		expect(page).toMatchObject({ status: 200, type: 'text/html; charset=utf-8', cache: 'no-store' });
		expect(page.html).toContain('Northwind Dental Group');
		process.stderr.write(`[e2e] one tab load made ${(await haloRequests()) - requests} HaloPSA requests\n`);
		expect(await until('the execution of the load with the key', async () => (await executionCount(tab.id)) === executions + 1)).toBe(true);
		// The key stays out of the workflow's data, and so out of the execution n8n saves.
		const [latest] = await api.executions(tab.id);
		const started = (await api.execution(latest.id)).data.resultData.runData['Tab request'][0].data.main[0];
		expect(started.map((item: Row) => item.json)).toEqual([{ ticketId: 2, query: { ticket_id: '2' } }]);
	});

	it('refuses to publish a tab whose key credential is unusable, saying what to fix', async () => {
		const credential = await api.request<{ id: string; name: string }>('POST', '/credentials', {
			name: `Short tab key ${RUN}`,
			type: 'haloPsaCustomTabKeyApi',
			data: { secretKey: 'short' },
		});
		const id = await tabWorkflow(`Tab with a short key ${RUN}`, { path: `tab-short-key-${RUN}` }, [], {
			haloPsaCustomTabKeyApi: { id: credential.id, name: credential.name },
		});
		try {
			// n8n may refuse the publish call itself or report the failure in the publication status.
			const refusal = await api.publish(id).then(
				() => undefined,
				(error: Error) => error.message,
			);
			const reason = refusal ?? (await settledPublication(api, id)).triggers.map((trigger) => trigger.errorMessage).join('; ');
			expect(reason).toMatch(/Key has 5 characters: enter a random key of at least 16/);
			// Nothing answers on its path: a load gets n8n's 404 for an unknown webhook.
			expect((await fetch(`${state.n8nUrl}/webhook/tab-short-key-${RUN}?ticket_id=2&key=short`)).status).toBe(404);
		} finally {
			await removeWorkflows(api, [id]);
			await api.request('DELETE', `/credentials/${credential.id}`).catch(() => undefined);
		}
	});

	it('past its loads-per-minute bound answers 429 with a page and Retry-After: no execution, no HaloPSA request', async () => {
		const tabPath = `tab-bound-${RUN}`;
		const id = await tabWorkflow(`Tab bound ${RUN}`, { path: tabPath, maxLoadsPerMinute: 3 }, [
			{
				name: 'Get ticket',
				type: tab.node('Get ticket').type,
				typeVersion: 1,
				parameters: { resource: 'ticket', operation: 'get', ticketId: { __rl: true, mode: 'id', value: '={{ $json.ticketId }}' } },
				credentials: tab.node('Get ticket').credentials,
			},
			{ name: 'Page', type: 'n8n-nodes-base.code', typeVersion: 2, parameters: { jsCode: 'return [{ json: { html: `<p>Ticket ${$json.id}</p>` } }];' } },
		]);
		try {
			await api.publish(id);
			const url = `${state.n8nUrl}/webhook/${tabPath}`;
			await waitForRoute(url);
			const ticketReads = async () =>
				(await sandbox.call<{ requestsByRoute: Record<string, number> }>('GET', '/stats')).requestsByRoute['GET /api/tickets/:id'] ?? 0;
			const reads = await ticketReads();
			const loads = [];
			for (let load = 0; load < 5; load++) {
				const answer = await fetch(`${url}?ticket_id=2&key=${state.tabKey}`);
				loads.push({ status: answer.status, retryAfter: Number(answer.headers.get('retry-after') ?? 0), html: await answer.text() });
			}
			expect(loads.slice(0, 3)).toEqual(Array.from({ length: 3 }, () => ({ status: 200, retryAfter: 0, html: '<p>Ticket 2</p>' })));
			for (const refused of loads.slice(3)) {
				expect(refused.status).toBe(429);
				expect(refused.retryAfter).toBeGreaterThanOrEqual(1);
				expect(refused.retryAfter).toBeLessThanOrEqual(60);
				expect(refused.html).toContain('This tab was loaded 3 times in the last minute, as many as it may be.');
			}
			expect(await ticketReads()).toBe(reads + 3);
			expect(await until('the three executions', async () => (await executionCount(id)) === 3)).toBe(true);
		} finally {
			await removeWorkflows(api, [id]);
		}
	});

	it('a burst of 100 wrong-key loads makes no HaloPSA request and starts no execution', async () => {
		const executions = await executionCount(tab.id);
		const requests = await haloRequests();
		const answers = await Promise.all(Array.from({ length: 100 }, (_, index) => open(index + 1, `wrong-key-${index}`)));
		expect(answers.map((answer) => answer.status)).toEqual(Array.from({ length: 100 }, () => 401));
		expect(await haloRequests()).toBe(requests);
		expect(await executionCount(tab.id)).toBe(executions);
	});
});
