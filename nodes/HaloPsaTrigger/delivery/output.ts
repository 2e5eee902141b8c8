import type { IDataObject } from 'n8n-workflow';

import { isObject } from '../../transport';
import type { DeliveryEvent } from '../selection';
import type { HaloDelivery } from './payload';

export type AuthorType = 'agent' | 'endUser' | 'system' | 'unknown';

/** A delivery after the optional API look-ups: the objects the item is built from. */
export interface ResolvedEvent {
	delivery: HaloDelivery;
	named: DeliveryEvent;
	eventOnly: boolean;
	completedFromApi: boolean;
	ticket?: IDataObject;
	action?: IDataObject;
	/** The client, user, asset or contract the delivery embeds. */
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
export function authorTypeOf(action: IDataObject | undefined, named: DeliveryEvent): AuthorType {
	switch (toId(action?.who_type)) {
		case 0:
			return 'system';
		case 1:
			return 'agent';
		case 2:
			return 'endUser';
		default:
			return named.key === 'ticketUpdatedByUser' ? 'endUser' : 'unknown';
	}
}

export function customerVisibleOf(action: IDataObject | undefined): boolean | null {
	if (!action || action.hiddenfromuser === undefined || action.hiddenfromuser === null) return null;
	return action.hiddenfromuser !== true && action.hiddenfromuser !== 'true';
}

/**
 * The ticket a delivery is about. `object_id` is read last, and only for the built-in events (all
 * ticket events): for other events it may be an action's, a client's or the ticket's id.
 */
export function ticketIdOf(delivery: HaloDelivery, named: DeliveryEvent, ticket?: IDataObject, action?: IDataObject): number | null {
	return toId(ticket?.id) ?? toId(action?.ticket_id) ?? toId(delivery.ticket_id) ?? (named.definition ? toId(delivery.object_id) : null);
}

export function actionIdOf(delivery: HaloDelivery, action?: IDataObject): number | null {
	return toId(action?.id) ?? toId(delivery.action_id);
}

/** The client, user, asset or contract a full payload embeds. */
export function embeddedRecord(delivery: HaloDelivery): IDataObject | undefined {
	for (const key of ['client', 'user', 'asset', 'contract'] as const) {
		if (isObject(delivery[key])) return delivery[key];
	}
	return undefined;
}

export function clientIdOf(event: ResolvedEvent): number | null {
	if (event.ticket?.client_id !== undefined) return toId(event.ticket.client_id);
	if (isObject(event.delivery.client)) return toId(event.delivery.client.id);
	return toId(event.record?.client_id);
}

export function toOutputItem(event: ResolvedEvent, includeRawPayload: boolean): IDataObject {
	const { delivery, named, action } = event;
	const item: IDataObject = {
		event: named.name,
		eventKey: named.key,
		deliveryId: delivery.id,
		webhookId: delivery.webhook_id ?? null,
		timestamp: delivery.timestamp ?? null,
		objectId: toId(delivery.object_id),
		ticketId: ticketIdOf(delivery, named, event.ticket, action),
		actionId: actionIdOf(delivery, action),
		clientId: clientIdOf(event),
		ticket: event.ticket ?? null,
		action: action ?? null,
		record: event.record ?? null,
		author: action
			? {
					type: authorTypeOf(action, named),
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
