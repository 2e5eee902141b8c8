import type { IncomingMessage, ServerResponse } from 'node:http';
import { buildDataset, type DatasetSpec } from './datasets';
import { humanAgentIds, outcomeNames } from './datasets/common';
import { haloDate } from './dates';
import { addAction, changeTicketStatus, reassignTicket, resolveOutcome, ticketOrThrow } from './domain';
import { validateFaults } from './faults';
import { HaloHttpError, dotNetError, notFound, parseJson, readBody, writeJson, type Reply } from './http';
import { checkTicketReferences, createTicket } from './routes/tickets';
import type { SandboxState } from './state';
import type { Agent } from './types';
import { assetView, clientView, contractView, ticketView, userView } from './views';
import { findHaloEvent, haloEvents, type HaloEventKey } from './webhooks';

/**
 * The sandbox's own control and inspection API under `/_sandbox/` (never a Halo path). These
 * requests are not counted in stats, not rate limited and never hit by injected faults.
 */

type Body = Record<string, unknown>;

function asObject(body: unknown): Body {
	if (typeof body !== 'object' || body === null || Array.isArray(body)) throw dotNetError(400, 'Expected a JSON object body');
	return body as Body;
}

function requiredInt(body: Body, field: string): number {
	const value = Number(body[field]);
	if (body[field] === undefined || !Number.isInteger(value)) throw dotNetError(400, `${field} (an integer) is required`);
	return value;
}

function optionalInt(body: Body, field: string): number | undefined {
	return body[field] === undefined ? undefined : requiredInt(body, field);
}

/** The agent a simulation acts as: the one asked for, or the first service desk person. */
function simulationAgent(state: SandboxState, body: Body): Agent {
	const agentId = optionalInt(body, 'agent_id') ?? humanAgentIds[0];
	const agent = state.store.agents.get(agentId);
	if (!agent) throw notFound('Agent', agentId);
	return agent;
}

/** Fires `event` for an existing object in its current state, without changing anything. */
function simulateEvent(state: SandboxState, body: Body): unknown {
	const event = findHaloEvent(typeof body.event === 'number' ? body.event : String(body.event ?? ''));
	if (!event) throw dotNetError(400, `Unknown event '${String(body.event)}'; use a name or eventno from ARCHITECTURE.md`);
	const key = (Object.keys(haloEvents) as HaloEventKey[]).find((candidate) => haloEvents[candidate].eventno === event.eventno)!;
	const objectId = requiredInt(body, 'object_id');
	const { store } = state;
	const now = Date.now();
	const objects: Record<string, unknown> = {};
	if (event.eventno <= 5) objects.ticket = ticketView(ticketOrThrow(state, objectId), store);
	else if (event.eventno <= 7) {
		const action = store.actions.get(objectId);
		if (!action) throw notFound('Action', objectId);
		objects.action = { ...action };
		objects.ticket = ticketView(ticketOrThrow(state, action.ticket_id), store);
	} else {
		const [objectKey, row, view] =
			event.eventno <= 11
				? (['client', store.clients.get(objectId), (r: never) => clientView(r)] as const)
				: event.eventno <= 13
					? (['user', store.users.get(objectId), (r: never) => userView(r, store)] as const)
					: event.eventno <= 15
						? (['asset', store.assets.get(objectId), (r: never) => assetView(r, store)] as const)
						: (['contract', store.contracts.get(objectId), (r: never) => contractView(r, store, now, true)] as const);
		if (!row) throw notFound(objectKey, objectId);
		objects[objectKey] = view(row as never);
	}
	state.emit({ key, objectId, agentId: optionalInt(body, 'agent_id') ?? 0, message: `${event.name} (simulated)`, objects });
	return { event: event.name, object_id: objectId };
}

/** Sandbox-only "something happened in Halo" calls; each changes data and fires the events Halo would. */
function simulate(state: SandboxState, kind: string, body: Body): unknown {
	const now = Date.now();
	switch (kind) {
		case 'end-user-reply': {
			const ticket = ticketOrThrow(state, requiredInt(body, 'ticket_id'));
			const user = state.store.users.get(ticket.user_id);
			const action = addAction(
				state,
				{
					ticketId: ticket.id,
					outcome: resolveOutcome(state, undefined, outcomeNames.emailReceived),
					note: String(body.note ?? ''),
					hiddenFromUser: false,
					sendEmail: false,
					author: { type: 'user', name: String(body.from_name ?? user?.name ?? 'End User'), email: String(body.from ?? user?.emailaddress ?? '') },
				},
				now,
			);
			if (body.status_id !== undefined) changeTicketStatus(state, ticket, requiredInt(body, 'status_id'), 0, now);
			return { ...action };
		}
		case 'agent-note': {
			const ticket = ticketOrThrow(state, requiredInt(body, 'ticket_id'));
			const hidden = body.hiddenfromuser === undefined ? false : body.hiddenfromuser === true || body.hiddenfromuser === 'true';
			const action = addAction(
				state,
				{
					ticketId: ticket.id,
					outcome: resolveOutcome(state, undefined, hidden ? outcomeNames.privateNote : outcomeNames.note),
					note: String(body.note ?? ''),
					hiddenFromUser: hidden,
					author: { type: 'agent', agent: simulationAgent(state, body) },
				},
				now,
			);
			return { ...action };
		}
		case 'status-change': {
			const ticket = ticketOrThrow(state, requiredInt(body, 'ticket_id'));
			changeTicketStatus(state, ticket, requiredInt(body, 'status_id'), optionalInt(body, 'agent_id') ?? 0, now);
			return ticketView(ticket, state.store);
		}
		case 'reassign': {
			const ticket = ticketOrThrow(state, requiredInt(body, 'ticket_id'));
			reassignTicket(state, ticket, { agentId: optionalInt(body, 'agent_id'), teamId: optionalInt(body, 'team_id') }, 0, now);
			return ticketView(ticket, state.store);
		}
		case 'ticket-logged': {
			const context = { state, store: state.store, now, agent: simulationAgent(state, {}) };
			const record: Body = { ...body };
			checkTicketReferences(context, record);
			return ticketView(createTicket(context, record), state.store);
		}
		case 'event':
			return simulateEvent(state, body);
		default:
			throw notFound('Simulation', kind);
	}
}

async function simulateBatch(state: SandboxState, body: Body): Promise<unknown> {
	const events = body.events;
	if (!Array.isArray(events)) throw dotNetError(400, 'events (an array of { kind, ...fields }) is required');
	return state.webhooks.batch(() =>
		events.map((event) => {
			const fields = asObject(event);
			return simulate(state, String(fields.kind ?? ''), fields);
		}),
	);
}

function configure(state: SandboxState, body: Body): unknown {
	if (body.tokenLifetimeSeconds !== undefined) {
		const seconds = Number(body.tokenLifetimeSeconds);
		if (!(seconds > 0)) throw dotNetError(400, 'tokenLifetimeSeconds must be a positive number');
		state.config.tokenLifetimeSeconds = seconds;
	}
	if (body.requireTenant !== undefined) {
		state.config.requireTenant = body.requireTenant === null ? undefined : String(body.requireTenant);
	}
	if (body.webhooks !== undefined) {
		const webhooks = asObject(body.webhooks);
		const settings = state.webhooks.settings;
		if (webhooks.retryDelaysMs !== undefined) {
			if (!Array.isArray(webhooks.retryDelaysMs) || !webhooks.retryDelaysMs.every((delay) => Number(delay) >= 0)) {
				throw dotNetError(400, 'webhooks.retryDelaysMs must be an array of non-negative numbers');
			}
			settings.retryDelaysMs = webhooks.retryDelaysMs.map(Number);
		}
		if (webhooks.batch !== undefined) settings.batch = webhooks.batch === true;
		if (webhooks.batchWindowMs !== undefined) settings.batchWindowMs = Number(webhooks.batchWindowMs) || settings.batchWindowMs;
		if (webhooks.timeoutMs !== undefined) settings.timeoutMs = Number(webhooks.timeoutMs) || settings.timeoutMs;
	}
	return currentConfig(state);
}

function currentConfig(state: SandboxState): unknown {
	return {
		tokenLifetimeSeconds: state.config.tokenLifetimeSeconds,
		requireTenant: state.config.requireTenant ?? null,
		webhooks: { ...state.webhooks.settings },
		rateLimit: state.rateLimit.enabled ? { limit: state.rateLimit.limit, windowMs: state.rateLimit.windowMs } : false,
	};
}

async function route(state: SandboxState, req: IncomingMessage, method: string, path: string, url: URL): Promise<Reply> {
	const bodyText = await readBody(req);
	const body = () => parseJson(bodyText);
	const reply = (value: unknown, status = 200): Reply => ({ status, body: value });
	const key = `${method} ${path}`;
	if (path.startsWith('/_sandbox/simulate/') && method === 'POST') {
		const kind = path.slice('/_sandbox/simulate/'.length);
		return reply(kind === 'batch' ? await simulateBatch(state, asObject(body())) : simulate(state, kind, asObject(body())));
	}
	if (path.startsWith('/_sandbox/sink/')) {
		const name = path.slice('/_sandbox/sink/'.length);
		if (method === 'GET') return reply(state.sinks.get(name) ?? []);
		if (method === 'DELETE') {
			state.sinks.delete(name);
			return reply({ cleared: name });
		}
		let received: unknown = bodyText;
		try {
			received = bodyText === '' ? null : JSON.parse(bodyText);
		} catch {
			// Sinks keep non-JSON bodies as text.
		}
		const entries = state.sinks.get(name) ?? [];
		entries.push({ method, headers: req.headers, query: Object.fromEntries(url.searchParams), body: received, at: haloDate(Date.now()) });
		state.sinks.set(name, entries);
		return reply({ received: true, count: entries.length });
	}
	switch (key) {
		case 'GET /_sandbox/stats':
			return reply(state.stats());
		case 'GET /_sandbox/requests': {
			const routeFilter = url.searchParams.get('route')?.toLowerCase();
			return reply(
				state.requests
					.filter((entry) => !routeFilter || entry.route.toLowerCase() === routeFilter)
					.map(({ method: m, path: p, query, status, at, route: r }) => ({ method: m, path: p, route: r, query, status, at })),
			);
		}
		case 'POST /_sandbox/reset':
			state.reset();
			return reply({ reset: true });
		case 'POST /_sandbox/dataset': {
			const requested = asObject(body()).dataset;
			// 'generated' is the CLI's name for the generator with its default sizes.
			const spec = (requested === 'generated' ? {} : requested) as DatasetSpec | undefined;
			if (spec !== 'demo' && spec !== 'empty' && (typeof spec !== 'object' || spec === null)) {
				throw dotNetError(400, "dataset must be 'demo', 'empty', 'generated' or generator options");
			}
			state.loadDataset(buildDataset(spec));
			return reply({ loaded: true, assets: state.store.assets.size, tickets: state.store.tickets.size });
		}
		case 'GET /_sandbox/faults':
			return reply(state.faults.list());
		case 'POST /_sandbox/faults': {
			const parsed = body();
			const wrapped = !Array.isArray(parsed) && typeof parsed === 'object' && parsed !== null && 'faults' in parsed;
			const rules = validateFaults(wrapped ? (parsed as Body).faults : parsed);
			const seed = wrapped && (parsed as Body).seed !== undefined ? Number((parsed as Body).seed) : undefined;
			state.faults.add(rules, seed);
			return reply(state.faults.list());
		}
		case 'DELETE /_sandbox/faults':
			state.faults.clear();
			return reply([]);
		case 'GET /_sandbox/rate-limit':
			return reply(currentConfig(state));
		case 'POST /_sandbox/rate-limit': {
			const settings = asObject(body());
			if (settings.enabled === false) state.rateLimit.configure(false);
			else {
				const limit = requiredInt(settings, 'limit');
				const windowMs = requiredInt(settings, 'windowMs');
				if (limit < 1 || windowMs < 1) throw dotNetError(400, 'limit and windowMs must be positive');
				state.rateLimit.configure({ limit, windowMs });
			}
			return reply(currentConfig(state));
		}
		case 'GET /_sandbox/config':
			return reply(currentConfig(state));
		case 'POST /_sandbox/config':
			return reply(configure(state, asObject(body())));
		case 'GET /_sandbox/emails':
			return reply(state.emails);
		case 'DELETE /_sandbox/emails':
			state.emails = [];
			return reply([]);
		case 'GET /_sandbox/webhook-deliveries':
			return reply(state.webhooks.attempts(url.searchParams.get('webhook_id') ?? undefined));
		case 'POST /_sandbox/webhooks/flush':
			await state.webhooks.flush();
			return reply({ flushed: true });
		case 'POST /_sandbox/webhooks/redeliver': {
			const request = asObject(body());
			const ids = Array.isArray(request.delivery_ids) ? request.delivery_ids.map(String) : [String(request.delivery_id ?? '')];
			const unknown = ids.filter((id) => !state.webhooks.knows(id));
			if (unknown.length > 0) throw notFound('Delivery', unknown.join(', '));
			for (const id of ids) state.webhooks.redeliver(id);
			return reply({ redelivered: ids.length });
		}
		case 'GET /_sandbox/sink':
			return reply(Object.fromEntries([...state.sinks].map(([name, entries]) => [name, entries.length])));
		default:
			throw dotNetError(404, `No sandbox control route ${method} ${path}`);
	}
}

export async function handleControl(state: SandboxState, req: IncomingMessage, res: ServerResponse, url: URL, path: string): Promise<void> {
	const method = (req.method ?? 'GET').toUpperCase();
	try {
		const reply = await route(state, req, method, path, url);
		writeJson(res, reply.status, reply.body);
	} catch (error) {
		if (error instanceof HaloHttpError) writeJson(res, error.status, error.body);
		else writeJson(res, 500, { ClassName: 'System.Exception', Message: `Sandbox internal error: ${(error as Error)?.message}` });
	}
}
