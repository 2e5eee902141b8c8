import type { IDataObject } from 'n8n-workflow';

import type { ResolvedEvent } from './output';
import { authorTypeOf, clientIdOf, customerVisibleOf } from './output';

export interface TriggerFilters {
	clientIds: number[];
	ticketTypeIds: number[];
	visibility: 'any' | 'customerVisible' | 'internal';
	writtenBy: 'any' | 'agent' | 'endUser';
}

function toIdList(value: unknown): number[] {
	const parts = Array.isArray(value) ? value : String(value ?? '').split(',');
	return parts
		.map((part) => String(part).trim())
		.filter((part) => part !== '')
		.map(Number)
		.filter(Number.isFinite);
}

export function readFilters(raw: IDataObject): TriggerFilters {
	return {
		clientIds: toIdList(raw.clientIds),
		ticketTypeIds: toIdList(raw.ticketTypeIds),
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
		if (!event.action || authorTypeOf(event.action, event.definition) !== filters.writtenBy) return false;
	}
	return true;
}
