import type { INodeProperties } from 'n8n-workflow';

import { operationSelector } from '../common/fields';
import * as getMany from './getMany.operation';

export const displayName = 'Item';

export const operations = { getMany };

export const description: INodeProperties[] = [
	operationSelector('item', [
		{ name: 'Get Many', value: 'getMany', description: 'Get many items (products and services)', action: 'Get many items' },
	]),
	...getMany.description,
];
