import type { INodeProperties } from 'n8n-workflow';

import type { HaloOperation } from '../resources';
import * as addCustomerNote from './addCustomerNote.operation';
import * as addInternalNote from './addInternalNote.operation';
import * as emailContact from './emailContact.operation';
import * as getMany from './getMany.operation';

export const displayName = 'Note';

export const operations: Record<string, HaloOperation> = {
	addCustomerNote,
	addInternalNote,
	emailContact,
	getMany,
};

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['note'] } },
		options: [
			{
				name: 'Add Customer Note',
				value: 'addCustomerNote',
				description: 'Add a note the end user can see',
				action: 'Add a customer note to a ticket',
			},
			{
				name: 'Add Internal Note',
				value: 'addInternalNote',
				description: 'Add a private note only agents can see',
				action: 'Add an internal note to a ticket',
			},
			{
				name: 'Email Contact',
				value: 'emailContact',
				description: 'Email the ticket\'s contact through Halo and record it on the ticket',
				action: 'Email the contact of a ticket',
			},
			{
				name: 'Get Many',
				value: 'getMany',
				description: 'Get many notes and actions of a ticket',
				action: 'Get many notes of a ticket',
			},
		],
		default: 'addCustomerNote',
	},
	...addCustomerNote.description,
	...addInternalNote.description,
	...emailContact.description,
	...getMany.description,
];
