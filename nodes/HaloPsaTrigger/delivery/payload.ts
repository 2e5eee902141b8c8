import type { IDataObject } from 'n8n-workflow';

import { isObject } from '../../transport';

/** One event as Halo delivers it (ARCHITECTURE.md, "Webhook events"), checked by parseDeliveries. */
export interface HaloDelivery extends IDataObject {
	id: string;
	event: string;
	webhook_id?: string | null;
	object_id?: number | null;
	ticket_id?: number | null;
	action_id?: number | null;
	agent_id?: number | null;
	message?: string | null;
	timestamp?: string | null;
	ticket?: IDataObject | null;
	action?: IDataObject | null;
	client?: IDataObject | null;
	user?: IDataObject | null;
	asset?: IDataObject | null;
	contract?: IDataObject | null;
}

export const OBJECT_KEYS = ['ticket', 'action', 'client', 'user', 'asset', 'contract'] as const;

/** Ids that name a record (and may end up in an API path): positive. */
const RECORD_IDS = ['object_id', 'ticket_id', 'action_id'] as const;
/** Ids where 0 means none (`agent_id` 0 is the system or the end user). */
const OPTIONAL_IDS = ['agent_id', 'notification_id', 'escmsg_id'] as const;
const TEXT_FIELDS = ['webhook_id', 'message', 'timestamp'] as const;
/** Ids inside the embedded objects the node reads. */
const OBJECT_RECORD_IDS: Partial<Record<(typeof OBJECT_KEYS)[number], readonly string[]>> = {
	ticket: ['id'],
	action: ['id', 'ticket_id'],
};
const MAX_DELIVERY_ID_LENGTH = 200;

const isAbsent = (value: unknown) => value === undefined || value === null;
const isRecordId = (value: unknown) => typeof value === 'number' && Number.isSafeInteger(value) && value > 0;
const isOptionalId = (value: unknown) => typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;

/** What is wrong with one delivery, or undefined when it is a Halo event. */
function deliveryProblem(value: unknown): string | undefined {
	if (!isObject(value)) return 'not a JSON object';
	if (typeof value.id !== 'string' || value.id.trim() === '' || value.id.length > MAX_DELIVERY_ID_LENGTH) {
		return `no delivery id (id: a string of 1 to ${MAX_DELIVERY_ID_LENGTH} characters)`;
	}
	if (typeof value.event !== 'string' || value.event.trim() === '') return 'no event name (event: a string)';
	for (const field of RECORD_IDS) {
		if (!isAbsent(value[field]) && !isRecordId(value[field])) return `${field} is not a positive integer`;
	}
	for (const field of OPTIONAL_IDS) {
		if (!isAbsent(value[field]) && !isOptionalId(value[field])) return `${field} is not a whole number`;
	}
	for (const field of TEXT_FIELDS) {
		if (!isAbsent(value[field]) && typeof value[field] !== 'string') return `${field} is not a string`;
	}
	for (const key of OBJECT_KEYS) {
		const object = value[key];
		if (isAbsent(object)) continue;
		if (!isObject(object)) return `${key} is not an object`;
		for (const field of OBJECT_RECORD_IDS[key] ?? []) {
			if (!isAbsent(object[field]) && !isRecordId(object[field])) return `${key}.${field} is not a positive integer`;
		}
	}
	return undefined;
}

/**
 * The deliveries in a request body (Halo batches several events into one array), or why the body
 * is not a Halo webhook payload: each element needs a delivery `id` and an `event`, and its ids
 * must be whole numbers (never a string, a fraction or 1e+29), so nothing else gets near the API.
 */
export function parseDeliveries(body: unknown): { deliveries: HaloDelivery[] } | { problem: string } {
	const batch = Array.isArray(body);
	const candidates = batch ? body : [body];
	if (candidates.length === 0) return { problem: 'an empty list' };
	for (const [index, candidate] of candidates.entries()) {
		const problem = deliveryProblem(candidate);
		if (problem) return { problem: batch ? `event [${index}]: ${problem}` : problem };
	}
	return { deliveries: candidates as HaloDelivery[] };
}

/** An "event information only" delivery names the object but carries none of it. */
export function isEventOnly(delivery: HaloDelivery): boolean {
	return OBJECT_KEYS.every((key) => !isObject(delivery[key]));
}
