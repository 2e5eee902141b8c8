import type { IncomingMessage, ServerResponse } from 'node:http';
import { buildDataset, type DatasetSpec } from './datasets';
import { humanAgentIds, outcomeNames } from './datasets/common';
import { haloDate } from './dates';
import { addAction, changeTicketStatus, checkReassignment, checkStatus, planAction, reassignTicket, resolveOutcome, ticketOrThrow, type NewAction } from './domain';
import { validateFaults } from './faults';
import { validateLatency } from './latency';
import { dotNetError, notFound, parseJson, readBody, withPrefix, writeError, writeJson, type Reply } from './http';
import { validateRateLimit } from './rateLimit';
import { buildTicket, createTicket, ticketSchema } from './routes/tickets';
import type { SandboxState } from './state';
import type { Agent } from './types';
import { bindObject, booleanSetting, integerSetting, maxSeed, maxTokenLifetimeSeconds, objectSetting, type Schema } from './validation';
import { actionView, assetView, clientView, contractView, ticketView, userView } from './views';
import { findHaloEvent, validateWebhookSettings, type HaloEvent, type HaloEventDefinition } from './webhooks';

/**
 * The sandbox's own control and inspection API under `/_sandbox/` (never a Halo path). These
 * requests are not counted in stats, not rate limited and never hit by injected faults.
 */

type Body = Record<string, unknown>;

function asObject(body: unknown): Body {
	if (typeof body !== 'object' || body === null || Array.isArray(body)) throw dotNetError(400, 'Expected a JSON object body');
	return body as Body;
}

function required(body: Body, field: string): number {
	const value = body[field];
	if (typeof value !== 'number') throw dotNetError(400, `${field} (an integer) is required`);
	return value;
}

/** The agent a simulation acts as: the one asked for, or the first service desk person. */
function simulationAgent(state: SandboxState, agentId: number | undefined): Agent {
	const id = agentId ?? humanAgentIds[0];
	const agent = state.store.agents.get(id);
	if (!agent) throw notFound('Agent', id);
	return agent;
}

/**
 * An event for an existing object (`objectId` names the event's object: an action for action
 * events) in its current state, as the dispatcher takes it; 404 when the object does not exist.
 */
function eventFor(state: SandboxState, event: HaloEventDefinition, objectId: number, agentId: number): HaloEvent {
	const { store } = state;
	const base = { key: event.key, agentId, message: `${event.name} (simulated)` };
	if (event.object === 'ticket') {
		return { ...base, objectId, objects: { ticket: ticketView(ticketOrThrow(state, objectId), store) } };
	}
	if (event.object === 'action') {
		const action = store.actions.get(objectId);
		if (!action) throw notFound('Action', objectId);
		const ticket = ticketView(ticketOrThrow(state, action.ticket_id), store);
		return { ...base, objectId: action.ticket_id, actionId: action.id, objects: { action: actionView(action), ticket } };
	}
	const [row, view] =
		event.object === 'client'
			? [store.clients.get(objectId), (r: never) => clientView(r)]
			: event.object === 'user'
				? [store.users.get(objectId), (r: never) => userView(r, store)]
				: event.object === 'asset'
					? [store.assets.get(objectId), (r: never) => assetView(r, store)]
					: [store.contracts.get(objectId), (r: never) => contractView(r, store, Date.now(), true)];
	if (!row) throw notFound(event.object, objectId);
	return { ...base, objectId, objects: { [event.object]: view(row as never) } };
}

/** A validated simulation: running it changes data and fires the events Halo would. */
type Simulation = () => unknown;

const simulationSchemas: Record<string, Schema> = {
	'end-user-reply': { ticket_id: 'int', note: 'string', from: 'string', from_name: 'string', status_id: 'int' },
	'agent-note': { ticket_id: 'int', note: 'string', hiddenfromuser: 'bool', agent_id: 'int' },
	'status-change': { ticket_id: 'int', status_id: 'int', agent_id: 'int' },
	reassign: { ticket_id: 'int', agent_id: 'int', team_id: 'int' },
	'ticket-logged': ticketSchema,
	event: { event: 'string', object_id: 'int', agent_id: 'int' },
};

/**
 * Sandbox-only "something happened in Halo" calls. Each body is bound like an API body and
 * checked in full (ticket, status, agent, outcome...) before anything changes: a bad call
 * answers 400/404 and leaves no action, status change or webhook event behind.
 */
function prepareSimulation(state: SandboxState, kind: string, raw: unknown): Simulation {
	const schema = simulationSchemas[kind];
	if (!schema) throw notFound('Simulation', kind);
	const body = bindObject(raw, schema);
	const now = Date.now();
	switch (kind) {
		case 'end-user-reply': {
			const ticket = ticketOrThrow(state, required(body, 'ticket_id'));
			const user = state.store.users.get(ticket.user_id);
			const request: NewAction = {
				ticketId: ticket.id,
				outcome: resolveOutcome(state, undefined, outcomeNames.emailReceived),
				note: (body.note as string | undefined) ?? '',
				hiddenFromUser: false,
				sendEmail: false,
				author: {
					type: 'user',
					name: (body.from_name as string | undefined) ?? user?.name ?? 'End User',
					email: (body.from as string | undefined) ?? user?.emailaddress ?? '',
				},
			};
			planAction(state, request, now);
			const statusId = body.status_id as number | undefined;
			if (statusId !== undefined) checkStatus(state, statusId, 'status_id');
			return () => {
				const action = addAction(state, request, Date.now());
				if (statusId !== undefined) changeTicketStatus(state, ticket, statusId, 0, Date.now());
				return { ...action };
			};
		}
		case 'agent-note': {
			const ticket = ticketOrThrow(state, required(body, 'ticket_id'));
			const hidden = (body.hiddenfromuser as boolean | undefined) ?? false;
			const request: NewAction = {
				ticketId: ticket.id,
				outcome: resolveOutcome(state, undefined, hidden ? outcomeNames.privateNote : outcomeNames.note),
				note: (body.note as string | undefined) ?? '',
				hiddenFromUser: hidden,
				author: { type: 'agent', agent: simulationAgent(state, body.agent_id as number | undefined) },
			};
			planAction(state, request, now);
			return () => ({ ...addAction(state, request, Date.now()) });
		}
		case 'status-change': {
			const ticket = ticketOrThrow(state, required(body, 'ticket_id'));
			const statusId = required(body, 'status_id');
			checkStatus(state, statusId, 'status_id');
			return () => {
				changeTicketStatus(state, ticket, statusId, (body.agent_id as number | undefined) ?? 0, Date.now());
				return ticketView(ticket, state.store);
			};
		}
		case 'reassign': {
			const ticket = ticketOrThrow(state, required(body, 'ticket_id'));
			const change = { agentId: body.agent_id as number | undefined, teamId: body.team_id as number | undefined };
			checkReassignment(state, change);
			return () => {
				reassignTicket(state, ticket, change, 0, Date.now());
				return ticketView(ticket, state.store);
			};
		}
		case 'ticket-logged': {
			const context = { state, store: state.store, now, agent: simulationAgent(state, undefined) };
			buildTicket(context, body);
			return () => ticketView(createTicket({ ...context, now: Date.now() }, body), state.store);
		}
		default: {
			// `event`: fires an event for an existing object in its current state, changing nothing.
			const event = body.event === undefined ? undefined : findHaloEvent(body.event as string);
			if (!event) throw dotNetError(400, `Unknown event '${String(body.event)}'; use a name or eventno from ARCHITECTURE.md`);
			const objectId = required(body, 'object_id');
			const agentId = (body.agent_id as number | undefined) ?? 0;
			eventFor(state, event, objectId, agentId);
			return () => {
				const fired = eventFor(state, event, objectId, agentId);
				state.emit(fired);
				return { event: event.name, object_id: fired.objectId };
			};
		}
	}
}

/**
 * Runs several simulations and sends their events per webhook as one array POST. Every step is
 * checked against the data as it was before the batch, then all run: a bad step runs none.
 */
async function simulateBatch(state: SandboxState, body: Body): Promise<unknown> {
	const events = body.events;
	if (!Array.isArray(events)) throw dotNetError(400, 'events (an array of { kind, ...fields }) is required');
	const steps = events.map((event, index) => {
		try {
			const fields = asObject(event);
			return prepareSimulation(state, String(fields.kind ?? ''), fields);
		} catch (error) {
			throw withPrefix(error, `events[${index}]`);
		}
	});
	return state.webhooks.batch(() => steps.map((step) => step()));
}

/** Validates a whole config change before applying any of it. */
function configure(state: SandboxState, raw: unknown): unknown {
	const body = objectSetting(raw, 'config', ['tokenLifetimeSeconds', 'requireTenant', 'echoSecretInTokenErrors', 'webhooks', 'latencyMs', 'tokenLatencyMs']);
	const lifetime =
		body.tokenLifetimeSeconds === undefined ? undefined : integerSetting(body.tokenLifetimeSeconds, 'tokenLifetimeSeconds', 1, maxTokenLifetimeSeconds);
	const tenant = body.requireTenant;
	if (tenant !== undefined && tenant !== null && (typeof tenant !== 'string' || tenant.trim() === '')) {
		throw dotNetError(400, 'requireTenant must be a tenant name, or null to stop requiring one', 'System.ArgumentException');
	}
	const echo = body.echoSecretInTokenErrors === undefined ? undefined : booleanSetting(body.echoSecretInTokenErrors, 'echoSecretInTokenErrors');
	const webhooks = body.webhooks === undefined ? {} : validateWebhookSettings(body.webhooks);
	const latency = validateLatency(body);
	if (echo !== undefined) state.config.echoSecretInTokenErrors = echo;
	if (lifetime !== undefined) state.config.tokenLifetimeSeconds = lifetime;
	if (tenant !== undefined) state.config.requireTenant = tenant === null ? undefined : (tenant as string);
	Object.assign(state.webhooks.settings, webhooks);
	Object.assign(state.config.latency, latency);
	return currentConfig(state);
}

function currentConfig(state: SandboxState): unknown {
	return {
		tokenLifetimeSeconds: state.config.tokenLifetimeSeconds,
		requireTenant: state.config.requireTenant ?? null,
		echoSecretInTokenErrors: state.config.echoSecretInTokenErrors === true,
		latencyMs: state.config.latency.latencyMs,
		tokenLatencyMs: state.config.latency.tokenLatencyMs,
		webhooks: { ...state.webhooks.settings },
		rateLimit: state.rateLimit.enabled ? { limit: state.rateLimit.limit, windowMs: state.rateLimit.windowMs, announce: state.rateLimit.announce } : false,
	};
}

async function route(state: SandboxState, req: IncomingMessage, method: string, path: string, url: URL): Promise<Reply> {
	const bodyText = await readBody(req);
	const body = () => parseJson(bodyText);
	const reply = (value: unknown, status = 200): Reply => ({ status, body: value });
	const key = `${method} ${path}`;
	if (path.startsWith('/_sandbox/simulate/') && method === 'POST') {
		const kind = path.slice('/_sandbox/simulate/'.length);
		return reply(kind === 'batch' ? await simulateBatch(state, asObject(body())) : prepareSimulation(state, kind, asObject(body()))());
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
			const { dataset } = objectSetting(body(), 'body', ['dataset']);
			state.loadDataset(buildDataset(dataset as DatasetSpec));
			return reply({ loaded: true, assets: state.store.assets.size, tickets: state.store.tickets.size });
		}
		case 'GET /_sandbox/faults':
			return reply(state.faults.list());
		case 'POST /_sandbox/faults': {
			const parsed = body();
			const wrapped = !Array.isArray(parsed) && typeof parsed === 'object' && parsed !== null && 'faults' in parsed;
			const fields = wrapped ? objectSetting(parsed, 'body', ['seed', 'faults']) : { faults: parsed };
			const rules = validateFaults(fields.faults);
			const seed = fields.seed === undefined ? undefined : integerSetting(fields.seed, 'seed', 0, maxSeed);
			state.faults.add(rules, seed);
			return reply(state.faults.list());
		}
		case 'DELETE /_sandbox/faults':
			state.faults.clear();
			return reply([]);
		case 'GET /_sandbox/rate-limit':
			return reply(currentConfig(state));
		case 'POST /_sandbox/rate-limit':
			state.rateLimit.configure(validateRateLimit(body()));
			return reply(currentConfig(state));
		case 'GET /_sandbox/config':
			return reply(currentConfig(state));
		case 'POST /_sandbox/config':
			return reply(configure(state, asObject(body())));
		case 'POST /_sandbox/tokens/expire': {
			// `{ afterRequests: n }`: the next n API requests still pass, the one after them finds every live token expired.
			if (bodyText.trim() !== '') {
				const { afterRequests } = objectSetting(body(), 'body', ['afterRequests']);
				state.tokens.expireAfter(integerSetting(afterRequests, 'afterRequests', 0, 1_000_000));
				return reply({ expiresAfterRequests: afterRequests });
			}
			return reply({ expired: state.tokens.expireAll(Date.now()) });
		}
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
		writeError(res, error);
	}
}
