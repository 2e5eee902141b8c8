import type { INodeProperties } from 'n8n-workflow';

import { operationSelector } from '../common/fields';
import * as get from './get.operation';
import * as getMany from './getMany.operation';

export const displayName = 'Contract';

export const operations = { get, getMany };

export const description: INodeProperties[] = [
	operationSelector('contract', [
		{ name: 'Get', value: 'get', description: 'Get a contract with its details', action: 'Get a contract' },
		{ name: 'Get Many', value: 'getMany', description: 'Get many contracts', action: 'Get many contracts' },
	]),
	...get.description,
	...getMany.description,
];
