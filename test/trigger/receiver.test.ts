import { createHash } from 'node:crypto';

import { TriggerHarness } from '../helpers/n8n-trigger-harness';
import { basicAuthorization, postToTrigger } from './support';

/**
 * The receiving side on its own (manual registration, no Halo needed): what a caller gets back
 * and whether n8n would start an execution. The same flows with real deliveries are in
 * deliveries.test.ts.
 */
describe('HaloPSA Trigger receiver', () => {
	const username = 'halo-sender';
	const password = 'correct horse battery staple 42';
	const authorization = basicAuthorization(username, password);
	let trigger: TriggerHarness;

	const delivery = (id: string, event = 'action added', extra: Record<string, unknown> = {}) => ({
		id,
		webhook_id: 'manual-webhook',
		event,
		object_id: 77,
		timestamp: '2025-01-02T03:04:05',
		action: { id: 77, ticket_id: 12, note: `note ${id}`, hiddenfromuser: false, who: 'Ann Agent', who_type: 1, who_agentid: 3 },
		ticket: { id: 12, client_id: 4, tickettype_id: 1, summary: 'Printer' },
		...extra,
	});

	beforeAll(async () => {
		trigger = await TriggerHarness.start({
			// Manual registration without event-only payloads never calls Halo.
			credentials: { url: 'http://127.0.0.1:9', clientId: 'unused', clientSecret: 'unused' },
			webhookAuth: { username, password, pathSecret: 'path-secret' },
			parameters: {
				registration: 'manual',
				usePathSecret: true,
				events: ['actionAdded'],
				customEvents: { event: [{ name: 'Appointment Created', eventNumber: 0 }] },
			},
		});
	});

	afterAll(async () => await trigger.stop());

	const url = () => trigger.webhookUrl.replace(':secret', 'path-secret');

	it('answers 401 without credentials, with a wrong password and with a wrong path secret', async () => {
		const answers = [
			await postToTrigger(url(), delivery('f1')),
			await postToTrigger(url(), delivery('f2'), basicAuthorization(username, 'wrong')),
			await postToTrigger(trigger.webhookUrl.replace(':secret', 'path-secreT'), delivery('f3'), authorization),
		];

		expect(answers.map((answer) => answer.status)).toEqual([401, 401, 401]);
		expect(trigger.executionsStarted).toBe(0);
	});

	it('maps an accepted delivery to one clean item and answers at once', async () => {
		const answer = await postToTrigger(url(), delivery('d1'), authorization);

		expect(answer.status).toBe(200);
		expect(trigger.executionsStarted).toBe(1);
		expect(trigger.items[0]).toEqual({
			event: 'Action Added',
			eventKey: 'actionAdded',
			deliveryId: 'd1',
			webhookId: 'manual-webhook',
			timestamp: '2025-01-02T03:04:05',
			objectId: 77,
			ticketId: 12,
			actionId: 77,
			clientId: 4,
			ticket: delivery('d1').ticket,
			action: delivery('d1').action,
			record: null,
			author: { type: 'agent', name: 'Ann Agent', agentId: 3 },
			customerVisible: true,
			message: null,
			agentId: null,
			payloadType: 'full',
			completedFromApi: false,
			completionError: null,
		});
	});

	it('starts nothing for a repeated delivery id, also inside one batch', async () => {
		const started = trigger.executionsStarted;

		const repeat = await postToTrigger(url(), delivery('d1'), authorization);
		const batch = await postToTrigger(url(), [delivery('d2'), delivery('d2'), delivery('d3')], authorization);

		expect(repeat.status).toBe(200);
		expect(batch.status).toBe(200);
		expect(trigger.executionsStarted).toBe(started + 1);
		expect(trigger.calls[trigger.calls.length - 1].items.map((item) => item.deliveryId)).toEqual(['d2', 'd3']);
	});

	it('keeps chosen and custom events of a batch, case-insensitively, and drops the rest', async () => {
		await postToTrigger(
			url(),
			[
				delivery('b1', 'ticket status changed'),
				delivery('b2', 'APPOINTMENT CREATED', { action: undefined, ticket: undefined }),
				delivery('b3', 'Action Added'),
			],
			authorization,
		);

		const items = trigger.calls[trigger.calls.length - 1].items;
		expect(items.map((item) => [item.deliveryId, item.eventKey, item.event])).toEqual([
			['b2', 'custom', 'APPOINTMENT CREATED'],
			['b3', 'actionAdded', 'Action Added'],
		]);
	});

	it('starts nothing when every event of a delivery is unwanted', async () => {
		const started = trigger.executionsStarted;

		const answer = await postToTrigger(url(), delivery('u1', 'client updated'), authorization);

		expect(answer.status).toBe(200);
		expect(trigger.executionsStarted).toBe(started);
	});

	const unusedApi = { url: 'http://127.0.0.1:9', clientId: 'unused', clientSecret: 'unused' };

	it('reads the Webhook Auth credential on every call: an edited password applies at once, an unusable credential refuses every call', async () => {
		const edited = await TriggerHarness.start({
			credentials: unusedApi,
			webhookAuth: { username, password },
			parameters: { registration: 'manual', events: ['actionAdded'] },
		});
		try {
			const newPassword = 'a new long password 43';
			const statuses = [(await postToTrigger(edited.webhookUrl, delivery('e1'), authorization)).status];
			edited.updateWebhookAuth({ username, password: newPassword });
			statuses.push((await postToTrigger(edited.webhookUrl, delivery('e2'), authorization)).status);
			statuses.push((await postToTrigger(edited.webhookUrl, delivery('e3'), basicAuthorization(username, newPassword))).status);
			// A path secret the URL has no segment for could not be checked, so nothing gets in.
			edited.updateWebhookAuth({ username, password: newPassword, pathSecret: 'added-later' });
			statuses.push((await postToTrigger(edited.webhookUrl, delivery('e4'), basicAuthorization(username, newPassword))).status);
			edited.updateWebhookAuth({ username, password: '' });
			statuses.push((await postToTrigger(edited.webhookUrl, delivery('e5'), basicAuthorization(username, ''))).status);

			expect(statuses).toEqual([200, 401, 200, 401, 401]);
			expect(edited.items.map((item) => item.deliveryId)).toEqual(['e1', 'e3']);
		} finally {
			await edited.stop();
		}
	});

	it('refuses every call to a manual trigger without a Webhook Auth credential', async () => {
		const bare = await TriggerHarness.start({ credentials: unusedApi, parameters: { registration: 'manual', events: ['actionAdded'] } });
		try {
			const answer = await postToTrigger(bare.webhookUrl, delivery('n1'), authorization);

			expect(answer.status).toBe(401);
			expect(bare.executionsStarted).toBe(0);
		} finally {
			await bare.stop();
		}
	});

	it('accepts the password given as its SHA-256 (sha256:<hex>), so not even the credential holds it', async () => {
		const digestTrigger = await TriggerHarness.start({
			credentials: unusedApi,
			webhookAuth: {
				username,
				password: `sha256:${createHash('sha256').update(password).digest('hex').toUpperCase()}`,
				pathSecret: `sha256:${createHash('sha256').update('path-secret').digest('hex')}`,
			},
			parameters: { registration: 'manual', usePathSecret: true, events: ['actionAdded'] },
		});
		try {
			const digestUrl = (secret: string) => digestTrigger.webhookUrl.replace(':secret', secret);

			const right = await postToTrigger(digestUrl('path-secret'), delivery('h1'), authorization);
			const digestAsPassword = await postToTrigger(
				digestUrl('path-secret'),
				delivery('h2'),
				basicAuthorization(username, createHash('sha256').update(password).digest('hex')),
			);
			const wrongSecret = await postToTrigger(digestUrl('path-secreT'), delivery('h3'), authorization);

			expect([right.status, digestAsPassword.status, wrongSecret.status]).toEqual([200, 401, 401]);
			expect(digestTrigger.items.map((item) => item.deliveryId)).toEqual(['h1']);
		} finally {
			await digestTrigger.stop();
		}
	});
});
