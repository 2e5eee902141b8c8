import type { INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { resources } from './resources';

export const versionDescription: INodeTypeDescription = {
	displayName: 'HaloPSA Automation',
	name: 'haloPsa',
	icon: { light: 'file:halopsa.svg', dark: 'file:halopsa.dark.svg' },
	group: ['transform'],
	version: 1,
	subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
	description: 'Tickets, notes, emails, clients, contracts, recurring invoices, items and assets in HaloPSA',
	defaults: { name: 'HaloPSA Automation' },
	usableAsTool: true,
	inputs: [NodeConnectionTypes.Main],
	outputs: [NodeConnectionTypes.Main],
	credentials: [{ name: 'haloPsaAutomationApi', required: true }],
	properties: [
		{
			displayName: 'Resource',
			name: 'resource',
			type: 'options',
			noDataExpression: true,
			options: Object.entries(resources).map(([value, resource]) => ({
				name: resource.displayName,
				value,
			})),
			default: 'ticket',
		},
		...Object.values(resources).flatMap((resource) => resource.description),
	],
};
