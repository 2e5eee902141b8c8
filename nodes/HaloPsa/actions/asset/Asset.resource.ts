import type { INodeProperties } from 'n8n-workflow';

import { operationSelector } from '../common/fields';
import * as get from './get.operation';
import * as getMany from './getMany.operation';
import * as getSoftware from './getSoftware.operation';

export const displayName = 'Asset';

export const operations = { get, getMany, getSoftware };

export const description: INodeProperties[] = [
	operationSelector('asset', [
		{ name: 'Get', value: 'get', description: 'Get an asset (device)', action: 'Get an asset' },
		{ name: 'Get Installed Software', value: 'getSoftware', description: 'Get the software installed on an asset', action: 'Get the installed software of an asset' },
		{ name: 'Get Many', value: 'getMany', description: 'Get many assets', action: 'Get many assets' },
	]),
	...get.description,
	...getMany.description,
	...getSoftware.description,
];
