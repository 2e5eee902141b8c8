import type { INodeProperties } from 'n8n-workflow';

import { operationSelector } from '../common/fields';
import * as get from './get.operation';
import * as getMany from './getMany.operation';

export const displayName = 'Client';

export const operations = { get, getMany };

export const description: INodeProperties[] = [
	operationSelector('client', [
		{ name: 'Get', value: 'get', description: 'Get a client', action: 'Get a client' },
		{ name: 'Get Many', value: 'getMany', description: 'Get many clients', action: 'Get many clients' },
	]),
	...get.description,
	...getMany.description,
];
