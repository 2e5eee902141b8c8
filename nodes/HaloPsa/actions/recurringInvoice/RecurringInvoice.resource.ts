import type { INodeProperties } from 'n8n-workflow';

import { operationSelector } from '../common/fields';
import * as getMany from './getMany.operation';

export const displayName = 'Recurring Invoice';

export const operations = { getMany };

export const description: INodeProperties[] = [
	operationSelector('recurringInvoice', [
		{
			name: 'Get Many',
			value: 'getMany',
			description: 'Get many recurring invoices with their lines',
			action: 'Get many recurring invoices',
		},
	]),
	...getMany.description,
];
