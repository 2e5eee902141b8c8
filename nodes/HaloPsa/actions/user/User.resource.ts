import type { INodeProperties } from 'n8n-workflow';

import { operationSelector } from '../common/fields';
import * as get from './get.operation';
import * as getMany from './getMany.operation';

export const displayName = 'User (Contact)';

export const operations = { get, getMany };

export const description: INodeProperties[] = [
	operationSelector('user', [
		{ name: 'Get', value: 'get', description: 'Get a user (a client contact)', action: 'Get a user' },
		{ name: 'Get Many', value: 'getMany', description: 'Get many users', action: 'Get many users' },
	]),
	...get.description,
	...getMany.description,
];
