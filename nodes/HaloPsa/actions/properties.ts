import type { INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { HaloResource } from './resources';
import { resources } from './resources';

/**
 * One resource's Operation selector (listed by name, the first operation of `operations` as the
 * default) followed by every operation's fields, each shown only for its resource and operation.
 */
function resourceProperties(resource: string, { operations }: HaloResource): INodeProperties[] {
	const keys = Object.keys(operations);
	const defaultOperation = keys[0];
	return [
		{
			displayName: 'Operation',
			name: 'operation',
			type: 'options',
			noDataExpression: true,
			displayOptions: { show: { resource: [resource] } },
			options: keys
				.map((operation) => ({ ...operations[operation].option, value: operation }))
				.sort((a, b) => a.name.localeCompare(b.name)),
			default: defaultOperation,
		},
		...keys.flatMap((operation) =>
			updateDisplayOptions({ show: { resource: [resource], operation: [operation] } }, operations[operation].properties),
		),
	];
}

/** The Resource selector followed by every resource's Operation selector and fields (Airtable v2's versionDescription role). */
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
	...Object.entries(resources).flatMap(([resource, description]) => resourceProperties(resource, description)),
];
