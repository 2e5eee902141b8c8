import type { IDataObject, IExecuteFunctions, INode, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

/**
 * `error` as the n8n error it already is (a transport NodeApiError keeps its HTTP code), with
 * `itemIndex` when it names no item yet; anything else, a bug of ours, as a NodeOperationError on
 * that item rather than a crash.
 */
export function asNodeError(node: INode, error: unknown, itemIndex: number): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) {
		error.context.itemIndex ??= itemIndex;
		return error;
	}
	return new NodeOperationError(node, error as Error, { itemIndex });
}

/**
 * The one item loop of the HaloPSA Automation and Deployment Targets nodes: `perItem` runs once per
 * input item, each row it returns becomes an output item paired with that input item, and with
 * Continue On Fail a failed input item becomes one error item, so no operation repeats any of this.
 */
export async function runForEachItem(
	this: IExecuteFunctions,
	perItem: (itemIndex: number) => Promise<IDataObject | IDataObject[]>,
): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const returnData: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			const result = await perItem(itemIndex);
			const rows = Array.isArray(result) ? result : [result];
			// One item per row, made once (a 100k-row list is neither copied again nor spread into push).
			const pairedItem = { item: itemIndex };
			for (const json of rows) returnData.push({ json, pairedItem });
		} catch (error) {
			if (this.continueOnFail()) {
				// Only `error` and `details` keys: n8n routes such items to the error output.
				returnData.push({
					json: { error: error.message, ...(error.description ? { details: error.description } : {}) },
					pairedItem: { item: itemIndex },
				});
				continue;
			}
			throw asNodeError(this.getNode(), error, itemIndex);
		}
	}
	return [returnData];
}
