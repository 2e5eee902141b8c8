import { createHash } from 'node:crypto';

import { TriggerHarness } from '../helpers/n8n-trigger-harness';
import { basicAuthorization, postToTrigger } from './support';

/**
 * The receiving side on its own (manual registration, no Halo needed): what a caller gets back
 * and whether n8n would start an execution. The same flows with real deliveries are in
 * deliveries.test.ts.
 */
/** A Custom Event as a user adds it for Halo's Action Added (its number is the tenant's; any number does here). */
const ACTION_ADDED = { name: 'Action Added', eventNumber: 900003 };

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
				events: ['ticketStatusChanged'],
				customEvents: { event: [ACTION_ADDED, { name: 'Appointment Created', eventNumber: 1234 }] },
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
			eventKey: 'custom',
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

	it('keeps the chosen and custom events of a batch, named in any case or spacing or with a leading "New", and drops the rest', async () => {
		await postToTrigger(
			url(),
			[
				delivery('b1', 'ticket_status-changed'),
				delivery('b2', 'APPOINTMENT CREATED', { action: undefined, ticket: undefined }),
				delivery('b3', 'New  Action Added'),
				delivery('b4', 'ticket closed'),
				delivery('b5', 'Something Halo added later'),
			],
			authorization,
		);

		const items = trigger.calls[trigger.calls.length - 1].items;
		expect(items.map((item) => [item.deliveryId, item.eventKey, item.event])).toEqual([
			['b1', 'ticketStatusChanged', 'Ticket Status Changed'],
			['b2', 'custom', 'Appointment Created'],
			['b3', 'custom', 'Action Added'],
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
			parameters: { registration: 'manual' },
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
		const bare = await TriggerHarness.start({ credentials: unusedApi, parameters: { registration: 'manual' } });
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
			parameters: { registration: 'manual', usePathSecret: true },
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
	/** A manual trigger with these parameters, run with `check`, stopped afterwards. */
	async function withTrigger(parameters: Record<string, unknown>, check: (trigger: TriggerHarness) => Promise<void>) {
		const other = await TriggerHarness.start({ credentials: unusedApi, webhookAuth: { username, password }, parameters: { registration: 'manual', ...parameters } });
		try {
			await check(other);
		} finally {
			await other.stop();
		}
	}

	it("gets the end user's email to the workflow whichever name Halo gives it", async () => {
		await withTrigger({ events: ['ticketUpdatedByUser'] }, async (endUser) => {
			const byUser = { who_type: 2, who: 'Daniel Fraser' };
			const byAgent = { who_type: 1, who: 'Ann Agent' };
			await postToTrigger(
				endUser.webhookUrl,
				[
					delivery('n1', 'Ticket Updated by User', { action: { ...delivery('n1').action, ...byUser } }),
					delivery('n2', 'email received from end user', { action: { ...delivery('n2').action, ...byUser } }),
					delivery('n3', 'New Action Added', { action: { ...delivery('n3').action, ...byUser } }),
					delivery('n4', 'Action Added', { action: { ...delivery('n4').action, ...byAgent } }),
				],
				authorization,
			);

			expect(endUser.items.map((item) => [item.deliveryId, item.eventKey, item.event, (item.author as any).type])).toEqual([
				['n1', 'ticketUpdatedByUser', 'Ticket Updated by User', 'endUser'],
				['n2', 'ticketUpdatedByUser', 'Ticket Updated by User', 'endUser'],
				['n3', 'ticketUpdatedByUser', 'Ticket Updated by User', 'endUser'],
			]);
		});
	});

	it('keeps an event of an unknown name as Halo sent it (eventKey "unknown") when no events are chosen', async () => {
		await withTrigger({}, async (everything) => {
			await postToTrigger(everything.webhookUrl, [delivery('k1', 'Ticket Reopened'), delivery('k2', 'new ticket logged')], authorization);

			expect(everything.items.map((item) => [item.eventKey, item.event])).toEqual([
				['unknown', 'Ticket Reopened'],
				['ticketLogged', 'New Ticket Logged'],
			]);
		});
	});

	it('reads the ticket and action ids from the delivery and its objects, not from object_id, for events other than the built-in ones', async () => {
		await withTrigger({}, async (everything) => {
			await postToTrigger(
				everything.webhookUrl,
				[
					{ id: 'i1', event: 'Action Added', object_id: 12, ticket_id: 12, action_id: 77 },
					{ id: 'i2', event: 'Something Else', object_id: 5 },
					{ id: 'i3', event: 'Ticket Closed', object_id: 40 },
				],
				authorization,
			);

			expect(everything.items.map((item) => [item.objectId, item.ticketId, item.actionId])).toEqual([
				[12, 12, 77],
				[5, null, null],
				[40, 40, null],
			]);
		});
	});

	it('answers 400 and starts nothing for a body that is not Halo events, naming what is wrong', async () => {
		const started = trigger.executionsStarted;
		const good = delivery('ok-shape');
		const bodies: Array<[unknown, string]> = [
			[{ hello: 'world' }, 'no delivery id (id: a string of 1 to 200 characters)'],
			[[], 'an empty list'],
			['"just text"', 'not a JSON object'],
			[{ ...good, id: 42 }, 'no delivery id (id: a string of 1 to 200 characters)'],
			[{ ...good, id: '   ' }, 'no delivery id (id: a string of 1 to 200 characters)'],
			[{ ...good, event: '' }, 'no event name (event: a string)'],
			[{ ...good, object_id: 1.2345678901234568e29 }, 'object_id is not a positive integer'],
			[{ ...good, object_id: '77' }, 'object_id is not a positive integer'],
			[{ ...good, ticket_id: -3 }, 'ticket_id is not a positive integer'],
			[{ ...good, action_id: 0 }, 'action_id is not a positive integer'],
			[{ ...good, agent_id: 1.5 }, 'agent_id is not a whole number'],
			[{ ...good, ticket: 'twelve' }, 'ticket is not an object'],
			[{ ...good, ticket: { id: 'x' } }, 'ticket.id is not a positive integer'],
			[{ ...good, action: { id: 77, ticket_id: 1e300 } }, 'action.ticket_id is not a positive integer'],
			[{ ...good, webhook_id: 7 }, 'webhook_id is not a string'],
			[[good, { nope: true }], 'event [1]: no delivery id (id: a string of 1 to 200 characters)'],
		];

		const answers = [];
		for (const [body] of bodies) answers.push(await postToTrigger(url(), body, authorization));

		expect(answers.map((answer) => [answer.status, answer.body.message])).toEqual(
			bodies.map(([, reason]) => [400, `The body is not a HaloPSA webhook payload: ${reason}`]),
		);
		expect(trigger.executionsStarted).toBe(started);
	});

	it('answers 415 to a form-encoded or multipart body (HaloPSA sends JSON), and 401 before that without credentials', async () => {
		const started = trigger.executionsStarted;
		const post = async (contentType: string, auth?: string) =>
			(
				await fetch(url(), {
					method: 'POST',
					headers: { 'Content-Type': contentType, ...(auth ? { Authorization: auth } : {}) },
					body: 'id=f1&event=action+added&object_id=1',
				})
			).status;

		expect([
			await post('application/x-www-form-urlencoded', authorization),
			await post('multipart/form-data; boundary=x', authorization),
			await post('text/plain', authorization),
			await post('application/x-www-form-urlencoded'),
		]).toEqual([415, 415, 415, 401]);
		expect(trigger.executionsStarted).toBe(started);
	});
});
