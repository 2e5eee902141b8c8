import type { INodeProperties } from 'n8n-workflow';

import { operationSelector } from '../common/fields';
import * as call from './call.operation';

export const displayName = 'Custom API Call';

export const operations = { call };

export const description: INodeProperties[] = [
	operationSelector('customApiCall', [
		{
			name: 'Make an API Call',
			value: 'call',
			description: 'Call any Halo API path with the credential, for what the node has no operation for',
			action: 'Make an API call',
		},
	]),
	...call.description,
];
