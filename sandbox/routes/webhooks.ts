import { randomUUID } from 'node:crypto';
import { dotNetError, notFound, ok } from '../http';
import type { Webhook, WebhookEventSubscription } from '../types';
import { bindArray, type Schema } from '../validation';
import { webhookView } from '../views';
import { findHaloEvent } from '../webhooks';
import type { ApiRoute, RouteContext } from './context';

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

function saveWebhook(context: RouteContext, record: Record<string, unknown>): { created: boolean; body: unknown } {
	const { webhooks } = context.store;
	const id = record.id as string | undefined;
	if (id) {
		const webhook = webhooks.get(id.toLowerCase());
		if (!webhook) throw notFound('Webhook', id);
		if (record.name !== undefined) webhook.name = record.name as string;
		if (record.url !== undefined) webhook.url = checkUrl(record.url as string);
		if (record.method !== undefined) webhook.method = (record.method as string).toUpperCase();
		if (record.active !== undefined) webhook.active = record.active as boolean;
		if (record.authentication_type !== undefined) webhook.authentication_type = authenticationOf(record.authentication_type);
		if (record.basic_username !== undefined) webhook.basic_username = record.basic_username as string;
		if (record.basic_password !== undefined) webhook.basic_password = record.basic_password as string;
		if (record.payload_type !== undefined) webhook.payload_type = payloadTypeOf(record.payload_type);
		if (record.events !== undefined) webhook.events = eventsOf(record.events);
		return { created: false, body: webhookView(webhook) };
	}
	if (!record.url) throw dotNetError(400, 'Please enter a URL for this Webhook');
	const webhook: Webhook = {
		id: randomUUID(),
		name: (record.name as string | undefined) ?? 'Webhook',
		url: checkUrl(record.url as string),
		method: ((record.method as string | undefined) ?? 'POST').toUpperCase(),
		active: (record.active as boolean | undefined) ?? true,
		authentication_type: authenticationOf(record.authentication_type),
		basic_username: (record.basic_username as string | undefined) ?? '',
		basic_password: (record.basic_password as string | undefined) ?? '',
		payload_type: payloadTypeOf(record.payload_type),
		events: eventsOf(record.events),
	};
	webhooks.set(webhook.id, webhook);
	return { created: true, body: webhookView(webhook) };
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
		handle: (context) => {
			const records = bindArray(context.body, webhookSchema);
			const results = records.map((record) => saveWebhook(context, record));
			const status = results.every((result) => result.created) ? 201 : 200;
			return { status, body: results.length === 1 ? results[0].body : results.map((result) => result.body) };
		},
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
