import { randomUUID } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import { haloDate } from './dates';
import { dotNetError } from './http';
import type { Webhook } from './types';
import { booleanSetting, integerSetting, maxDelayMs, objectSetting } from './validation';

/** What a delivery of the event embeds (and what `/_sandbox/simulate/event` takes as `object_id`). */
export type HaloEventObject = 'ticket' | 'action' | 'client' | 'user' | 'asset' | 'contract';

/**
 * Sandbox-only event numbers start here. Halo documents the numbers below it (seen in live use);
 * the events Halo documents no number for get one from this range, far from Halo's own, so a
 * workflow that carries one to a real tenant fails there instead of subscribing to another event.
 */
export const SANDBOX_EVENT_NUMBERS_FROM = 900000;

/** Halo's webhook events, as fixed in ARCHITECTURE.md ("Webhook events"). */
export const haloEvents = {
	ticketLogged: { name: 'New Ticket Logged', eventno: 3, object: 'ticket' },
	// The end user's replies and emails: Halo fires it with the action they wrote.
	ticketUpdatedByUser: { name: 'Ticket Updated by User', eventno: 19, object: 'action' },
	ticketClosed: { name: 'Ticket Closed', eventno: 39, object: 'ticket' },
	slaFirstWarning: { name: '1st SLA Warning', eventno: 42, object: 'ticket' },
	slaSecondWarning: { name: '2nd SLA Warning', eventno: 46, object: 'ticket' },
	ticketDeadline: { name: 'Ticket Deadline', eventno: 70, object: 'ticket' },
	ticketStatusChanged: { name: 'Ticket Status Changed', eventno: 76, object: 'ticket' },
	ticketDeleted: { name: 'Ticket Deleted', eventno: 1072, object: 'ticket' },
	ticketUpdated: { name: 'Ticket Updated', eventno: SANDBOX_EVENT_NUMBERS_FROM + 1, object: 'ticket' },
	ticketReassigned: { name: 'Ticket Reassigned', eventno: SANDBOX_EVENT_NUMBERS_FROM + 2, object: 'ticket' },
	actionAdded: { name: 'Action Added', eventno: SANDBOX_EVENT_NUMBERS_FROM + 3, object: 'action' },
	clientCreated: { name: 'Client Created', eventno: SANDBOX_EVENT_NUMBERS_FROM + 10, object: 'client' },
	clientUpdated: { name: 'Client Updated', eventno: SANDBOX_EVENT_NUMBERS_FROM + 11, object: 'client' },
	userCreated: { name: 'User Created', eventno: SANDBOX_EVENT_NUMBERS_FROM + 12, object: 'user' },
	userUpdated: { name: 'User Updated', eventno: SANDBOX_EVENT_NUMBERS_FROM + 13, object: 'user' },
	assetCreated: { name: 'Asset Created', eventno: SANDBOX_EVENT_NUMBERS_FROM + 14, object: 'asset' },
	assetUpdated: { name: 'Asset Updated', eventno: SANDBOX_EVENT_NUMBERS_FROM + 15, object: 'asset' },
	contractCreated: { name: 'Contract Created', eventno: SANDBOX_EVENT_NUMBERS_FROM + 16, object: 'contract' },
	contractUpdated: { name: 'Contract Updated', eventno: SANDBOX_EVENT_NUMBERS_FROM + 17, object: 'contract' },
} as const satisfies Record<string, { name: string; eventno: number; object: HaloEventObject }>;

export type HaloEventKey = keyof typeof haloEvents;

export interface HaloEventDefinition {
	key: HaloEventKey;
	name: string;
	eventno: number;
	object: HaloEventObject;
}

const eventDefinitions: HaloEventDefinition[] = (Object.keys(haloEvents) as HaloEventKey[]).map((key) => ({ key, ...haloEvents[key] }));

/** An event by its number, or by its name (any case) or its number as text (the control API takes both). */
export function findHaloEvent(nameOrNumber: string | number): HaloEventDefinition | undefined {
	return eventDefinitions.find((event) =>
		typeof nameOrNumber === 'number'
			? event.eventno === nameOrNumber
			: event.name.toLowerCase() === nameOrNumber.trim().toLowerCase() || String(event.eventno) === nameOrNumber.trim(),
	);
}

/** Something that happened in the sandbox; the objects are already in their API shape. */
export interface HaloEvent {
	key: HaloEventKey;
	/** The delivery's `object_id`: for ticket and action events the ticket's id (Halo's reading that breaks naive receivers). */
	objectId: number;
	/** For events that carry an action: its id (event-only payloads name it as `action_id`). */
	actionId?: number;
	agentId: number;
	message: string;
	objects: Partial<Record<'ticket' | 'action' | 'client' | 'user' | 'asset' | 'contract', unknown>>;
}

/**
 * How the sandbox takes `events[]` on a webhook: stored (and delivered), refused with a 400, or
 * accepted and silently dropped. Halo versions differ in whether they take the events there or
 * only as `/Notification` rows; the last two make a client find that out.
 */
export const eventsOnWebhookModes = ['stored', 'refused', 'ignored'] as const;
export type EventsOnWebhook = (typeof eventsOnWebhookModes)[number];

export interface WebhookSettings {
	/** Delays before each retry of a failed delivery; its length is the number of retries. */
	retryDelaysMs: number[];
	/** Collect events per webhook for `batchWindowMs` and POST them as one array. */
	batch: boolean;
	batchWindowMs: number;
	timeoutMs: number;
	eventsOnWebhook: EventsOnWebhook;
	/**
	 * Every Nth delivery (0: none) is POSTed twice at the same moment, same id and payload: a Halo
	 * retry racing its first attempt. Behind a round-robin load balancer the two copies reach two
	 * different receivers.
	 */
	duplicateEvery: number;
}

export const defaultWebhookSettings: WebhookSettings = {
	retryDelaysMs: [100, 500, 2000],
	batch: false,
	batchWindowMs: 50,
	timeoutMs: 5000,
	eventsOnWebhook: 'stored',
	duplicateEvery: 0,
};

/** Checks webhook settings (options or control API): 400 naming what is wrong. */
export function validateWebhookSettings(input: unknown): Partial<WebhookSettings> {
	const fields = objectSetting(input, 'webhooks', ['retryDelaysMs', 'batch', 'batchWindowMs', 'timeoutMs', 'eventsOnWebhook', 'duplicateEvery']);
	const settings: Partial<WebhookSettings> = {};
	if (fields.retryDelaysMs !== undefined) {
		const delays = fields.retryDelaysMs;
		if (!Array.isArray(delays) || delays.length > 20) {
			throw dotNetError(400, 'webhooks.retryDelaysMs must be a list of at most 20 delays in ms', 'System.ArgumentException');
		}
		settings.retryDelaysMs = delays.map((delay, index) => integerSetting(delay, `webhooks.retryDelaysMs[${index}]`, 0, maxDelayMs));
	}
	if (fields.batch !== undefined) settings.batch = booleanSetting(fields.batch, 'webhooks.batch');
	if (fields.batchWindowMs !== undefined) settings.batchWindowMs = integerSetting(fields.batchWindowMs, 'webhooks.batchWindowMs', 0, 60000);
	if (fields.timeoutMs !== undefined) settings.timeoutMs = integerSetting(fields.timeoutMs, 'webhooks.timeoutMs', 1, maxDelayMs);
	if (fields.eventsOnWebhook !== undefined) {
		if (!eventsOnWebhookModes.includes(fields.eventsOnWebhook as EventsOnWebhook)) {
			throw dotNetError(
				400,
				`webhooks.eventsOnWebhook must be one of ${eventsOnWebhookModes.join(', ')}; got ${JSON.stringify(fields.eventsOnWebhook)}`,
				'System.ArgumentException',
			);
		}
		settings.eventsOnWebhook = fields.eventsOnWebhook as EventsOnWebhook;
	}
	if (fields.duplicateEvery !== undefined) settings.duplicateEvery = integerSetting(fields.duplicateEvery, 'webhooks.duplicateEvery', 0, 1000000);
	return settings;
}

/*
 * The webhook's enumerations are integers on the wire (Halo is ASP.NET). The sandbox delivers the
 * codes it can: POST/PUT/PATCH, no or Basic authentication, the default payload or a custom JSON
 * one (see eventInformation).
 */
export const httpMethods: Record<number, string> = { 0: 'POST', 2: 'PUT', 4: 'PATCH' };
export const AUTHENTICATION_NONE = 0;
export const AUTHENTICATION_BASIC = 1;
export const PAYLOAD_DEFAULT = 0;
export const PAYLOAD_EVENT_INFORMATION = 1;

/**
 * A custom JSON payload (`payload_type` 1) is a template the Halo admin writes. The sandbox has no
 * templates: it sends the event information alone, which is the least such a template gives a
 * receiver: the delivery id, the webhook, the event, its object and the ids it concerns.
 */
function eventInformation(id: string, webhook: Webhook, eventName: string, event: HaloEvent): Record<string, unknown> {
	const payload: Record<string, unknown> = { id, webhook_id: webhook.id, event: eventName, object_id: event.objectId };
	if (event.objects.ticket !== undefined) payload.ticket_id = event.objectId;
	if (event.actionId !== undefined) payload.action_id = event.actionId;
	return payload;
}

interface Delivery {
	id: string;
	webhookId: string;
	event: string;
	objectId: number;
	payload: Record<string, unknown>;
	/** Sent twice at once on its first attempt (`duplicateEvery`). */
	duplicated: boolean;
}

interface Job {
	webhook: Webhook;
	deliveries: Delivery[];
	/** Set when the deliveries go out as one array POST. */
	batchId: string | null;
	attempt: number;
	redelivery: boolean;
}

/** One POST of one delivery (a batch POST logs one attempt per delivery it carries). */
export interface DeliveryAttempt {
	id: string;
	webhook_id: string;
	url: string;
	event: string;
	object_id: number;
	/** HTTP status the receiver answered; 0 when the connection failed. */
	status: number;
	success: boolean;
	error: string | null;
	attempt: number;
	batch: string | null;
	redelivery: boolean;
	at: string;
}

/** Delivers events to the stored webhooks: per-webhook FIFO, retries with the same id, batching. */
export class WebhookDispatcher {
	private readonly queues = new Map<string, Job[]>();
	private readonly running = new Set<string>();
	private readonly deliveries = new Map<string, { delivery: Delivery; webhook: Webhook }>();
	private readonly log: DeliveryAttempt[] = [];
	private readonly openBatches = new Map<string, { webhook: Webhook; deliveries: Delivery[] }>();
	private batchTimer: NodeJS.Timeout | null = null;
	private collecting = 0;
	private pending = 0;
	private waiters: Array<() => void> = [];
	private readonly timers = new Set<NodeJS.Timeout>();
	private emitted = 0;
	private notificationId = 1000;
	private escalationMessageId = 5000;

	constructor(
		/** The active webhooks subscribed to an event number, on the webhook or through a notification. */
		private readonly subscribers: (eventno: number) => Iterable<Webhook>,
		readonly settings: WebhookSettings,
	) {}

	emit(event: HaloEvent): void {
		const definition = haloEvents[event.key];
		const notificationId = ++this.notificationId;
		const escalationMessageId = ++this.escalationMessageId;
		const timestamp = haloDate(Date.now());
		for (const webhook of this.subscribers(definition.eventno)) {
			const id = randomUUID();
			const eventName = definition.name.toLowerCase();
			const payload: Record<string, unknown> =
				webhook.payload_type === PAYLOAD_EVENT_INFORMATION
					? eventInformation(id, webhook, eventName, event)
					: {
							id,
							webhook_id: webhook.id,
							notification_id: notificationId,
							escmsg_id: escalationMessageId,
							event: eventName,
							message: event.message,
							object_id: event.objectId,
							agent_id: event.agentId,
							timestamp,
							...event.objects,
						};
			this.emitted += 1;
			const duplicated = this.settings.duplicateEvery > 0 && this.emitted % this.settings.duplicateEvery === 0;
			const delivery: Delivery = { id, webhookId: webhook.id, event: eventName, objectId: event.objectId, payload, duplicated };
			this.deliveries.set(id, { delivery, webhook });
			this.enqueue(webhook, delivery);
		}
	}

	/** Runs `action` and sends every event it emits per webhook as one array POST. */
	async batch<T>(action: () => Promise<T> | T): Promise<T> {
		this.collecting += 1;
		try {
			return await action();
		} finally {
			this.collecting -= 1;
			// The explicit batch is complete: send it now (in batch mode too, where no timer was armed for it).
			if (this.collecting === 0) this.closeBatches();
		}
	}

	knows(deliveryId: string): boolean {
		return this.deliveries.has(deliveryId);
	}

	/** Sends an already-made delivery again with the same id and payload, as Halo sometimes does. */
	redeliver(deliveryId: string): boolean {
		const known = this.deliveries.get(deliveryId);
		if (!known) return false;
		this.schedule({ webhook: known.webhook, deliveries: [known.delivery], batchId: null, attempt: 1, redelivery: true });
		return true;
	}

	/** Resolves when nothing is queued, in flight, waiting for a retry or collecting into a batch. */
	flush(): Promise<void> {
		if (this.pending === 0) return Promise.resolve();
		if (this.openBatches.size > 0 && this.collecting === 0) this.closeBatches();
		return new Promise((resolve) => this.waiters.push(resolve));
	}

	attempts(webhookId?: string): DeliveryAttempt[] {
		return webhookId === undefined ? [...this.log] : this.log.filter((attempt) => attempt.webhook_id === webhookId);
	}

	clearLog(): void {
		this.log.length = 0;
	}

	/** Drops everything queued and pending (used on dataset reload and stop). */
	cancelAll(): void {
		for (const timer of this.timers) clearTimeout(timer);
		this.timers.clear();
		if (this.batchTimer) clearTimeout(this.batchTimer);
		this.batchTimer = null;
		this.queues.clear();
		this.openBatches.clear();
		this.deliveries.clear();
		this.pending = this.running.size;
		this.settle();
	}

	private enqueue(webhook: Webhook, delivery: Delivery): void {
		if (this.collecting === 0 && !this.settings.batch) {
			this.schedule({ webhook, deliveries: [delivery], batchId: null, attempt: 1, redelivery: false });
			return;
		}
		let open = this.openBatches.get(webhook.id);
		if (!open) {
			open = { webhook, deliveries: [] };
			this.openBatches.set(webhook.id, open);
			this.pending += 1;
		}
		open.deliveries.push(delivery);
		if (this.settings.batch && this.collecting === 0 && !this.batchTimer) {
			this.batchTimer = setTimeout(() => {
				this.batchTimer = null;
				this.closeBatches();
			}, this.settings.batchWindowMs);
		}
	}

	private closeBatches(): void {
		if (this.batchTimer) clearTimeout(this.batchTimer);
		this.batchTimer = null;
		const batches = [...this.openBatches.values()];
		this.openBatches.clear();
		for (const open of batches) {
			this.pending -= 1;
			this.schedule({ webhook: open.webhook, deliveries: open.deliveries, batchId: randomUUID(), attempt: 1, redelivery: false });
		}
	}

	private schedule(job: Job): void {
		this.pending += 1;
		const queue = this.queues.get(job.webhook.id) ?? [];
		queue.push(job);
		this.queues.set(job.webhook.id, queue);
		if (!this.running.has(job.webhook.id)) void this.drain(job.webhook.id);
	}

	private async drain(webhookId: string): Promise<void> {
		this.running.add(webhookId);
		try {
			for (let job = this.queues.get(webhookId)?.shift(); job; job = this.queues.get(webhookId)?.shift()) {
				const succeeded = await this.send(job);
				const retryDelay = this.settings.retryDelaysMs[job.attempt - 1];
				// A delivery forgotten by cancelAll (dataset reload, stop) is not retried.
				const stillKnown = this.deliveries.has(job.deliveries[0].id);
				if (!succeeded && retryDelay !== undefined && stillKnown) {
					const retry = { ...job, attempt: job.attempt + 1 };
					const timer = setTimeout(() => {
						this.timers.delete(timer);
						this.pending -= 1;
						this.schedule(retry);
					}, retryDelay);
					this.timers.add(timer);
				} else {
					this.pending -= 1;
				}
			}
		} finally {
			this.running.delete(webhookId);
			this.settle();
		}
	}

	private settle(): void {
		if (this.pending > 0) return;
		const waiters = this.waiters;
		this.waiters = [];
		for (const resolve of waiters) resolve();
	}

	private async send(job: Job): Promise<boolean> {
		const { webhook } = job;
		const body = JSON.stringify(job.batchId ? job.deliveries.map((d) => d.payload) : job.deliveries[0].payload);
		const headers: Record<string, string | number> = {
			'Content-Type': 'application/json; charset=utf-8',
			'Content-Length': Buffer.byteLength(body),
			'User-Agent': 'HaloPSA-Sandbox-Webhook',
		};
		if (webhook.authentication_type === AUTHENTICATION_BASIC) {
			headers.Authorization = `Basic ${Buffer.from(`${webhook.basic_username}:${webhook.basic_password}`).toString('base64')}`;
		}
		const attempt = async (): Promise<{ status: number; error: string | null }> => {
			try {
				const status = await post(webhook.url, httpMethods[webhook.method] ?? 'POST', headers, body, this.settings.timeoutMs);
				return { status, error: status < 200 || status > 299 ? `Receiver answered ${status}` : null };
			} catch (failure) {
				return { status: 0, error: (failure as Error).message };
			}
		};
		const duplicate = job.batchId === null && job.attempt === 1 && !job.redelivery && job.deliveries[0].duplicated;
		const [first, second] = await Promise.all([attempt(), ...(duplicate ? [attempt()] : [])]);
		this.record(job, first, job.redelivery);
		// The copy is logged as a redelivery; the delivery's fate (retries) follows the first POST.
		if (second) this.record(job, second, true);
		return first.error === null;
	}

	private record(job: Job, outcome: { status: number; error: string | null }, redelivery: boolean): void {
		const at = haloDate(Date.now());
		for (const delivery of job.deliveries) {
			this.log.push({
				id: delivery.id,
				webhook_id: job.webhook.id,
				url: job.webhook.url,
				event: delivery.event,
				object_id: delivery.objectId,
				status: outcome.status,
				success: outcome.error === null,
				error: outcome.error,
				attempt: job.attempt,
				batch: job.batchId,
				redelivery,
				at,
			});
		}
	}
}

function post(
	url: string,
	method: string,
	headers: Record<string, string | number>,
	body: string,
	timeoutMs: number,
): Promise<number> {
	return new Promise((resolve, reject) => {
		let target: URL;
		try {
			target = new URL(url);
		} catch {
			reject(new Error(`Invalid webhook URL ${url}`));
			return;
		}
		const transport = target.protocol === 'https:' ? https : http;
		const request = transport.request(target, { method, headers, timeout: timeoutMs }, (response) => {
			response.resume();
			response.on('end', () => resolve(response.statusCode ?? 0));
			response.on('error', reject);
		});
		request.on('timeout', () => request.destroy(new Error(`Receiver did not answer within ${timeoutMs} ms`)));
		request.on('error', reject);
		request.end(body);
	});
}
