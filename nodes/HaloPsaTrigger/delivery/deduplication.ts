import type { IDataObject } from 'n8n-workflow';

/**
 * Halo retries a delivery it thinks failed, with the same `id`, seconds or hours later. Two
 * stores remember the ids already accepted:
 * - a per-process memory. An id is claimed there synchronously, before the call awaits anything,
 *   so a retry that arrives while the first call is still being handled is a duplicate.
 * - the node's static data: the last 200 ids, saved by n8n when the call is answered (the node
 *   answers itself for that; see receive.ts), before the execution starts. It catches a retry
 *   after an n8n restart. n8n reloads static data for each call and writes all of it back
 *   (last writer wins); a call writes back every id the process holds, so calls running
 *   alongside in one process keep each other's ids. Test-mode calls are not saved at all.
 * With several webhook processes (queue mode) calls running at the same moment in two processes
 * can still erase each other's ids: make the steps after the trigger idempotent on `deliveryId`.
 * Both stores are bounded so a busy tenant grows neither the workflow row nor the process.
 */
export const STATIC_DATA_ID_LIMIT = 200;
export const MEMORY_ID_LIMIT = 2000;
const MEMORY_NODE_LIMIT = 500;

const idsByNode = new Map<string, Set<string>>();

function rememberInMemory(nodeKey: string, deliveryId: string): void {
	let ids = idsByNode.get(nodeKey);
	if (ids) {
		// Re-inserting moves the node to the newest end of the map's insertion order.
		idsByNode.delete(nodeKey);
	} else {
		ids = new Set();
	}
	idsByNode.set(nodeKey, ids);
	ids.add(deliveryId);
	if (ids.size > MEMORY_ID_LIMIT) ids.delete(ids.values().next().value as string);
	if (idsByNode.size > MEMORY_NODE_LIMIT) idsByNode.delete(idsByNode.keys().next().value as string);
}

function storedIds(staticData: IDataObject): string[] {
	return Array.isArray(staticData.recentDeliveryIds) ? (staticData.recentDeliveryIds as string[]) : [];
}

export function isDuplicateDelivery(staticData: IDataObject, nodeKey: string, deliveryId: string): boolean {
	return idsByNode.get(nodeKey)?.has(deliveryId) === true || storedIds(staticData).includes(deliveryId);
}

/**
 * Returns the deliveries whose ids were not seen before (in order; of several with one id the
 * first) and claims their ids in memory at once.
 * Must run before the call awaits anything: that is what makes a concurrent retry a duplicate.
 */
export function claimNewDeliveries<T extends { id: string }>(staticData: IDataObject, nodeKey: string, deliveries: T[]): T[] {
	const claimed: T[] = [];
	for (const delivery of deliveries) {
		if (isDuplicateDelivery(staticData, nodeKey, delivery.id)) continue;
		rememberInMemory(nodeKey, delivery.id);
		claimed.push(delivery);
	}
	return claimed;
}

/** Gives claimed ids back when the call failed, so Halo's retry gets another go. */
export function releaseDeliveries(nodeKey: string, deliveryIds: string[]): void {
	const ids = idsByNode.get(nodeKey);
	for (const deliveryId of deliveryIds) ids?.delete(deliveryId);
}

/**
 * Writes the ids this process accepted for the node (these and those of calls running alongside,
 * newest last) into the static data, after the ids only the static data knows (from before a
 * restart, or another process); n8n saves it once the call is answered. Taking the ones in memory
 * too means a call that loaded the static data before another call saved its ids writes them
 * back instead of erasing them.
 */
export function persistDeliveries(staticData: IDataObject, nodeKey: string, deliveryIds: string[]): void {
	if (deliveryIds.length === 0) return;
	const inMemory = [...(idsByNode.get(nodeKey) ?? deliveryIds)];
	const remembered = new Set(inMemory);
	const storedOnly = storedIds(staticData).filter((id) => !remembered.has(id));
	// Assigning a new array marks the static data as changed, which is what makes n8n save it.
	staticData.recentDeliveryIds = [...storedOnly, ...inMemory].slice(-STATIC_DATA_ID_LIMIT);
}
