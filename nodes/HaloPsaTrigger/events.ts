import type { INodePropertyOptions } from 'n8n-workflow';

/** What a delivery's `object_id` points at, which decides what the node can fetch for it. */
export type HaloObjectKind = 'ticket' | 'action' | 'client' | 'user' | 'asset' | 'contract';

export interface HaloEventDefinition {
	/** The option value in the node and `eventKey` in the output. */
	key: string;
	/** Halo's event name; deliveries carry it in lower case. */
	name: string;
	eventNumber: number;
	objectKind: HaloObjectKind;
	description: string;
}

/** The events the sandbox and the trigger agree on (ARCHITECTURE.md, "Webhook events"). */
export const haloEvents: HaloEventDefinition[] = [
	{ key: 'ticketLogged', name: 'New Ticket Logged', eventNumber: 1, objectKind: 'ticket', description: 'A ticket is created' },
	{ key: 'ticketUpdated', name: 'Ticket Updated', eventNumber: 2, objectKind: 'ticket', description: 'Any field of a ticket changes' },
	{ key: 'ticketStatusChanged', name: 'Ticket Status Changed', eventNumber: 3, objectKind: 'ticket', description: 'A ticket moves to another status' },
	{ key: 'ticketClosed', name: 'Ticket Closed', eventNumber: 4, objectKind: 'ticket', description: 'A ticket is closed' },
	{ key: 'ticketReassigned', name: 'Ticket Reassigned', eventNumber: 5, objectKind: 'ticket', description: 'A ticket gets another agent or team' },
	{ key: 'actionAdded', name: 'Action Added', eventNumber: 6, objectKind: 'action', description: 'A note or action is added to a ticket, by an agent or the end user' },
	{ key: 'emailReceived', name: 'Email Received From End User', eventNumber: 7, objectKind: 'action', description: 'The end user emails into a ticket' },
	{ key: 'clientCreated', name: 'Client Created', eventNumber: 10, objectKind: 'client', description: 'A client is created' },
	{ key: 'clientUpdated', name: 'Client Updated', eventNumber: 11, objectKind: 'client', description: 'A client changes' },
	{ key: 'userCreated', name: 'User Created', eventNumber: 12, objectKind: 'user', description: 'An end user is created' },
	{ key: 'userUpdated', name: 'User Updated', eventNumber: 13, objectKind: 'user', description: 'An end user changes' },
	{ key: 'assetCreated', name: 'Asset Created', eventNumber: 14, objectKind: 'asset', description: 'An asset is created' },
	{ key: 'assetUpdated', name: 'Asset Updated', eventNumber: 15, objectKind: 'asset', description: 'An asset changes' },
	{ key: 'contractCreated', name: 'Contract Created', eventNumber: 16, objectKind: 'contract', description: 'A client contract is created' },
	{ key: 'contractUpdated', name: 'Contract Updated', eventNumber: 17, objectKind: 'contract', description: 'A client contract changes' },
];

export const CUSTOM_EVENT_KEY = 'custom';

export const eventOptions: INodePropertyOptions[] = [...haloEvents]
	.sort((first, second) => first.name.localeCompare(second.name))
	.map((event) => ({ name: event.name, value: event.key, description: event.description }));

const eventsByLowerCaseName = new Map(haloEvents.map((event) => [event.name.toLowerCase(), event]));
const eventsByKey = new Map(haloEvents.map((event) => [event.key, event]));

/** Halo sends event names in lower case and receivers compare case-insensitively. */
export function findEventByName(name: string): HaloEventDefinition | undefined {
	return eventsByLowerCaseName.get(name.trim().toLowerCase());
}

export function findEventByKey(key: string): HaloEventDefinition | undefined {
	return eventsByKey.get(key);
}
