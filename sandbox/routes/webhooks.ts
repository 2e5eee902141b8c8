import { randomUUID } from 'node:crypto';
import { dotNetError, notFound, ok } from '../http';
import type { Webhook, WebhookEventSubscription } from '../types';
import type { Schema } from '../validation';
import { webhookView } from '../views';
import { findHaloEvent } from '../webhooks';
import { arrayPost, type ApiRoute, type PreparedWrite, type RouteContext } from './context';

const webhookSchema: Schema = {
	id: 'string',
	name: 'string',
	url: 'string',
	method: 'string',
	active: 'bool',
	authentication_type: 'string',
	basic_username: 'string',
	basic_password: 'string',
	payload_type: 'string',
	events: 'array',
};

function eventsOf(value: unknown): WebhookEventSubscription[] {
	if (!Array.isArray(value)) return [];
	return value.map((entry, index) => {
		const fields = (typeof entry === 'object' && entry !== null ? entry : { name: entry }) as Record<string, unknown>;
		const known =
			(fields.eventno !== undefined ? findHaloEvent(Number(fields.eventno)) : undefined) ??
			(fields.name !== undefined ? findHaloEvent(String(fields.name)) : undefined);
		if (!known) throw dotNetError(400, `events[${index}]: unknown event ${JSON.stringify(fields.name ?? fields.eventno)}`);
		return { name: known.name, eventno: known.eventno, conditions: Array.isArray(fields.conditions) ? fields.conditions : [] };
	});
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

const methods = ['POST', 'PUT', 'PATCH'];

function methodOf(value: string): string {
	const method = value.toUpperCase();
	if (!methods.includes(method)) throw dotNetError(400, `Invalid webhook method '${value}': use ${methods.join(', ')}`);
	return method;
}

function authenticationOf(value: unknown): Webhook['authentication_type'] {
	const text = String(value ?? 'None').toLowerCase();
	if (text === 'none' || text === '0') return 'None';
	if (text === 'basic' || text === '1') return 'Basic';
	throw dotNetError(400, `Invalid authentication_type '${String(value)}': use None or Basic`);
}

function payloadTypeOf(value: unknown): Webhook['payload_type'] {
	const text = String(value ?? 'Full').toLowerCase().replace(/[\s_-]/g, '');
	if (text === 'full' || text === '0') return 'Full';
	if (text === 'eventonly' || text === 'eventinformationonly' || text === '1') return 'EventOnly';
	throw dotNetError(400, `Invalid payload_type '${String(value)}': use Full or EventOnly`);
}

/** Validates a record and builds the webhook it describes (a new one, or `base` changed) without storing it. */
function buildWebhook(record: Record<string, unknown>, base?: Webhook): Webhook {
	if (!base && !record.url) throw dotNetError(400, 'Please enter a URL for this Webhook');
	const text = (field: string, fallback: string) => (record[field] as string | undefined) ?? fallback;
	return {
		id: base?.id ?? '',
		name: text('name', base?.name ?? 'Webhook'),
		url: record.url !== undefined ? checkUrl(record.url as string) : base!.url,
		method: methodOf(text('method', base?.method ?? 'POST')),
		active: (record.active as boolean | undefined) ?? base?.active ?? true,
		authentication_type:
			record.authentication_type !== undefined || !base ? authenticationOf(record.authentication_type) : base.authentication_type,
		basic_username: text('basic_username', base?.basic_username ?? ''),
		basic_password: text('basic_password', base?.basic_password ?? ''),
		payload_type: record.payload_type !== undefined || !base ? payloadTypeOf(record.payload_type) : base.payload_type,
		events: record.events !== undefined || !base ? eventsOf(record.events) : base.events,
	};
}

function prepareWebhook(context: RouteContext, record: Record<string, unknown>): PreparedWrite {
	const { webhooks } = context.store;
	const id = record.id as string | undefined;
	if (id) {
		const webhook = webhooks.get(id.toLowerCase());
		if (!webhook) throw notFound('Webhook', id);
		buildWebhook(record, webhook);
		// Built again on commit: an earlier record of the same POST may have changed this webhook.
		return {
			created: false,
			commit: () => webhookView(Object.assign(webhook, buildWebhook(record, webhook))),
		};
	}
	// A new webhook depends on nothing but its record.
	const built = buildWebhook(record);
	return {
		created: true,
		commit: () => {
			const webhook = { ...built, id: randomUUID() };
			webhooks.set(webhook.id, webhook);
			return webhookView(webhook);
		},
	};
}

/** Webhook configuration and the delivery log: both need `admin:webhooks` (or all/admin). */
export const webhookRoutes: ApiRoute[] = [
	{
		method: 'GET',
		pattern: '/api/webhook',
		area: 'webhooks',
		access: 'read',
		handle: ({ store }) => ok([...store.webhooks.values()].map(webhookView)),
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
