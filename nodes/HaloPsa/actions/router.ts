import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { resources } from './resources';

/**
 * Runs the chosen operation once per input item. Paired items and continue-on-fail live
 * here, once, so no operation repeats them.
 */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const resource = this.getNodeParameter('resource', 0) as string;
	const operation = this.getNodeParameter('operation', 0) as string;
	const run = resources[resource]?.operations[operation];
	if (!run) {
		throw new NodeOperationError(
			this.getNode(),
			`The operation "${operation}" is not known for the resource "${resource}"`,
			{ description: 'Pick the resource and the operation again in the node, then save the workflow.' },
		);
	}

	const returnData: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			const result = await run.execute.call(this, itemIndex);
			const rows = (Array.isArray(result) ? result : [result]) as IDataObject[];
			// One item per row, made once (a 100k-row list is neither copied again nor spread into push).
			const pairedItem = { item: itemIndex };
			for (const json of rows) returnData.push({ json, pairedItem });
		} catch (error) {
			if (this.continueOnFail()) {
				// Only `error`, `message` and `details` keys: n8n routes such items to the error output.
				returnData.push({
					json: {
						error: error.message,
						...(error.description ? { details: error.description } : {}),
					},
					pairedItem: { item: itemIndex },
				});
				continue;
			}
			if (error instanceof NodeApiError || error instanceof NodeOperationError) {
				error.context.itemIndex ??= itemIndex;
				// eslint-disable-next-line @n8n/community-nodes/require-node-api-error -- already a NodeApiError/NodeOperationError; wrapping would lose its HTTP code
				throw error;
			}
			// Anything else is a bug of ours: surface it as a node error on its item, not a crash.
			throw new NodeOperationError(this.getNode(), error as Error, { itemIndex });
		}
	}
	return [returnData];
}
