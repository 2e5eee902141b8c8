import type { IDataObject } from 'n8n-workflow';

/**
 * Halo retries a delivery it thinks failed, with the same `id`. Two stores remember the ids
 * already accepted:
 * - the node's static data, which n8n saves after every production webhook call, so it
 *   survives restarts and is shared by every process that loads the workflow (queue mode);
 * - a per-process memory, which also catches a retry that arrives while the first call's
 *   static data is not saved yet, and test-mode calls, whose static data n8n does not save.
 * Both are bounded so a busy tenant cannot grow the workflow row or the process forever.
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

export function rememberDeliveries(staticData: IDataObject, nodeKey: string, deliveryIds: string[]): void {
	if (deliveryIds.length === 0) return;
	for (const deliveryId of deliveryIds) rememberInMemory(nodeKey, deliveryId);
	// Assigning a new array marks the static data as changed, which is what makes n8n save it.
	staticData.recentDeliveryIds = [...storedIds(staticData), ...deliveryIds].slice(-STATIC_DATA_ID_LIMIT);
}
