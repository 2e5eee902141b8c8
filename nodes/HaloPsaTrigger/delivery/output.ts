import type { IDataObject } from 'n8n-workflow';

import type { HaloEventDefinition } from '../events';
import { CUSTOM_EVENT_KEY } from '../events';
import type { HaloDelivery } from './payload';

export type AuthorType = 'agent' | 'endUser' | 'system' | 'unknown';

/** A delivery after the optional API look-ups: the objects the item is built from. */
export interface ResolvedEvent {
	delivery: HaloDelivery;
	definition: HaloEventDefinition | undefined;
	eventOnly: boolean;
	completedFromApi: boolean;
	ticket?: IDataObject;
	action?: IDataObject;
	/** The client, user, asset or contract the event is about. */
	record?: IDataObject;
	/** Why completing an event-only payload through the API stopped short. */
	completionError?: string;
}

function toId(value: unknown): number | null {
	if (value === undefined || value === null || value === '') return null;
	const id = Number(value);
	return Number.isFinite(id) ? id : null;
}

/** Halo's `who_type`: 0 system, 1 agent, 2 end user. */
export function authorTypeOf(action: IDataObject | undefined, definition: HaloEventDefinition | undefined): AuthorType {
	switch (toId(action?.who_type)) {
		case 0:
			return 'system';
		case 1:
			return 'agent';
		case 2:
			return 'endUser';
		default:
			return definition?.key === 'emailReceived' ? 'endUser' : 'unknown';
	}
}

export function customerVisibleOf(action: IDataObject | undefined): boolean | null {
	if (!action || action.hiddenfromuser === undefined || action.hiddenfromuser === null) return null;
	return action.hiddenfromuser !== true && action.hiddenfromuser !== 'true';
}

export function ticketIdOf(event: ResolvedEvent): number | null {
	if (event.ticket?.id !== undefined) return toId(event.ticket.id);
	if (event.action?.ticket_id !== undefined) return toId(event.action.ticket_id);
	return event.definition?.objectKind === 'ticket' ? toId(event.delivery.object_id) : null;
}

export function clientIdOf(event: ResolvedEvent): number | null {
	if (event.ticket?.client_id !== undefined) return toId(event.ticket.client_id);
	if (event.definition?.objectKind === 'client') return toId(event.record?.id ?? event.delivery.object_id);
	return toId(event.record?.client_id);
}

export function toOutputItem(event: ResolvedEvent, includeRawPayload: boolean): IDataObject {
	const { delivery, definition, action } = event;
	const item: IDataObject = {
		event: definition?.name ?? delivery.event,
		eventKey: definition?.key ?? CUSTOM_EVENT_KEY,
		deliveryId: delivery.id,
		webhookId: delivery.webhook_id ?? null,
		timestamp: delivery.timestamp ?? null,
		objectId: toId(delivery.object_id),
		ticketId: ticketIdOf(event),
		actionId: action ? toId(action.id) : definition?.objectKind === 'action' ? toId(delivery.object_id) : null,
		clientId: clientIdOf(event),
		ticket: event.ticket ?? null,
		action: action ?? null,
		record: event.record ?? null,
		author: action
			? {
					type: authorTypeOf(action, definition),
					name: action.who ?? null,
					agentId: toId(action.who_agentid),
				}
			: null,
		customerVisible: customerVisibleOf(action),
		message: delivery.message ?? null,
		agentId: toId(delivery.agent_id),
		payloadType: event.eventOnly ? 'eventOnly' : 'full',
		completedFromApi: event.completedFromApi,
		completionError: event.completionError ?? null,
	};
	if (includeRawPayload) item.payload = delivery;
	return item;
}
