import { haloDate, parseHaloDate } from '../dates';
import { addAction, changeTicketStatus, checkStatus, planAction, reassignTicket, resolveOutcome, ticketOrThrow, type NewAction } from '../domain';
import { dotNetError, modelError, notFound } from '../http';
import type { Action, CustomField, Ticket } from '../types';
import { checkReferences, reference, type Schema } from '../validation';
import { actionView, ticketView } from '../views';
import {
	allOf,
	arrayPost,
	assignFields,
	containsText,
	envelope,
	existing,
	idParam,
	ok,
	pageOf,
	type ApiRoute,
	type PreparedWrite,
	type RouteContext,
} from './context';

export const ticketSchema: Schema = {
	id: 'int',
	summary: 'string',
	details: 'string',
	details_html: 'string',
	client_id: 'int',
	site_id: 'int',
	user_id: 'int',
	status_id: 'int',
	tickettype_id: 'int',
	priority_id: 'int',
	agent_id: 'int',
	team_id: 'int',
	contract_id: 'int',
	dateoccurred: 'date',
	customfields: { records: { id: 'int', name: 'string', value: 'string' } },
	assets: { records: { id: 'int' } },
};

const actionSchema: Schema = {
	id: 'int',
	ticket_id: 'int',
	outcome_id: 'int',
	outcome: 'string',
	note: 'string',
	note_html: 'string',
	hiddenfromuser: 'bool',
	sendemail: 'bool',
	emailto: 'string',
	emailcc: 'string',
	emailbcc: 'string',
	emailsubject: 'string',
	new_status: 'int',
	new_agent: 'int',
	new_team: 'int',
	timetaken: 'number',
	who_agentid: 'int',
	important: 'bool',
	dont_do_rules: 'bool',
};

const orderableFields = new Set(['id', 'summary', 'dateoccurred', 'last_update', 'status_id', 'priority_id', 'client_id', 'agent_id']);

function listTickets(context: RouteContext) {
	const { store, query } = context;
	const clientId = query.int('client_id');
	const siteId = query.int('site_id');
	const userId = query.int('user_id');
	const agentId = query.int('agent_id');
	const statusId = query.int('status_id');
	const typeId = query.int('requesttype_id') ?? query.int('tickettype_id');
	const contractId = query.int('contract_id');
	const assetId = query.int('asset_id');
	const ticketIds = query.ints('ticketids');
	const search = query.string('search');
	const openOnly = query.bool('open_only') ?? false;
	const closedOnly = query.bool('closed_only') ?? false;
	const updatedFrom = query.date('lastupdatefromdate');
	const updatedTo = query.date('lastupdatetodate');
	const candidates = clientId !== undefined ? store.tickets.bucket('client', clientId) : store.tickets.all();
	const idSet = ticketIds ? new Set(ticketIds) : undefined;
	const matches = allOf<Ticket>([
		clientId !== undefined && ((ticket) => ticket.client_id === clientId),
		siteId !== undefined && ((ticket) => ticket.site_id === siteId),
		userId !== undefined && ((ticket) => ticket.user_id === userId),
		agentId !== undefined && ((ticket) => ticket.agent_id === agentId),
		statusId !== undefined && ((ticket) => ticket.status_id === statusId),
		typeId !== undefined && ((ticket) => ticket.tickettype_id === typeId),
		contractId !== undefined && ((ticket) => ticket.contract_id === contractId),
		assetId !== undefined && ((ticket) => ticket.asset_ids.includes(assetId)),
		idSet && ((ticket) => idSet.has(ticket.id)),
		search !== undefined && ((ticket) => containsText([ticket.summary, ticket.details, String(ticket.id)], search)),
		openOnly && ((ticket) => !store.isClosedStatus(ticket.status_id)),
		closedOnly && ((ticket) => store.isClosedStatus(ticket.status_id)),
		updatedFrom !== undefined && ((ticket) => parseHaloDate(ticket.last_update) >= updatedFrom),
		updatedTo !== undefined && ((ticket) => parseHaloDate(ticket.last_update) <= updatedTo),
	]);
	const order = query.string('order')?.toLowerCase();
	if (order === undefined) return envelope(pageOf(query, candidates, matches), 'tickets', (t) => ticketView(t, store));
	if (!orderableFields.has(order)) throw dotNetError(400, `Cannot order by '${order}'`);
	const direction = query.bool('orderdesc') ? -1 : 1;
	const key = order as keyof Ticket;
	const sorted = (matches ? candidates.filter(matches) : [...candidates]).sort((a, b) => {
		const left = a[key] as string | number;
		const right = b[key] as string | number;
		return (left < right ? -1 : left > right ? 1 : a.id - b.id) * direction;
	});
	return envelope(pageOf(query, sorted, null), 'tickets', (t) => ticketView(t, store));
}

function customFieldsOf(value: unknown): CustomField[] | undefined {
	if (!Array.isArray(value)) return undefined;
	return (value as Array<Record<string, unknown>>).map((field) => ({
		id: (field.id as number | undefined) ?? 0,
		name: (field.name as string | undefined) ?? '',
		value: (field.value as string | undefined) ?? '',
	}));
}

/** `assets` as Halo takes them, bound as `[{ id }]` records (a bare id does not bind). */
function assetIdsOf(value: unknown): number[] | undefined {
	if (!Array.isArray(value)) return undefined;
	return (value as Array<Record<string, unknown>>).map((asset, index) => {
		if (typeof asset.id !== 'number') throw modelError({ [`assets[${index}].id`]: ['The id field is required.'] });
		return asset.id;
	});
}

/** Every id a ticket write may reference must exist (0 = none): checked before anything is written. */
function checkTicketReferences(context: Pick<RouteContext, 'store'>, record: Record<string, unknown>): void {
	const { store } = context;
	checkReferences(record, {
		client_id: (id) => store.clients.get(id),
		site_id: (id) => store.sites.get(id),
		user_id: (id) => store.users.get(id),
		status_id: (id) => store.statuses.get(id),
		tickettype_id: (id) => store.ticketTypes.get(id),
		priority_id: (id) => store.priorities.get(id),
		contract_id: (id) => store.contracts.get(id),
		agent_id: (id) => store.agents.get(id),
		team_id: (id) => store.teams.get(id),
	});
	for (const assetId of assetIdsOf(record.assets) ?? []) reference(store.assets.get(assetId), 'assets', assetId);
}

type TicketContext = Pick<RouteContext, 'state' | 'store' | 'now' | 'agent'>;

/** Validates a new ticket and builds it without writing anything. */
export function buildTicket(context: TicketContext, record: Record<string, unknown>): Ticket {
	const { store, now } = context;
	checkTicketReferences(context, record);
	const summary = (record.summary as string | undefined)?.trim();
	if (!summary) throw dotNetError(400, 'Please enter a Summary for this Ticket');
	const user = record.user_id ? store.users.get(record.user_id as number) : undefined;
	const clientId = (record.client_id as number | undefined) || user?.client_id;
	if (!clientId) throw dotNetError(400, 'Please select a Client for this Ticket');
	const details = (record.details as string | undefined) ?? '';
	return {
		id: store.tickets.nextId(),
		summary,
		details,
		details_html: (record.details_html as string | undefined) ?? (details ? `<p>${details}</p>` : ''),
		client_id: clientId,
		site_id: (record.site_id as number | undefined) || user?.site_id || store.sites.bucket('client', clientId)[0]?.id || 0,
		user_id: user?.id ?? 0,
		status_id: (record.status_id as number | undefined) || store.statuses.all()[0]?.id || 1,
		tickettype_id: (record.tickettype_id as number | undefined) || store.ticketTypes.all()[0]?.id || 1,
		priority_id: (record.priority_id as number | undefined) || store.priorities.all()[2]?.id || 1,
		agent_id: (record.agent_id as number | undefined) ?? 0,
		team_id: (record.team_id as number | undefined) ?? 0,
		contract_id: (record.contract_id as number | undefined) ?? 0,
		asset_ids: assetIdsOf(record.assets) ?? [],
		// Dates arrive bound: checked and written the Halo way.
		dateoccurred: (record.dateoccurred as string | undefined) ?? haloDate(now),
		last_update: haloDate(now),
		hasbeenclosed: false,
		customfields: customFieldsOf(record.customfields) ?? [],
	};
}

/** Logs a new ticket (API POST and the `ticket-logged` simulation), then fires New Ticket Logged. */
export function createTicket(context: TicketContext, record: Record<string, unknown>): Ticket {
	const ticket = context.store.tickets.insert(buildTicket(context, record));
	context.state.emit({
		key: 'ticketLogged',
		objectId: ticket.id,
		agentId: context.agent.id,
		message: `New ticket ${ticket.id} logged: ${ticket.summary}`,
		objects: { ticket: ticketView(ticket, context.store) },
	});
	return ticket;
}

/** Validates an update's fields and applies them to `draft` (a copy of the ticket). */
function applyTicketFields(draft: Ticket, record: Record<string, unknown>, now: number): void {
	if (record.summary !== undefined && !(record.summary as string).trim()) throw dotNetError(400, 'Please enter a Summary for this Ticket');
	if (record.client_id === 0) throw dotNetError(400, 'Please select a Client for this Ticket');
	assignFields(draft, record, ['summary', 'details', 'details_html', 'client_id', 'site_id', 'user_id', 'tickettype_id', 'priority_id', 'contract_id', 'dateoccurred']);
	draft.customfields = customFieldsOf(record.customfields) ?? draft.customfields;
	draft.asset_ids = assetIdsOf(record.assets) ?? draft.asset_ids;
	draft.last_update = haloDate(now);
}

/**
 * Updates a ticket whose record was validated (references, fields): writes the fields, fires
 * Ticket Updated, then moves status and assignment, which fire their own events.
 */
function updateTicket(context: RouteContext, record: Record<string, unknown>): Ticket {
	const { store, now, agent, state } = context;
	const ticket = existing(store.tickets.get(record.id as number), 'Ticket', record.id);
	store.tickets.update(ticket, (draft) => applyTicketFields(draft, record, now));
	state.emit({
		key: 'ticketUpdated',
		objectId: ticket.id,
		agentId: agent.id,
		message: `Ticket ${ticket.id} updated`,
		objects: { ticket: ticketView(ticket, store) },
	});
	if (record.status_id !== undefined) changeTicketStatus(state, ticket, record.status_id as number, agent.id, now);
	reassignTicket(state, ticket, { agentId: record.agent_id as number | undefined, teamId: record.team_id as number | undefined }, agent.id, now);
	return ticket;
}

function prepareTicket(context: RouteContext, record: Record<string, unknown>): PreparedWrite {
	const { store, now } = context;
	if (record.id !== undefined && record.id !== 0) {
		checkTicketReferences(context, record);
		const ticket = existing(store.tickets.get(record.id as number), 'Ticket', record.id);
		// The status move comes after the field write, so 0 (not "none" here) is refused before either.
		if (record.status_id !== undefined) checkStatus(context.state, record.status_id as number, 'status');
		store.tickets.preview(ticket, (draft) => applyTicketFields(draft, record, now));
		return { created: false, commit: () => ticketView(updateTicket(context, record), store) };
	}
	buildTicket(context, record);
	return { created: true, commit: () => ticketView(createTicket(context, record), store) };
}

/** The action a POST asks for, validated: ticket, outcome, author (`who_agentid`, else the token's agent). */
function prepareAction(context: RouteContext, record: Record<string, unknown>): PreparedWrite {
	const { state, store, now, agent } = context;
	if (record.id !== undefined && record.id !== 0) {
		const action = existing(store.actions.get(record.id as number), 'Action', record.id);
		return {
			created: false,
			commit: () => {
				store.actions.update(action, (draft) => assignFields<Action>(draft, record, ['note', 'note_html', 'hiddenfromuser', 'important', 'timetaken']));
				return actionView(action);
			},
		};
	}
	if (record.ticket_id === undefined || record.ticket_id === 0) {
		throw dotNetError(400, 'A Ticket must be selected for this Action (ticket_id)');
	}
	ticketOrThrow(state, record.ticket_id as number);
	const outcome = resolveOutcome(state, record.outcome_id as number | undefined, record.outcome as string | undefined);
	const whoId = record.who_agentid as number | undefined;
	const author = whoId ? reference(store.agents.get(whoId), 'who_agentid', whoId) : agent;
	const request: NewAction = {
		ticketId: record.ticket_id as number,
		outcome,
		note: (record.note as string | undefined) ?? '',
		noteHtml: record.note_html as string | undefined,
		hiddenFromUser: record.hiddenfromuser as boolean | undefined,
		sendEmail: record.sendemail as boolean | undefined,
		emailTo: record.emailto as string | undefined,
		emailCc: record.emailcc as string | undefined,
		emailBcc: record.emailbcc as string | undefined,
		emailSubject: record.emailsubject as string | undefined,
		newStatus: record.new_status as number | undefined,
		newAgent: record.new_agent as number | undefined,
		newTeam: record.new_team as number | undefined,
		timeTaken: record.timetaken as number | undefined,
		important: record.important as boolean | undefined,
		author: { type: 'agent', agent: author },
		// Rights are the caller's: posting as another agent does not lift an outcome denial.
		caller: agent,
	};
	planAction(state, request, now);
	return { created: true, commit: () => actionView(addAction(state, request, now)) };
}

export const ticketRoutes: ApiRoute[] = [
	{ method: 'GET', pattern: '/api/tickets', area: 'tickets', access: 'read', handle: (context) => ok(listTickets(context)) },
	{
		method: 'GET',
		pattern: '/api/tickets/:id',
		area: 'tickets',
		access: 'read',
		handle: (context) => {
			const id = idParam(context);
			const ticket = context.store.tickets.get(id);
			if (!ticket) throw notFound('Ticket', id);
			return ok(ticketView(ticket, context.store));
		},
	},
	{
		method: 'POST',
		pattern: '/api/tickets',
		area: 'tickets',
		access: 'edit',
		handle: (context) =>
			arrayPost(context, ticketSchema, (record) => prepareTicket(context, record)),
	},
	{
		method: 'DELETE',
		pattern: '/api/tickets/:id',
		area: 'tickets',
		access: 'edit',
		handle: (context) => {
			const id = idParam(context);
			const { store } = context;
			const ticket = store.tickets.get(id);
			if (!ticket) throw notFound('Ticket', id);
			const view = ticketView(ticket, store);
			for (const action of [...store.actions.bucket('ticket', id)]) store.actions.remove(action.id);
			store.tickets.remove(id);
			context.state.emit({ key: 'ticketDeleted', objectId: id, agentId: context.agent.id, message: `Ticket ${id} deleted`, objects: { ticket: view } });
			return ok(view);
		},
	},
	{
		method: 'GET',
		pattern: '/api/actions',
		area: 'tickets',
		access: 'read',
		handle: ({ store, query, state }) => {
			const ticketId = query.int('ticket_id');
			if (ticketId === undefined) throw dotNetError(400, 'ticket_id is required');
			ticketOrThrow(state, ticketId);
			const excludeSystem = query.bool('excludesys') ?? false;
			const excludePrivate = query.bool('excludeprivate') ?? false;
			const conversationOnly = query.bool('conversationonly') ?? false;
			const matches = allOf<Action>([
				excludeSystem && ((action) => action.who_type !== 0),
				excludePrivate && ((action) => !action.hiddenfromuser),
				conversationOnly && ((action) => !action.hiddenfromuser && action.who_type !== 0),
			]);
			const page = pageOf(query, store.actions.bucket('ticket', ticketId), matches);
			return ok({ ticket_id: ticketId, record_count: page.total, actions: page.rows.map(actionView) });
		},
	},
	{
		method: 'GET',
		pattern: '/api/actions/:id',
		area: 'tickets',
		access: 'read',
		handle: (context) => {
			const id = idParam(context);
			const ticketId = context.query.int('ticket_id');
			const action = context.store.actions.get(id);
			if (!action || (ticketId !== undefined && action.ticket_id !== ticketId)) throw notFound('Action', id);
			return ok(actionView(action));
		},
	},
	{
		method: 'POST',
		pattern: '/api/actions',
		area: 'tickets',
		access: 'edit',
		handle: (context) => arrayPost(context, actionSchema, (record) => prepareAction(context, record)),
	},
	{
		method: 'DELETE',
		pattern: '/api/actions/:id',
		area: 'tickets',
		access: 'edit',
		// Halo's clients delete an action as /Actions/{id}?ticket_id={ticket}; whether Halo needs the
		// ticket is not documented, so the sandbox does, and only on that ticket finds the action.
		// The answer is the deleted object, as for every Halo DELETE.
		handle: (context) => {
			const id = idParam(context);
			const ticketId = context.query.int('ticket_id');
			if (ticketId === undefined) throw dotNetError(400, 'ticket_id is required');
			const action = context.store.actions.get(id);
			if (!action || action.ticket_id !== ticketId) throw notFound('Action', id);
			context.store.actions.remove(id);
			return ok(actionView(action));
		},
	},
];
