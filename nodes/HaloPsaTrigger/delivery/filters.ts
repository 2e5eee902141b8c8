import type { IDataObject, IHookFunctions, IWebhookFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { ResolvedEvent } from './output';
import { authorTypeOf, clientIdOf, customerVisibleOf } from './output';

export interface TriggerFilters {
	clientIds: number[];
	ticketTypeIds: number[];
	visibility: 'any' | 'customerVisible' | 'internal';
	writtenBy: 'any' | 'agent' | 'endUser';
}

/**
 * Reads a list of HaloPSA ids. A value that is not an id is an error, never skipped: skipping
 * "ACME" would leave an empty list, and an empty list means "no filter", so every event would pass.
 */
function toIdList(this: IHookFunctions | IWebhookFunctions, value: unknown, field: string): number[] {
	const parts = Array.isArray(value) ? value : String(value ?? '').split(',');
	const ids: number[] = [];
	for (const part of parts) {
		const text = String(part).trim();
		if (text === '') continue;
		const id = Number(text);
		if (!Number.isInteger(id) || id <= 0) {
			throw new NodeOperationError(this.getNode(), `Filters > ${field}: "${text}" is not a HaloPSA ID`, {
				description: `Enter numeric IDs separated by commas (e.g. 12, 40); HaloPSA shows a record's ID in its URL and on its details page. An empty ${field} field keeps every event.`,
			});
		}
		ids.push(id);
	}
	return ids;
}

/** The node's filters, checked: called when the webhook is registered (so a typo fails the publish) and on every call. */
export function readFilters(this: IHookFunctions | IWebhookFunctions): TriggerFilters {
	const raw = this.getNodeParameter('filters', {}) as IDataObject;
	return {
		clientIds: toIdList.call(this, raw.clientIds, 'Client IDs'),
		ticketTypeIds: toIdList.call(this, raw.ticketTypeIds, 'Ticket Type Names or IDs'),
		visibility: (raw.visibility as TriggerFilters['visibility'] | undefined) ?? 'any',
		writtenBy: (raw.writtenBy as TriggerFilters['writtenBy'] | undefined) ?? 'any',
	};
}

/** A filter that needs data the event does not carry drops the event rather than guess. */
export function passesFilters(event: ResolvedEvent, filters: TriggerFilters): boolean {
	if (filters.clientIds.length > 0) {
		const clientId = clientIdOf(event);
		if (clientId === null || !filters.clientIds.includes(clientId)) return false;
	}
	if (filters.ticketTypeIds.length > 0) {
		const ticketTypeId = Number(event.ticket?.tickettype_id);
		if (!filters.ticketTypeIds.includes(ticketTypeId)) return false;
	}
	if (filters.visibility !== 'any') {
		const customerVisible = customerVisibleOf(event.action);
		if (customerVisible === null) return false;
		if (customerVisible !== (filters.visibility === 'customerVisible')) return false;
	}
	if (filters.writtenBy !== 'any') {
		if (!event.action || authorTypeOf(event.action, event.named) !== filters.writtenBy) return false;
	}
	return true;
}
