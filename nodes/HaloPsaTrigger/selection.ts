import type { IDataObject, IHookFunctions, IWebhookFunctions } from 'n8n-workflow';

import { findEventByKey } from './events';

/** An event as it goes into a Halo webhook's `events[]`. */
export interface HaloWebhookEvent extends IDataObject {
	name: string;
	eventno?: number;
	conditions: IDataObject[];
}

/** The events picked in the node, in the shape Halo stores them. */
export function chosenEvents(this: IHookFunctions | IWebhookFunctions): HaloWebhookEvent[] {
	const keys = this.getNodeParameter('events', []) as string[];
	const custom = this.getNodeParameter('customEvents.event', []) as Array<{ name?: string; eventNumber?: number }>;
	const events: HaloWebhookEvent[] = [];
	for (const key of keys) {
		const definition = findEventByKey(key);
		if (definition) events.push({ name: definition.name, eventno: definition.eventNumber, conditions: [] });
	}
	for (const { name, eventNumber } of custom) {
		const trimmed = (name ?? '').trim();
		if (trimmed === '') continue;
		const event: HaloWebhookEvent = { name: trimmed, conditions: [] };
		if (eventNumber && eventNumber > 0) event.eventno = eventNumber;
		events.push(event);
	}
	return events;
}

export function chosenEventNames(this: IHookFunctions | IWebhookFunctions): Set<string> {
	return new Set(chosenEvents.call(this).map((event) => event.name.toLowerCase()));
}
