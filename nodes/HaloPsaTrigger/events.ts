import type { INodePropertyOptions } from 'n8n-workflow';

export interface HaloEventDefinition {
	/** The option value in the node and `eventKey` in the output. */
	key: string;
	/** The name the node shows and puts in the output's `event`. */
	name: string;
	/** Halo's event number, which the webhook registers (ARCHITECTURE.md, "Webhook events"). */
	eventNumber: number;
	/** Other names Halo's deliveries use for the event (the wording varies between versions). */
	aliases: readonly string[];
	description: string;
}

/**
 * The events with a number Halo documents (seen in live use). Every one is a ticket event: its
 * `object_id` is the ticket's id. Any other event is a Custom Event with the tenant's number.
 */
export const haloEvents: readonly HaloEventDefinition[] = [
	{ key: 'ticketLogged', name: 'New Ticket Logged', eventNumber: 3, aliases: [], description: 'A ticket is created' },
	{
		key: 'ticketUpdatedByUser',
		name: 'Ticket Updated by User',
		eventNumber: 19,
		aliases: ['Email Received From End User'],
		description: 'The end user replies to or emails into a ticket',
	},
	{ key: 'ticketClosed', name: 'Ticket Closed', eventNumber: 39, aliases: ['Closed'], description: 'A ticket is closed' },
	{ key: 'slaFirstWarning', name: '1st SLA Warning', eventNumber: 42, aliases: ['First SLA Warning'], description: 'A ticket reaches its first SLA warning' },
	{ key: 'slaSecondWarning', name: '2nd SLA Warning', eventNumber: 46, aliases: ['Second SLA Warning'], description: 'A ticket reaches its second SLA warning' },
	{ key: 'ticketDeadline', name: 'Ticket Deadline', eventNumber: 70, aliases: [], description: 'A ticket reaches its deadline' },
	{ key: 'ticketStatusChanged', name: 'Ticket Status Changed', eventNumber: 76, aliases: [], description: 'A ticket moves to another status' },
	{ key: 'ticketDeleted', name: 'Ticket Deleted', eventNumber: 1072, aliases: [], description: 'A ticket is deleted' },
];

/** `eventKey` of a delivery that matched a Custom Event. */
export const CUSTOM_EVENT_KEY = 'custom';
/** `eventKey` of a delivery whose name matched no event the node knows. */
export const UNKNOWN_EVENT_KEY = 'unknown';

/**
 * Option values of earlier versions, whose events have no number Halo documents. Workflows that
 * saved them fail to publish with a message saying what to pick instead.
 */
export const retiredEventNames: Readonly<Record<string, string>> = {
	ticketUpdated: 'Ticket Updated',
	ticketReassigned: 'Ticket Reassigned',
	actionAdded: 'Action Added',
	emailReceived: 'Email Received From End User',
	clientCreated: 'Client Created',
	clientUpdated: 'Client Updated',
	userCreated: 'User Created',
	userUpdated: 'User Updated',
	assetCreated: 'Asset Created',
	assetUpdated: 'Asset Updated',
	contractCreated: 'Contract Created',
	contractUpdated: 'Contract Updated',
};

export const eventOptions: INodePropertyOptions[] = haloEvents.map((event) => ({
	name: event.name,
	value: event.key,
	description: `${event.description} (HaloPSA event ${event.eventNumber})`,
}));

/**
 * A delivery's `event` in one spelling: Halo sends display names whose wording varies ("New
 * Ticket Logged", "ticket status changed", "New Action Added"), so case, spacing, `_`/`-` and a
 * leading "New" do not count.
 */
export function normalizeEventName(name: string): string {
	return name
		.toLowerCase()
		.replace(/[\s_-]+/g, ' ')
		.trim()
		.replace(/^new /, '');
}

const eventsByName = new Map(
	haloEvents.flatMap((event) => [event.name, ...event.aliases].map((name) => [normalizeEventName(name), event] as const)),
);
const eventsByKey = new Map(haloEvents.map((event) => [event.key, event]));

export function findEventByName(name: string): HaloEventDefinition | undefined {
	return eventsByName.get(normalizeEventName(name));
}

export function findEventByKey(key: string): HaloEventDefinition | undefined {
	return eventsByKey.get(key);
}
