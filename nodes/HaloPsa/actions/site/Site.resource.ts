import type { INodeProperties } from 'n8n-workflow';

import { operationSelector } from '../common/fields';
import * as get from './get.operation';
import * as getMany from './getMany.operation';

export const displayName = 'Site';

export const operations = { get, getMany };

export const description: INodeProperties[] = [
	operationSelector('site', [
		{ name: 'Get', value: 'get', description: 'Get a site', action: 'Get a site' },
		{ name: 'Get Many', value: 'getMany', description: 'Get many sites', action: 'Get many sites' },
	]),
	...get.description,
	...getMany.description,
];
