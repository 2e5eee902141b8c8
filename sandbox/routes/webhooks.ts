import { randomUUID } from 'node:crypto';
import { dotNetError, notFound, ok } from '../http';
import type { Webhook, WebhookEventSubscription, WebhookNotification } from '../types';
import type { Schema } from '../validation';
import { webhookView } from '../views';
import { AUTHENTICATION_BASIC, AUTHENTICATION_NONE, findHaloEvent, httpMethods, PAYLOAD_DEFAULT, PAYLOAD_EVENT_INFORMATION } from '../webhooks';
import { arrayPost, idParam, type ApiRoute, type PreparedWrite, type RouteContext } from './context';

const webhookSchema: Schema = {
	id: 'string',
	name: 'string',
	url: 'string',
	type: 'int',
	method: 'int',
	active: 'bool',
	authentication_type: 'int',
	basic_username: 'string',
	basic_password: 'string',
	payload_type: 'int',
	batch_method: 'int',
	batch_delay_seconds: 'int',
	batch_limit: 'int',
	auto_disable_attempts: 'int',
	notify_on_failure: 'bool',
	events: { records: { eventno: 'int', name: 'string', conditions: 'array' } },
};

/** The events of a webhook, by number: Halo ties an event to a webhook by its `eventno`. */
function eventsOf(context: RouteContext, value: unknown): WebhookEventSubscription[] {
	const records = (value ?? []) as Array<Record<string, unknown>>;
	const events = records.map((fields, index) => {
		if (fields.eventno === undefined) throw dotNetError(400, `events[${index}]: eventno is required (Halo ties events to a webhook by number)`);
		const known = findHaloEvent(fields.eventno as number);
		if (!known) throw dotNetError(400, `events[${index}]: there is no event number ${String(fields.eventno)}`);
		return { name: known.name, eventno: known.eventno, conditions: (fields.conditions as unknown[] | undefined) ?? [] };
	});
	const mode = context.state.webhooks.settings.eventsOnWebhook;
	if (mode === 'refused' && events.length > 0) {
		throw dotNetError(400, 'Events cannot be added to a webhook: add a Notification for each event instead');
	}
	return mode === 'ignored' ? [] : events;
}

function checkUrl(url: string): string {
	try {
		const parsed = new URL(url);
		if (parsed.protocol === 'http:' || parsed.protocol === 'https:') return url;
	} catch {
		// Reported below.
	}
	throw dotNetError(400, `Invalid webhook URL '${url}'`);
}

/** One of Halo's codes the sandbox simulates; 400 naming the field, the value and the codes otherwise. */
function code(record: Record<string, unknown>, field: string, fallback: number, simulated: Record<number, string>): number {
	const value = (record[field] as number | undefined) ?? fallback;
	if (simulated[value] === undefined) {
		const known = Object.entries(simulated).map(([number, meaning]) => `${number} (${meaning})`);
		throw dotNetError(400, `Invalid ${field} ${value}: the sandbox simulates ${known.join(', ')}`);
	}
	return value;
}

const webhookTypes = { 0: 'outbound webhook' };
const authenticationTypes = { [AUTHENTICATION_NONE]: 'none', [AUTHENTICATION_BASIC]: 'Basic' };
const payloadTypes = { [PAYLOAD_DEFAULT]: 'default', [PAYLOAD_EVENT_INFORMATION]: 'custom JSON' };
const batchMethods = { 0: 'none', 1: 'time based', 2: 'count based' };

/** Validates a record and builds the webhook it describes (a new one, or `base` changed) without storing it. */
function buildWebhook(context: RouteContext, record: Record<string, unknown>, base?: Webhook): Webhook {
	if (!base && !record.url) throw dotNetError(400, 'Please enter a URL for this Webhook');
	const text = (field: string, fallback: string) => (record[field] as string | undefined) ?? fallback;
	const number = (field: 'batch_delay_seconds' | 'batch_limit' | 'auto_disable_attempts') =>
		(record[field] as number | undefined) ?? base?.[field] ?? 0;
	return {
		id: base?.id ?? '',
		name: text('name', base?.name ?? 'Webhook'),
		url: record.url !== undefined ? checkUrl(record.url as string) : base!.url,
		type: code(record, 'type', base?.type ?? 0, webhookTypes),
		method: code(record, 'method', base?.method ?? 0, httpMethods),
		active: (record.active as boolean | undefined) ?? base?.active ?? true,
		authentication_type: code(record, 'authentication_type', base?.authentication_type ?? AUTHENTICATION_NONE, authenticationTypes),
		basic_username: text('basic_username', base?.basic_username ?? ''),
		basic_password: text('basic_password', base?.basic_password ?? ''),
		payload_type: code(record, 'payload_type', base?.payload_type ?? PAYLOAD_DEFAULT, payloadTypes),
		batch_method: code(record, 'batch_method', base?.batch_method ?? 0, batchMethods),
		batch_delay_seconds: number('batch_delay_seconds'),
		batch_limit: number('batch_limit'),
		auto_disable_attempts: number('auto_disable_attempts'),
		notify_on_failure: (record.notify_on_failure as boolean | undefined) ?? base?.notify_on_failure ?? false,
		events: record.events !== undefined || !base ? eventsOf(context, record.events) : base.events,
	};
}

function prepareWebhook(context: RouteContext, record: Record<string, unknown>): PreparedWrite {
	const { webhooks } = context.store;
	const id = record.id as string | undefined;
	if (id) {
		const webhook = webhooks.get(id.toLowerCase());
		if (!webhook) throw notFound('Webhook', id);
		buildWebhook(context, record, webhook);
		// Built again on commit: an earlier record of the same POST may have changed this webhook.
		return {
			created: false,
			commit: () => webhookView(Object.assign(webhook, buildWebhook(context, record, webhook))),
		};
	}
	// A new webhook depends on nothing but its record.
	const built = buildWebhook(context, record);
	return {
		created: true,
		commit: () => {
			const webhook = { ...built, id: randomUUID() };
			webhooks.set(webhook.id, webhook);
			return webhookView(webhook);
		},
	};
}

const notificationSchema: Schema = {
	id: 'int',
	webhook_id: 'string',
	delivery_method: 'int',
	// Halo takes the event number here as a string, the way the live client sends it.
	eventno: 'text',
	type: 'int',
	filter_type: 'int',
	conditions: 'array',
};

/** The only notification the sandbox simulates: an event delivered to a webhook, unfiltered. */
const WEBHOOK_DELIVERY = { delivery_method: 6, type: -2, filter_type: 2 } as const;

function prepareNotification(context: RouteContext, record: Record<string, unknown>): PreparedWrite {
	const { store } = context;
	if (record.id !== undefined && record.id !== 0) throw dotNetError(400, 'The sandbox does not update notifications: delete and add them');
	const webhookId = String(record.webhook_id ?? '').toLowerCase();
	if (!store.webhooks.has(webhookId)) throw dotNetError(400, `Invalid webhook_id: ${String(record.webhook_id)} does not exist`);
	for (const [field, value] of Object.entries(WEBHOOK_DELIVERY)) {
		if (record[field] !== value) {
			throw dotNetError(400, `Invalid ${field} ${String(record[field])}: the sandbox simulates webhook deliveries (${field} ${value})`);
		}
	}
	const eventno = String(record.eventno ?? '').trim();
	if (!/^\d+$/.test(eventno) || !findHaloEvent(Number(eventno))) {
		throw dotNetError(400, `Invalid eventno '${String(record.eventno)}': there is no such event`);
	}
	return {
		created: true,
		commit: () =>
			({ ...store.notifications.insert({
				id: store.notifications.nextId(),
				webhook_id: webhookId,
				eventno,
				...WEBHOOK_DELIVERY,
				conditions: (record.conditions as unknown[] | undefined) ?? [],
			}) }),
	};
}

function notificationOrThrow(context: RouteContext): WebhookNotification {
	const id = idParam(context);
	const notification = context.store.notifications.get(id);
	if (!notification) throw notFound('Notification', id);
	return notification;
}

/** Webhook configuration, notifications and the delivery log: all need `admin:webhooks` (or all/admin). */
export const webhookRoutes: ApiRoute[] = [
	{
		method: 'GET',
		pattern: '/api/webhook',
		area: 'webhooks',
		access: 'read',
		handle: ({ store, query }) => {
			const type = query.int('type');
			return ok([...store.webhooks.values()].filter((webhook) => type === undefined || webhook.type === type).map(webhookView));
		},
	},
	{
		method: 'GET',
		pattern: '/api/webhook/:id',
		area: 'webhooks',
		access: 'read',
		handle: ({ store, params }) => {
			const webhook = store.webhooks.get(params.id);
			if (!webhook) throw notFound('Webhook', params.id);
			return ok(webhookView(webhook));
		},
	},
	{
		method: 'POST',
		pattern: '/api/webhook',
		area: 'webhooks',
		access: 'edit',
		handle: (context) => arrayPost(context, webhookSchema, (record) => prepareWebhook(context, record)),
	},
	{
		method: 'DELETE',
		pattern: '/api/webhook/:id',
		area: 'webhooks',
		access: 'edit',
		handle: ({ store, params }) => {
			const webhook = store.webhooks.get(params.id);
			if (!webhook) throw notFound('Webhook', params.id);
			store.webhooks.delete(params.id);
			return ok(webhookView(webhook));
		},
	},
	{
		method: 'GET',
		pattern: '/api/notification',
		area: 'webhooks',
		access: 'read',
		handle: ({ store, query }) => {
			const webhookId = query.string('webhook_id')?.toLowerCase();
			return ok(store.notifications.all().filter((row) => webhookId === undefined || row.webhook_id === webhookId));
		},
	},
	{
		method: 'GET',
		pattern: '/api/notification/:id',
		area: 'webhooks',
		access: 'read',
		handle: (context) => ok(notificationOrThrow(context)),
	},
	{
		method: 'POST',
		pattern: '/api/notification',
		area: 'webhooks',
		access: 'edit',
		handle: (context) => arrayPost(context, notificationSchema, (record) => prepareNotification(context, record)),
	},
	{
		method: 'DELETE',
		pattern: '/api/notification/:id',
		area: 'webhooks',
		access: 'edit',
		handle: (context) => {
			const notification = notificationOrThrow(context);
			context.store.notifications.remove(notification.id);
			return ok(notification);
		},
	},
	{
		method: 'GET',
		pattern: '/api/webhookevent',
		area: 'webhooks',
		access: 'read',
		handle: ({ state, query }) => {
			const webhookId = query.string('webhook_id')?.toLowerCase();
			const count = query.int('count');
			const attempts = state.webhooks.attempts(webhookId).map((attempt) => ({
				id: attempt.id,
				webhook_id: attempt.webhook_id,
				event: attempt.event,
				object_id: attempt.object_id,
				datetime: attempt.at,
				response_status: attempt.status,
				success: attempt.success,
				error: attempt.error,
				attempt: attempt.attempt,
				batch_id: attempt.batch,
			}));
			return ok(count !== undefined ? attempts.slice(-count) : attempts);
		},
	},
];
