import type { HaloSandbox } from '../../sandbox';
import { startHaloSandbox } from '../../sandbox';
import { TriggerHarness } from '../helpers/n8n-trigger-harness';
import type { ApiClient } from './support';
import { haloApiClient, sandboxControl } from './support';

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

describe('HaloPSA Trigger webhook lifecycle (publish, re-publish, repair, unpublish)', () => {
	let sandbox: HaloSandbox;
	let api: ApiClient;
	const harnesses: TriggerHarness[] = [];

	async function startTrigger(parameters = {}, application = ticketing) {
		const harness = await TriggerHarness.start({
			credentials: { url: sandbox.baseUrl, ...application },
			parameters: { events: ['actionAdded', 'ticketStatusChanged'], ...parameters },
			workflowName: 'Note routing',
		});
		harnesses.push(harness);
		return harness;
	}

	async function remoteWebhooks(): Promise<any[]> {
		return (await api.request<any[]>('GET', '/Webhook')).body;
	}

	async function webhookCreations(): Promise<number> {
		const stats = await sandboxControl<{ requestsByRoute: Record<string, number> }>(sandbox, 'GET', '/stats');
		return stats.requestsByRoute['POST /api/webhook'] ?? 0;
	}

	beforeAll(async () => {
		sandbox = await startHaloSandbox();
		api = await haloApiClient(sandbox, ticketing);
	});

	afterAll(async () => {
		await Promise.all(harnesses.map(async (harness) => await harness.stop()));
		await sandbox.stop();
	});

	it('publishing creates exactly one Halo webhook for the node URL, with generated Basic credentials and a full payload', async () => {
		const trigger = await startTrigger();
		const before = (await remoteWebhooks()).length;

		await trigger.publish();

		const webhooks = await remoteWebhooks();
		expect(webhooks).toHaveLength(before + 1);
		const created = webhooks.find((webhook) => webhook.url === trigger.webhookUrl);
		expect(created).toMatchObject({
			url: trigger.webhookUrl,
			active: true,
			authentication_type: 'Basic',
			payload_type: 'Full',
			basic_username: trigger.nodeStaticData.basicUsername,
		});
		expect(created.events.map((event: any) => [event.name, event.eventno]).sort()).toEqual([
			['Action Added', 6],
			['Ticket Status Changed', 3],
		]);
		expect(trigger.nodeStaticData.webhookId).toBe(String(created.id));
		expect(String(trigger.nodeStaticData.basicPassword)).toMatch(/^[\w-]{40,}$/);
		expect(trigger.webhookUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/webhook\/[\w-]+\/webhook$/);
	});

	it('re-publishing finds the registered webhook and creates no second one', async () => {
		const trigger = await startTrigger();
		await trigger.publish();
		const creationsAfterFirst = await webhookCreations();
		const id = trigger.nodeStaticData.webhookId;

		await trigger.publish();
		await trigger.publish();

		expect(await webhookCreations()).toBe(creationsAfterFirst);
		expect((await remoteWebhooks()).filter((webhook) => webhook.url === trigger.webhookUrl)).toHaveLength(1);
		expect(trigger.nodeStaticData.webhookId).toBe(id);
	});

	it('re-publishing after the event choice changed updates the same webhook', async () => {
		const trigger = await startTrigger();
		await trigger.publish();
		const id = trigger.nodeStaticData.webhookId;

		trigger.setParameters({ events: ['ticketClosed'], customEvents: { event: [{ name: 'Asset Updated', eventNumber: 0 }] } });
		expect(await trigger.checkExists()).toBe(true);

		const mine = (await remoteWebhooks()).filter((webhook) => webhook.url === trigger.webhookUrl);
		expect(mine).toHaveLength(1);
		expect(String(mine[0].id)).toBe(id);
		expect(mine[0].events.map((event: any) => event.name).sort()).toEqual(['Asset Updated', 'Ticket Closed']);
	});

	it('checkExists repairs a webhook whose URL was changed in Halo', async () => {
		const trigger = await startTrigger();
		await trigger.publish();
		const id = trigger.nodeStaticData.webhookId;
		const [remote] = (await remoteWebhooks()).filter((webhook) => String(webhook.id) === id);
		await api.request('POST', '/Webhook', [{ ...remote, url: 'https://elsewhere.example.com/hook' }]);

		expect(await trigger.checkExists()).toBe(true);

		const repaired = (await remoteWebhooks()).find((webhook) => String(webhook.id) === id);
		expect(repaired.url).toBe(trigger.webhookUrl);
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
		const creations = await webhookCreations();
		trigger.nodeStaticData = {};

		await trigger.publish();

		const mine = (await remoteWebhooks()).filter((webhook) => webhook.url === trigger.webhookUrl);
		expect(mine).toHaveLength(1);
		expect(trigger.nodeStaticData.webhookId).toBe(id);
		// One POST: the update that put new credentials on the adopted webhook.
		expect(await webhookCreations()).toBe(creations + 1);
	});

	it('unpublishing deletes the webhook from Halo and forgets it; a second unpublish is harmless', async () => {
		const trigger = await startTrigger();
		await trigger.publish();
		const id = trigger.nodeStaticData.webhookId;

		await trigger.unpublish();

		expect((await remoteWebhooks()).some((webhook) => String(webhook.id) === id)).toBe(false);
		expect(trigger.nodeStaticData.webhookId).toBeUndefined();
		await expect(trigger.unpublish()).resolves.toBeUndefined();
	});

	it('unpublishing copes with a webhook already deleted in Halo', async () => {
		const trigger = await startTrigger();
		await trigger.publish();
		await api.request('DELETE', `/Webhook/${trigger.nodeStaticData.webhookId}`);

		await expect(trigger.unpublish()).resolves.toBeUndefined();
		expect(trigger.nodeStaticData.webhookId).toBeUndefined();
	});

	it('manual registration creates and deletes nothing in Halo', async () => {
		const trigger = await startTrigger({ registration: 'manual', basicUsername: 'halo', basicPassword: 'a-long-password' });
		const before = (await remoteWebhooks()).length;

		await trigger.publish();
		await trigger.unpublish();

		expect((await remoteWebhooks()).length).toBe(before);
		expect(trigger.nodeStaticData.webhookId).toBeUndefined();
	});

	it('refuses to register without any event', async () => {
		const trigger = await startTrigger({ events: [] });
		await expect(trigger.publish()).rejects.toThrow('Choose at least one event');
	});

	it('explains the missing admin:webhooks scope and how to grant it', async () => {
		const trigger = await startTrigger({}, noWebhooks);

		const failure = await trigger.publish().then(
			() => undefined,
			(error: { message: string; description?: string }) => error,
		);

		expect(failure?.message).toMatch(/missing the admin:webhooks scope/);
		expect(failure?.description).toMatch(/Configuration > Integrations > Halo API/);
		expect(failure?.description).toMatch(/Permissions/);
		expect(failure?.description).toMatch(/Manual/);
		expect(trigger.nodeStaticData.webhookId).toBeUndefined();
	});
});
