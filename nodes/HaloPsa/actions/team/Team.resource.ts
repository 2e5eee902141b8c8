import type { INodeProperties } from 'n8n-workflow';

import { operationSelector } from '../common/fields';
import * as get from './get.operation';
import * as getMany from './getMany.operation';

export const displayName = 'Team';

export const operations = { get, getMany };

export const description: INodeProperties[] = [
	operationSelector('team', [
		{ name: 'Get', value: 'get', description: 'Get a team', action: 'Get a team' },
		{ name: 'Get Many', value: 'getMany', description: 'Get many teams', action: 'Get many teams' },
	]),
	...get.description,
	...getMany.description,
];
