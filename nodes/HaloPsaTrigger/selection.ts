import type { IDataObject, IHookFunctions, IWebhookFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { HaloEventDefinition } from './events';
import { CUSTOM_EVENT_KEY, findEventByKey, findEventByName, normalizeEventName, retiredEventNames, UNKNOWN_EVENT_KEY } from './events';

/** An event as it goes into a Halo webhook's `events[]`: by number, the name for people reading it in Halo. */
export interface HaloWebhookEvent extends IDataObject {
	eventno: number;
	name: string;
	conditions: IDataObject[];
}

export interface CustomEvent {
	name: string;
	eventNumber: number;
}

/** The events picked in the node. */
export interface EventSelection {
	builtIn: HaloEventDefinition[];
	custom: CustomEvent[];
}

/** Where a user finds the number of an event HaloPSA documents none for. */
export const FINDING_EVENT_NUMBERS =
	'To find its number, add the event to a webhook in HaloPSA (Configuration > Integrations > Webhooks), then read GET /Webhook with the HaloPSA Automation node (Custom API Call): the number is in events[].eventno.';

const INT32_MAX = 2147483647;

/**
 * The node's Events and Custom Events, checked: an option saved by an earlier version (an event
 * HaloPSA documents no number for) or a Custom Event without a usable number is an error naming
 * what to change, never a subscription to a wrong or no event.
 */
export function readEventSelection(this: IHookFunctions | IWebhookFunctions): EventSelection {
	const keys = this.getNodeParameter('events', []) as string[];
	const builtIn: HaloEventDefinition[] = [];
	for (const key of keys) {
		const definition = findEventByKey(key);
		if (definition) {
			builtIn.push(definition);
			continue;
		}
		const retired = retiredEventNames[key];
		const endUser = key === 'emailReceived';
		throw new NodeOperationError(this.getNode(), `Events: "${retired ?? key}" is not an event this node registers`, {
			description: endUser
				? 'An end user\'s emails and replies arrive as "Ticket Updated by User" (HaloPSA event 19): pick it under Events instead and remove "Email Received From End User".'
				: `HaloPSA documents no event number for it. Remove it from Events and add it under Custom Events with the number your HaloPSA uses. ${FINDING_EVENT_NUMBERS}`,
		});
	}
	const rows = this.getNodeParameter('customEvents.event', []) as Array<{ name?: string; eventNumber?: unknown }>;
	const custom = rows.map(({ name, eventNumber }, index) => {
		const trimmed = String(name ?? '').trim();
		const number = Number(eventNumber);
		const label = trimmed === '' ? `Custom Event ${index + 1}` : `Custom Event "${trimmed}"`;
		if (trimmed === '') {
			throw new NodeOperationError(this.getNode(), `${label} has no name`, {
				description: 'Enter the event\'s name as HaloPSA shows it; deliveries are matched to it by name.',
			});
		}
		if (!Number.isInteger(number) || number <= 0 || number > INT32_MAX) {
			throw new NodeOperationError(this.getNode(), `${label} needs HaloPSA's event number (got ${JSON.stringify(eventNumber ?? null)})`, {
				description: `HaloPSA registers events by number. ${FINDING_EVENT_NUMBERS}`,
			});
		}
		return { name: trimmed, eventNumber: number };
	});
	return { builtIn, custom };
}

export function isEmptySelection(selection: EventSelection): boolean {
	return selection.builtIn.length === 0 && selection.custom.length === 0;
}

/** The selection in the shape Halo stores it on a webhook, one entry per event number. */
export function webhookEvents(selection: EventSelection): HaloWebhookEvent[] {
	const byNumber = new Map<number, HaloWebhookEvent>();
	for (const { eventNumber, name } of [...selection.builtIn, ...selection.custom]) {
		if (!byNumber.has(eventNumber)) byNumber.set(eventNumber, { eventno: eventNumber, name, conditions: [] });
	}
	return [...byNumber.values()];
}

/** The Custom Event a delivery's `event` names, compared like Halo's names (case, spacing, a leading "New"). */
export function findCustomEvent(selection: EventSelection, eventName: string): CustomEvent | undefined {
	const wanted = normalizeEventName(eventName);
	return selection.custom.find((event) => normalizeEventName(event.name) === wanted);
}

/** What a delivery's `event` name is to the node. */
export interface DeliveryEvent {
	/** The built-in event it is, when it is one. */
	definition?: HaloEventDefinition;
	/** `eventKey` in the output: the built-in event's key, `custom` or `unknown`. */
	key: string;
	/** `event` in the output: the built-in or Custom Event's name; an unknown one as Halo sent it. */
	name: string;
	/** Whether the node's Events or Custom Events name it. */
	chosen: boolean;
}

const END_USER = 2;

/**
 * Names a delivery by its `event`: a built-in event (or one of the names Halo uses for it), a
 * Custom Event, or unknown. An action added by the end user is their reply, which Halo may name
 * "Action Added" instead of "Ticket Updated by User": it counts as that event unless a Custom
 * Event has the name.
 */
export function deliveryEvent(selection: EventSelection, eventName: string, action: IDataObject | undefined): DeliveryEvent {
	const custom = findCustomEvent(selection, eventName);
	const endUserAction = normalizeEventName(eventName) === 'action added' && Number(action?.who_type) === END_USER;
	const definition = findEventByName(eventName) ?? (custom || !endUserAction ? undefined : findEventByKey('ticketUpdatedByUser'));
	if (definition) return { definition, key: definition.key, name: definition.name, chosen: selection.builtIn.includes(definition) };
	if (custom) return { key: CUSTOM_EVENT_KEY, name: custom.name, chosen: true };
	return { key: UNKNOWN_EVENT_KEY, name: eventName, chosen: false };
}
