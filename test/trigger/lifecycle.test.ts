import { createHash } from 'node:crypto';

import type { HaloSandbox } from '../../sandbox';
import { startHaloSandbox } from '../../sandbox';
import { haloEvents } from '../../sandbox/webhooks';
import type { ICredentialsDecrypted, ICredentialTestFunctions } from 'n8n-workflow';

import type { WebhookAuthValues } from '../helpers/n8n-trigger-harness';
import { TriggerHarness } from '../helpers/n8n-trigger-harness';
import { HaloPsaTrigger } from '../../nodes/HaloPsaTrigger/HaloPsaTrigger.node';
import type { ApiClient } from './support';
import { decodeBasicAuthorization, flushDeliveries, haloApiClient, postToTrigger, sandboxControl, sandboxRequests } from './support';

const ticketing = {
	clientId: 'sandbox-ticketing-client',
	clientSecret: 'sandbox-ticketing-secret',
	scope: 'all:standard all:teams admin:webhooks',
};
const noWebhooks = {
	clientId: 'sandbox-nowebhooks-client',
	clientSecret: 'sandbox-nowebhooks-secret',
	scope: 'all:standard all:teams',
};

const sha256 = (value: string) => createHash('sha256').update(value, 'utf8').digest('hex');

/** Action Added has no number Halo documents: a Custom Event with the sandbox's number. */
const actionAdded = { name: 'Action Added', eventNumber: haloEvents.actionAdded.eventno };

describe('HaloPSA Trigger webhook lifecycle (publish, re-publish, repair, unpublish)', () => {
	let sandbox: HaloSandbox;
	let api: ApiClient;
	let ticketId: number;
	const harnesses: TriggerHarness[] = [];

	async function startTrigger(parameters = {}, application = ticketing, webhookAuth?: WebhookAuthValues) {
		const harness = await TriggerHarness.start({
			credentials: { url: sandbox.baseUrl, ...application },
			webhookAuth,
			parameters: { events: ['ticketStatusChanged'], customEvents: { event: [actionAdded] }, ...parameters },
			workflowName: 'Note routing',
		});
		harnesses.push(harness);
		return harness;
	}

	async function remoteWebhooks(): Promise<any[]> {
		return (await api.request<any[]>('GET', '/Webhook')).body;
	}

	/** Halo answers 201 to a POST /Webhook that created a webhook and 200 to one that updated one. */
	async function webhookPosts(): Promise<{ creations: number; updates: number }> {
		const posts = await sandboxRequests(sandbox, 'POST /api/webhook');
		return {
			creations: posts.filter((post) => post.status === 201).length,
			updates: posts.filter((post) => post.status === 200).length,
		};
	}

	/** Makes the sandbox deliver one note event and returns the Authorization header Halo sent with it. */
	async function deliverOneNote(trigger: TriggerHarness): Promise<string | undefined> {
		const before = trigger.calls.length;
		await sandboxControl(sandbox, 'POST', '/simulate/agent-note', { ticket_id: ticketId, note: 'lifecycle check' });
		await flushDeliveries(sandbox);
		return trigger.calls.slice(before).find((call) => call.authorization)?.authorization;
	}

	beforeAll(async () => {
		sandbox = await startHaloSandbox();
		api = await haloApiClient(sandbox, ticketing);
		ticketId = (await api.request('GET', '/Tickets?open_only=true&count=1')).body.tickets[0].id;
	});

	afterAll(async () => {
		await Promise.all(harnesses.map(async (harness) => await harness.stop()));
		await sandbox.stop();
	});

	it('publishing creates exactly one Halo webhook for the node URL, in Halo\'s integer codes, with generated Basic credentials, the default (full) payload and the events by number', async () => {
		const trigger = await startTrigger();
		const before = (await remoteWebhooks()).length;

		// The sandbox answers 400 "could not be converted to System.Int32" to a code sent as a string.
		await trigger.publish();

		const webhooks = await remoteWebhooks();
		expect(webhooks).toHaveLength(before + 1);
		const created = webhooks.find((webhook) => webhook.url === trigger.webhookUrl);
		expect(created).toMatchObject({
			url: trigger.webhookUrl,
			type: 0,
			method: 0,
			active: true,
			authentication_type: 1,
			payload_type: 0,
			batch_method: 0,
			basic_username: trigger.nodeStaticData.basicUsername,
			has_basic_password: true,
		});
		expect(created.events.map((event: any) => [event.eventno, event.name]).sort()).toEqual([
			[76, 'Ticket Status Changed'],
			[haloEvents.actionAdded.eventno, 'Action Added'],
		]);
		expect(trigger.nodeStaticData).toMatchObject({ webhookId: String(created.id), subscription: 'webhookEvents', notificationIds: [] });
		expect(trigger.webhookUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/webhook\/[\w-]+\/webhook$/);
	});

	it('keeps only a digest of the generated password: the workflow never holds the password Halo sends', async () => {
		const trigger = await startTrigger();
		await trigger.publish();

		const authorization = await deliverOneNote(trigger);

		const { username, password } = decodeBasicAuthorization(authorization);
		expect(trigger.calls[trigger.calls.length - 1]).toMatchObject({ status: 200, started: true });
		expect(password.length).toBeGreaterThanOrEqual(40);
		expect(JSON.stringify(trigger.savedStaticData)).not.toContain(password);
		expect(trigger.nodeStaticData).toMatchObject({ basicUsername: username, basicPasswordSha256: sha256(password) });
		expect(trigger.nodeStaticData).not.toHaveProperty('basicPassword');
	});

	it('drops a password an older version kept in plain text the next time the workflow is activated', async () => {
		const trigger = await startTrigger();
		await trigger.publish();
		trigger.nodeStaticData = { ...trigger.nodeStaticData, basicPassword: 'kept-in-plain-text' };

		await trigger.publish();

		expect(JSON.stringify(trigger.savedStaticData)).not.toContain('kept-in-plain-text');
		expect(trigger.nodeStaticData.basicPasswordSha256).toMatch(/^[0-9a-f]{64}$/);
	});

	it('activating again (checkExists finds the registered webhook) creates no second one', async () => {
		const trigger = await startTrigger();
		const before = await webhookPosts();
		await trigger.publish();
		const id = trigger.nodeStaticData.webhookId;

		await trigger.publish();
		await trigger.publish();

		// One creation; each later activation updates the same webhook (with fresh credentials, see below).
		expect(await webhookPosts()).toEqual({ creations: before.creations + 1, updates: before.updates + 2 });
		expect((await remoteWebhooks()).filter((webhook) => webhook.url === trigger.webhookUrl)).toHaveLength(1);
		expect(trigger.nodeStaticData.webhookId).toBe(id);
	});

	it('re-publishing with the trigger changed (n8n removes, then activates) leaves exactly one webhook, which delivers', async () => {
		const trigger = await startTrigger();
		await trigger.publish();
		const firstId = trigger.nodeStaticData.webhookId;

		await trigger.republish();
		await trigger.republish();

		const mine = (await remoteWebhooks()).filter((webhook) => webhook.url === trigger.webhookUrl);
		expect(mine).toHaveLength(1);
		expect(String(mine[0].id)).toBe(trigger.nodeStaticData.webhookId);
		expect(String(mine[0].id)).not.toBe(firstId);
		await deliverOneNote(trigger);
		expect(trigger.calls[trigger.calls.length - 1]).toMatchObject({ status: 200, started: true });
	});

	it('activating again repairs a Basic password changed in Halo (Halo never shows it, so fresh credentials are sent)', async () => {
		const trigger = await startTrigger();
		await trigger.publish();
		const id = trigger.nodeStaticData.webhookId as string;
		const oldAuthorization = await deliverOneNote(trigger);
		await api.request('POST', '/Webhook', [{ id, basic_password: 'changed-by-someone-in-halo' }]);
		// Refused deliveries are not retried here, so each event is one call.
		await sandboxControl(sandbox, 'POST', '/config', { webhooks: { retryDelaysMs: [] } });
		try {
			await deliverOneNote(trigger);
			expect(trigger.calls[trigger.calls.length - 1]).toMatchObject({ status: 401, started: false });

			expect(await trigger.checkExists()).toBe(true);
			const started = trigger.executionsStarted;
			await deliverOneNote(trigger);

			expect(trigger.calls[trigger.calls.length - 1]).toMatchObject({ status: 200, started: true });
			expect(trigger.executionsStarted).toBe(started + 1);
			expect(trigger.nodeStaticData.webhookId).toBe(id);
			// The credentials from before the repair no longer open the trigger.
			const replay = await postToTrigger(trigger.webhookUrl, { id: 'replayed-1', event: 'action added', object_id: 1 }, oldAuthorization);
			expect(replay.status).toBe(401);
		} finally {
			await sandboxControl(sandbox, 'POST', '/config', { webhooks: { retryDelaysMs: [100, 500, 2000] } });
		}
	});

	it('re-publishing after the event choice changed updates the same webhook', async () => {
		const trigger = await startTrigger();
		await trigger.publish();
		const id = trigger.nodeStaticData.webhookId;

		trigger.setParameters({ events: ['ticketClosed'], customEvents: { event: [{ name: 'Asset Updated', eventNumber: haloEvents.assetUpdated.eventno }] } });
		expect(await trigger.checkExists()).toBe(true);

		const mine = (await remoteWebhooks()).filter((webhook) => webhook.url === trigger.webhookUrl);
		expect(mine).toHaveLength(1);
		expect(String(mine[0].id)).toBe(id);
		expect(mine[0].events.map((event: any) => event.name).sort()).toEqual(['Asset Updated', 'Ticket Closed']);
	});

	it('checkExists repairs a webhook whose URL, payload type and active flag were changed in Halo', async () => {
		const trigger = await startTrigger();
		await trigger.publish();
		const id = trigger.nodeStaticData.webhookId;
		const [remote] = (await remoteWebhooks()).filter((webhook) => String(webhook.id) === id);
		await api.request('POST', '/Webhook', [
			{ ...remote, url: 'https://elsewhere.example.com/hook', payload_type: 1, active: false },
		]);

		expect(await trigger.checkExists()).toBe(true);

		const repaired = (await remoteWebhooks()).find((webhook) => String(webhook.id) === id);
		expect(repaired).toMatchObject({ url: trigger.webhookUrl, payload_type: 0, active: true });
		expect(repaired.basic_username).toBe(trigger.nodeStaticData.basicUsername);
	});

	it('checkExists reports a webhook deleted in Halo as missing, and publishing recreates exactly one', async () => {
		const trigger = await startTrigger();
		await trigger.publish();
		const oldId = trigger.nodeStaticData.webhookId as string;
		await api.request('DELETE', `/Webhook/${oldId}`);

		expect(await trigger.checkExists()).toBe(false);
		await trigger.publish();

		const mine = (await remoteWebhooks()).filter((webhook) => webhook.url === trigger.webhookUrl);
		expect(mine).toHaveLength(1);
		expect(String(mine[0].id)).not.toBe(oldId);
		expect(trigger.nodeStaticData.webhookId).toBe(String(mine[0].id));
	});

	it('takes over a webhook for its own URL when its static data was lost, instead of creating a duplicate', async () => {
		const trigger = await startTrigger();
		await trigger.publish();
		const id = trigger.nodeStaticData.webhookId;
		const before = await webhookPosts();
		trigger.nodeStaticData = {};

		await trigger.publish();

		const mine = (await remoteWebhooks()).filter((webhook) => webhook.url === trigger.webhookUrl);
		expect(mine).toHaveLength(1);
		expect(trigger.nodeStaticData.webhookId).toBe(id);
		// One POST: the update that put new credentials on the adopted webhook.
		expect(await webhookPosts()).toEqual({ creations: before.creations, updates: before.updates + 1 });
	});

	it('unpublishing deletes the webhook from Halo and forgets it; a second unpublish is harmless', async () => {
		const trigger = await startTrigger();
		await trigger.publish();
		const id = trigger.nodeStaticData.webhookId;

		await trigger.unpublish();

		expect((await remoteWebhooks()).some((webhook) => String(webhook.id) === id)).toBe(false);
		expect(trigger.nodeStaticData.webhookId).toBeUndefined();
		expect(trigger.nodeStaticData.basicPasswordSha256).toBeUndefined();
		await expect(trigger.unpublish()).resolves.toBeUndefined();
	});

	it('unpublishing copes with a webhook already deleted in Halo', async () => {
		const trigger = await startTrigger();
		await trigger.publish();
		await api.request('DELETE', `/Webhook/${trigger.nodeStaticData.webhookId}`);

		await expect(trigger.unpublish()).resolves.toBeUndefined();
		expect(trigger.nodeStaticData.webhookId).toBeUndefined();
	});

	const webhookAuth = { username: 'halo', password: 'a-long-password' };

	it('manual registration creates and deletes nothing in Halo', async () => {
		const trigger = await startTrigger({ registration: 'manual' }, ticketing, webhookAuth);
		const before = (await remoteWebhooks()).length;

		await trigger.publish();
		await trigger.unpublish();

		expect((await remoteWebhooks()).length).toBe(before);
		expect(trigger.nodeStaticData.webhookId).toBeUndefined();
	});

	/** The error a publish failed with (undefined when it succeeded). */
	async function publishFailure(trigger: TriggerHarness) {
		return await trigger.publish().then(
			() => undefined,
			(error: { message: string; description?: string }) => ({ message: error.message, description: error.description }),
		);
	}

	it('refuses a manual registration without a Webhook Auth credential or without its username or password, which would answer every delivery with 401', async () => {
		const failures = [
			await publishFailure(await startTrigger({ registration: 'manual' })),
			await publishFailure(await startTrigger({ registration: 'manual' }, ticketing, { username: 'halo', password: '' })),
			await publishFailure(await startTrigger({ registration: 'manual' }, ticketing, { username: '', password: 'a-long-password' })),
		];

		expect(failures.map((failure) => failure?.message)).toEqual([
			'Manual registration needs a HaloPSA Automation Webhook Auth API credential',
			'The HaloPSA Automation Webhook Auth API credential has no Password: enter the same username and password as in the HaloPSA webhook',
			'The HaloPSA Automation Webhook Auth API credential has no Username: enter the same username and password as in the HaloPSA webhook',
		]);
		expect(failures[0]?.description).toMatch(/Credential for HaloPSA Automation Webhook Auth API.*Authentication: Basic/);
		expect(failures[1]?.description).toMatch(/Open the HaloPSA Automation Webhook Auth API credential/);
	});

	it('refuses a manual registration whose path secret and Use Path Secret disagree, or whose secrets are malformed', async () => {
		const failures = [
			await publishFailure(await startTrigger({ registration: 'manual', usePathSecret: true }, ticketing, webhookAuth)),
			await publishFailure(await startTrigger({ registration: 'manual' }, ticketing, { ...webhookAuth, pathSecret: 'segment' })),
			await publishFailure(
				await startTrigger({ registration: 'manual' }, ticketing, { ...webhookAuth, password: `sha256:${sha256('x').slice(1)}` }),
			),
			await publishFailure(
				await startTrigger({ registration: 'manual', usePathSecret: true }, ticketing, { ...webhookAuth, pathSecret: 'a/b' }),
			),
			await publishFailure(
				await startTrigger({ registration: 'manual', usePathSecret: true }, ticketing, { ...webhookAuth, pathSecret: 'segment' }),
			),
		];

		expect(failures.map((failure) => failure?.message)).toEqual([
			'Use Path Secret is on but the HaloPSA Automation Webhook Auth API credential has no Path Secret',
			'The HaloPSA Automation Webhook Auth API credential has a Path Secret but Use Path Secret is off, so it would not be checked',
			'The Password starts with "sha256:" but is not followed by the 64 hex digits of a SHA-256: enter the password itself, or "sha256:" and its full digest',
			'The Path Secret may hold only letters, digits and - . _ ~ (it becomes the last segment of the URL HaloPSA calls)',
			undefined,
		]);
	});

	it("the Webhook Auth credential's Test button reports what publishing would refuse", async () => {
		const test = new HaloPsaTrigger().methods.credentialTest.haloPsaAutomationWebhookAuthTest;
		const run = async (data: Record<string, string>) =>
			await test.call({} as ICredentialTestFunctions, { id: '2', name: 'auth', type: 'haloPsaAutomationWebhookAuthApi', data } as ICredentialsDecrypted);

		expect(await run({ username: 'halo', password: 'a-long-password', pathSecret: '' })).toMatchObject({ status: 'OK' });
		expect(await run({ username: 'halo', password: `sha256:${sha256('a-long-password')}`, pathSecret: 'seg-ment_1.~' })).toMatchObject({
			status: 'OK',
		});
		expect(await run({ username: 'halo', password: '', pathSecret: '' })).toEqual({
			status: 'Error',
			message: 'The HaloPSA Automation Webhook Auth API credential has no Password: enter the same username and password as in the HaloPSA webhook',
		});
		expect(await run({ username: 'halo', password: 'p', pathSecret: 'sha256:abc' })).toMatchObject({
			status: 'Error',
			message: expect.stringMatching(/^The Path Secret starts with "sha256:"/),
		});
	});

	it.each([
		['Client IDs', { clientIds: '12, ACME' }, 'ACME'],
		['Ticket Type Names or IDs', { ticketTypeIds: ['3', 'Incident'] }, 'Incident'],
	])('refuses to publish with a %s filter that is not a list of IDs, naming the value', async (field, filters, bad) => {
		for (const registration of ['automatic', 'manual']) {
			const trigger = await startTrigger({ registration, filters }, ticketing, webhookAuth);
			const before = (await remoteWebhooks()).length;

			const failure = await publishFailure(trigger);

			expect(failure?.message).toBe(`Filters > ${field}: "${bad}" is not a HaloPSA ID`);
			expect(failure?.description).toMatch(/numeric IDs separated by commas/);
			expect((await remoteWebhooks()).length).toBe(before);
		}
	});

	it('refuses to register without any event', async () => {
		const trigger = await startTrigger({ events: [], customEvents: {} });
		await expect(trigger.publish()).rejects.toThrow('Choose at least one event');
	});

	it('explains the missing admin:webhooks scope and how to grant it', async () => {
		const trigger = await startTrigger({}, noWebhooks);

		const failure = await publishFailure(trigger);

		expect(failure?.message).toMatch(/missing the admin:webhooks scope/);
		expect(failure?.description).toMatch(/Configuration > Integrations > Halo API/);
		expect(failure?.description).toMatch(/Permissions/);
		expect(failure?.description).toMatch(/Manual/);
		expect(trigger.nodeStaticData.webhookId).toBeUndefined();
	});
	it('refuses to publish an event saved by an earlier version or a Custom Event without a number, saying what to change, and registers nothing', async () => {
		const cases = [
			{ events: ['ticketStatusChanged', 'actionAdded'] },
			{ events: ['emailReceived'] },
			{ events: [], customEvents: { event: [{ name: 'Appointment Created', eventNumber: 0 }] } },
			{ events: [], customEvents: { event: [{ name: '', eventNumber: 12 }] } },
		];
		for (const registration of ['automatic', 'manual']) {
			const before = (await remoteWebhooks()).length;
			const failures = [];
			for (const parameters of cases) failures.push(await publishFailure(await startTrigger({ registration, ...parameters }, ticketing, webhookAuth)));

			expect(failures.map((failure) => failure?.message)).toEqual([
				'Events: "Action Added" is not an event this node registers',
				'Events: "Email Received From End User" is not an event this node registers',
				'Custom Event "Appointment Created" needs HaloPSA\'s event number (got 0)',
				'Custom Event 1 has no name',
			]);
			expect(failures[0]?.description).toMatch(/add it under Custom Events with the number your HaloPSA uses.*GET \/Webhook.*events\[\]\.eventno/);
			expect(failures[1]?.description).toMatch(/"Ticket Updated by User" \(HaloPSA event 19\)/);
			expect((await remoteWebhooks()).length).toBe(before);
		}
	});

	describe.each(['refused', 'ignored'])('a Halo that %s events[] on the webhook', (mode) => {
		beforeAll(async () => await sandboxControl(sandbox, 'POST', '/config', { webhooks: { eventsOnWebhook: mode } }));
		afterAll(async () => await sandboxControl(sandbox, 'POST', '/config', { webhooks: { eventsOnWebhook: 'stored' } }));

		const notificationsOf = async (webhookId: unknown) => (await api.request<any[]>('GET', `/Notification?webhook_id=${String(webhookId)}`)).body;

		it('gets the events as notifications (eventno as a string), delivers them, and remembers which form took', async () => {
			const trigger = await startTrigger();
			await trigger.publish();

			const [webhook] = (await remoteWebhooks()).filter((remote) => remote.url === trigger.webhookUrl);
			expect(webhook.events).toEqual([]);
			const notifications = await notificationsOf(webhook.id);
			expect(notifications.map((row) => [row.eventno, row.delivery_method, row.type, row.filter_type])).toEqual([
				['76', 6, -2, 2],
				[String(haloEvents.actionAdded.eventno), 6, -2, 2],
			]);
			expect(trigger.nodeStaticData).toMatchObject({
				webhookId: String(webhook.id),
				subscription: 'notifications',
				notificationIds: notifications.map((row) => row.id),
			});
			await deliverOneNote(trigger);
			expect(trigger.calls[trigger.calls.length - 1]).toMatchObject({ status: 200, started: true });
			expect(trigger.items[trigger.items.length - 1]).toMatchObject({ event: 'Action Added', eventKey: 'custom' });
		});

		it('replaces its notifications when it writes the webhook again, and deletes them with the webhook', async () => {
			const trigger = await startTrigger();
			await trigger.publish();
			const webhookId = trigger.nodeStaticData.webhookId;
			const first = trigger.nodeStaticData.notificationIds as number[];

			expect(await trigger.checkExists()).toBe(true);
			const second = trigger.nodeStaticData.notificationIds as number[];
			expect((await notificationsOf(webhookId)).map((row) => row.id)).toEqual(second);
			expect(second.some((id) => first.includes(id))).toBe(false);

			await trigger.unpublish();
			expect(await notificationsOf(webhookId)).toEqual([]);
			expect((await remoteWebhooks()).some((remote) => String(remote.id) === webhookId)).toBe(false);
		});
	});
});
