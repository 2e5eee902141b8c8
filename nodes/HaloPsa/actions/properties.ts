import type { INodeProperties } from 'n8n-workflow';

import { resources } from './resources';

/** The Resource selector followed by every resource's operation selector and fields. */
export const properties: INodeProperties[] = [
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
];
