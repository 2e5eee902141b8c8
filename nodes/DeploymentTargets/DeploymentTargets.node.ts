import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { runForEachItem } from '../itemLoop';
import { properties } from './description';
import { planForItem } from './planForItem';

export class DeploymentTargets implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Halo Deployment Targets',
		name: 'deploymentTargets',
		icon: { light: 'file:deploymentTargets.svg', dark: 'file:deploymentTargets.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{"Output: " + $parameter["output"]}}',
		description: 'Decide which assets get which software from HaloPSA contracts and recurring invoice items, with reasons',
		defaults: { name: 'Halo Deployment Targets' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'haloPsaAutomationApi', required: true, displayOptions: { show: { dataSource: ['halo'] } } }],
		properties,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		// One plan per input item; every output item is paired with the item it came from.
		return await runForEachItem.call(this, async (itemIndex) => await planForItem.call(this, itemIndex));
	}
}
