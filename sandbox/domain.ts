import { haloDate } from './dates';
import { dotNetError, notFound } from './http';
import type { SandboxState } from './state';
import type { Action, Agent, Outcome, Status, Ticket } from './types';
import { checkReferences, reference } from './validation';
import { actionView, ticketView } from './views';

/**
 * Halo's ticket and action business rules, shared by the API routes and the simulate calls so
 * both change data and fire webhook events the same way.
 */

function htmlOf(text: string): string {
	const escaped = text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
	return `<p>${escaped.replace(/\n/g, '<br>')}</p>`;
}

export function ticketOrThrow(state: SandboxState, ticketId: number): Ticket {
	const ticket = state.store.tickets.get(ticketId);
	if (!ticket) throw notFound('Ticket', ticketId);
	return ticket;
}

/** The status `statusId` names: 400 `Invalid <field>: 9 does not exist` otherwise. */
export function checkStatus(state: SandboxState, statusId: number, field: string): Status {
	return reference(state.store.statuses.get(statusId), field, statusId);
}

/** Moves a ticket to a status, firing Ticket Status Changed (and Ticket Closed) when it moved. */
export function changeTicketStatus(state: SandboxState, ticket: Ticket, statusId: number, agentId: number, now: number): void {
	const status = checkStatus(state, statusId, 'status');
	if (ticket.status_id === statusId) return;
	const wasClosed = state.store.isClosedStatus(ticket.status_id);
	ticket.status_id = statusId;
	ticket.last_update = haloDate(now);
	if (status.closes) ticket.hasbeenclosed = true;
	const view = ticketView(ticket, state.store);
	state.emit({
		key: 'ticketStatusChanged',
		objectId: ticket.id,
		agentId,
		message: `Ticket ${ticket.id} status changed to ${status.name}`,
		objects: { ticket: view },
	});
	if (status.closes && !wasClosed) {
		state.emit({ key: 'ticketClosed', objectId: ticket.id, agentId, message: `Ticket ${ticket.id} closed`, objects: { ticket: view } });
	}
}

/** 400 for an agent or team (other than 0, unassigned) that does not exist. */
export function checkReassignment(state: SandboxState, change: { agentId?: number; teamId?: number }): void {
	const { store } = state;
	checkReferences({ agent_id: change.agentId, team_id: change.teamId }, { agent_id: (id) => store.agents.get(id), team_id: (id) => store.teams.get(id) });
}

/** Reassigns a ticket, firing Ticket Reassigned when the agent or team changed. */
export function reassignTicket(
	state: SandboxState,
	ticket: Ticket,
	change: { agentId?: number; teamId?: number },
	actingAgentId: number,
	now: number,
): void {
	const { store } = state;
	checkReassignment(state, change);
	const agentChanged = change.agentId !== undefined && change.agentId !== ticket.agent_id;
	const teamChanged = change.teamId !== undefined && change.teamId !== ticket.team_id;
	if (!agentChanged && !teamChanged) return;
	if (change.agentId !== undefined) ticket.agent_id = change.agentId;
	if (change.teamId !== undefined) ticket.team_id = change.teamId;
	ticket.last_update = haloDate(now);
	state.emit({
		key: 'ticketReassigned',
		objectId: ticket.id,
		agentId: actingAgentId,
		message: `Ticket ${ticket.id} reassigned to ${store.agents.get(ticket.agent_id)?.name ?? 'Unassigned'}`,
		objects: { ticket: ticketView(ticket, store) },
	});
}

/** The outcome an action names by `outcome_id` or by name (`outcome`, case-insensitive). */
export function resolveOutcome(state: SandboxState, outcomeId: number | undefined, outcomeName: string | undefined): Outcome {
	const { outcomes } = state.store;
	const byId = outcomeId !== undefined && outcomeId !== 0 ? outcomes.get(outcomeId) : undefined;
	const name = outcomeName?.trim().toLowerCase();
	const byName = name
		? outcomes.all().find((outcome) => outcome.outcome.toLowerCase() === name || outcome.buttonname.toLowerCase() === name)
		: undefined;
	const outcome = byId ?? byName;
	if (!outcome) throw dotNetError(400, 'An Outcome must be entered for this Action');
	return outcome;
}

export interface NewAction {
	ticketId: number;
	outcome: Outcome;
	note: string;
	noteHtml?: string;
	hiddenFromUser?: boolean;
	sendEmail?: boolean;
	emailTo?: string;
	emailCc?: string;
	emailBcc?: string;
	emailSubject?: string;
	newStatus?: number;
	newAgent?: number;
	newTeam?: number;
	timeTaken?: number;
	important?: boolean;
	/** Who wrote it: an agent (API or human), an end user (by email) or the system. */
	author: { type: 'agent'; agent: Agent } | { type: 'user'; name: string; email: string } | { type: 'system' };
	/** The agent whose outcome rights are checked: the token's agent (default: the author agent). */
	caller?: Agent;
}

/**
 * Validates an action and builds it without writing anything: 404 for an unknown ticket, 403
 * for an outcome the calling agent is denied, 400 for an unknown status/agent/team or an email
 * without a recipient. `addAction` runs it again right before writing.
 */
export function planAction(state: SandboxState, request: NewAction, now: number): { ticket: Ticket; action: Action } {
	const { store } = state;
	const ticket = ticketOrThrow(state, request.ticketId);
	const { outcome, author } = request;
	const caller = request.caller ?? (author.type === 'agent' ? author.agent : undefined);
	if (caller?.deniedOutcomeIds.includes(outcome.id)) {
		throw dotNetError(403, 'You do not have access to this Action', 'System.UnauthorizedAccessException');
	}
	const sendEmail = request.sendEmail ?? outcome.sendemail;
	const newStatus = request.newStatus ?? outcome.newstatus;
	checkReferences(
		{ new_status: newStatus, new_agent: request.newAgent, new_team: request.newTeam },
		{ new_status: (id) => store.statuses.get(id), new_agent: (id) => store.agents.get(id), new_team: (id) => store.teams.get(id) },
	);
	const emailTo = request.emailTo ?? (sendEmail ? (store.users.get(ticket.user_id)?.emailaddress ?? '') : '');
	if (sendEmail && emailTo === '') throw dotNetError(400, 'The email has no recipient: set emailto or give the ticket a user with an email address');
	const agentId = author.type === 'agent' ? author.agent.id : 0;
	const action: Action = {
		id: store.actions.nextId(),
		ticket_id: ticket.id,
		outcome_id: outcome.id,
		outcome: outcome.outcome,
		note: request.note,
		note_html: request.noteHtml ?? htmlOf(request.note),
		hiddenfromuser: request.hiddenFromUser ?? outcome.hidefromuser,
		who: author.type === 'agent' ? author.agent.name : author.type === 'user' ? author.name : 'System',
		who_type: author.type === 'agent' ? 1 : author.type === 'user' ? 2 : 0,
		who_agentid: agentId,
		datetime: haloDate(now),
		sendemail: sendEmail,
		emailto: emailTo,
		emailcc: request.emailCc ?? '',
		emailbcc: request.emailBcc ?? '',
		emailsubject: sendEmail ? (request.emailSubject ?? `[Ticket #${ticket.id}] ${ticket.summary}`) : (request.emailSubject ?? ''),
		important: request.important ?? false,
		timetaken: request.timeTaken ?? 0,
		new_status: newStatus ?? 0,
	};
	return { ticket, action };
}

/**
 * Adds an action the way Halo does: the outcome decides visibility, email and the new status
 * unless the request overrides them; an agent denied the outcome gets 403; an email is recorded
 * as outbound; the ticket's status, agent and team follow `new_status`/`new_agent`/`new_team`.
 */
export function addAction(state: SandboxState, request: NewAction, now: number): Action {
	const { store } = state;
	const { ticket, action } = planAction(state, request, now);
	const { outcome, author } = request;
	const agentId = action.who_agentid;
	const newStatus = action.new_status;
	store.actions.insert(action);
	ticket.last_update = haloDate(now);
	if (action.sendemail) {
		state.emails.push({
			ticket_id: ticket.id,
			action_id: action.id,
			to: action.emailto,
			cc: action.emailcc,
			bcc: action.emailbcc,
			subject: action.emailsubject,
			body: action.note_html || action.note,
			at: action.datetime,
		});
	}
	const actionObject = actionView(action);
	if (author.type === 'user') {
		state.emit({
			key: 'ticketUpdatedByUser',
			objectId: ticket.id,
			actionId: action.id,
			agentId: 0,
			message: `Ticket ${ticket.id} updated by ${author.name}`,
			objects: { ticket: ticketView(ticket, store), action: actionObject },
		});
	}
	state.emit({
		key: 'actionAdded',
		objectId: ticket.id,
		actionId: action.id,
		agentId,
		message: `Action '${outcome.outcome}' added to ticket ${ticket.id}`,
		objects: { ticket: ticketView(ticket, store), action: actionObject },
	});
	if (newStatus) changeTicketStatus(state, ticket, newStatus, agentId, now);
	if (request.newAgent !== undefined || request.newTeam !== undefined) {
		reassignTicket(state, ticket, { agentId: request.newAgent, teamId: request.newTeam }, agentId, now);
	}
	return action;
}
