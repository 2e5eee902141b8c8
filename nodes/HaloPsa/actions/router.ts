import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { runForEachItem } from '../../itemLoop';
import { resources } from './resources';

/** Runs the chosen operation for every input item through the one item loop (paired items, continue-on-fail). */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
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
	return await runForEachItem.call(this, async (itemIndex) => await run.execute.call(this, itemIndex));
}
