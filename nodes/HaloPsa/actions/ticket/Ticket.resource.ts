import type { INodeProperties } from 'n8n-workflow';

import type { HaloOperation } from '../resources';
import * as close from './close.operation';
import * as create from './create.operation';
import * as deleteTicket from './delete.operation';
import * as get from './get.operation';
import * as getMany from './getMany.operation';
import * as update from './update.operation';

export const displayName = 'Ticket';

export const operations: Record<string, HaloOperation> = {
	create,
	get,
	getMany,
	update,
	close,
	delete: deleteTicket,
};

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['ticket'] } },
		options: [
			{ name: 'Close', value: 'close', description: 'Close a ticket', action: 'Close a ticket' },
			{ name: 'Create', value: 'create', description: 'Create a ticket', action: 'Create a ticket' },
			{ name: 'Delete', value: 'delete', description: 'Delete a ticket', action: 'Delete a ticket' },
			{ name: 'Get', value: 'get', description: 'Get a ticket', action: 'Get a ticket' },
			{ name: 'Get Many', value: 'getMany', description: 'Get many tickets', action: 'Get many tickets' },
			{ name: 'Update', value: 'update', description: 'Update a ticket', action: 'Update a ticket' },
		],
		default: 'create',
	},
	...create.description,
	...get.description,
	...getMany.description,
	...update.description,
	...close.description,
	...deleteTicket.description,
];
