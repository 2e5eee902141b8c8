import type { IDataObject, IWebhookFunctions } from 'n8n-workflow';

import { haloApiRequest } from '../../HaloPsa/transport';
import type { HaloEventDefinition, HaloObjectKind } from '../events';
import type { ResolvedEvent } from './output';
import type { HaloDelivery } from './payload';
import { isEventOnly } from './payload';

const recordPaths: Partial<Record<HaloObjectKind, string>> = {
	client: '/Client',
	user: '/Users',
	asset: '/Asset',
	contract: '/ClientContract',
};

function isObject(value: unknown): value is IDataObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function recordFromFullPayload(delivery: HaloDelivery, kind: HaloObjectKind | undefined): IDataObject | undefined {
	if (kind && kind !== 'ticket' && kind !== 'action') return isObject(delivery[kind]) ? delivery[kind] : undefined;
	return undefined;
}

async function fetchTicket(this: IWebhookFunctions, ticketId: unknown): Promise<IDataObject> {
	return (await haloApiRequest.call(this, 'GET', `/Tickets/${Number(ticketId)}`, {
		qs: { includedetails: true },
	})) as IDataObject;
}

/** Fills an event-only delivery from the API so the item looks like one from a full payload. */
async function completeFromApi(
	this: IWebhookFunctions,
	event: ResolvedEvent,
	definition: HaloEventDefinition,
): Promise<void> {
	const objectId = Number(event.delivery.object_id);
	if (definition.objectKind === 'ticket') {
		event.ticket = await fetchTicket.call(this, objectId);
	} else if (definition.objectKind === 'action') {
		event.action = (await haloApiRequest.call(this, 'GET', `/Actions/${objectId}`)) as IDataObject;
		if (event.action.ticket_id !== undefined) event.ticket = await fetchTicket.call(this, event.action.ticket_id);
	} else {
		const path = recordPaths[definition.objectKind] as string;
		event.record = (await haloApiRequest.call(this, 'GET', `${path}/${objectId}`)) as IDataObject;
	}
	event.completedFromApi = true;
}

export async function resolveEvent(
	this: IWebhookFunctions,
	delivery: HaloDelivery,
	definition: HaloEventDefinition | undefined,
	completeEventOnly: boolean,
): Promise<ResolvedEvent> {
	const event: ResolvedEvent = {
		delivery,
		definition,
		eventOnly: isEventOnly(delivery),
		completedFromApi: false,
		ticket: isObject(delivery.ticket) ? delivery.ticket : undefined,
		action: isObject(delivery.action) ? delivery.action : undefined,
		record: recordFromFullPayload(delivery, definition?.objectKind),
	};
	const objectId = Number(delivery.object_id);
	// A custom event names no known object, so there is nothing to look up for it.
	if (event.eventOnly && completeEventOnly && definition && Number.isFinite(objectId) && objectId > 0) {
		await completeFromApi.call(this, event, definition);
	}
	return event;
}
