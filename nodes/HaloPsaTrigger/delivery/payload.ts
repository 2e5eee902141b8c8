import type { IDataObject } from 'n8n-workflow';

import { isObject } from '../../HaloPsa/transport';

/** One event as Halo delivers it (ARCHITECTURE.md, "Webhook events"). */
export interface HaloDelivery extends IDataObject {
	id: string;
	event: string;
	webhook_id?: string;
	object_id?: number | string;
	message?: string;
	agent_id?: number;
	timestamp?: string;
	ticket?: IDataObject;
	action?: IDataObject;
	client?: IDataObject;
	user?: IDataObject;
	asset?: IDataObject;
	contract?: IDataObject;
}

export const OBJECT_KEYS = ['ticket', 'action', 'client', 'user', 'asset', 'contract'] as const;

function isDelivery(value: unknown): value is HaloDelivery {
	if (!isObject(value)) return false;
	const hasId = (typeof value.id === 'string' && value.id.trim() !== '') || typeof value.id === 'number';
	return hasId && typeof value.event === 'string' && value.event.trim() !== '';
}

/**
 * Returns the deliveries in a request body (Halo batches several events into one array), or
 * undefined when the body is not a Halo webhook payload at all.
 */
export function parseDeliveries(body: unknown): HaloDelivery[] | undefined {
	const candidates = Array.isArray(body) ? body : [body];
	if (candidates.length === 0 || !candidates.every(isDelivery)) return undefined;
	return candidates.map((delivery) => ({ ...delivery, id: String(delivery.id) }));
}

/** An "event information only" delivery names the object but carries none of it. */
export function isEventOnly(delivery: HaloDelivery): boolean {
	return OBJECT_KEYS.every((key) => !isObject(delivery[key]));
}
