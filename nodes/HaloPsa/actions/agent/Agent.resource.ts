import type { INodeProperties } from 'n8n-workflow';

import { operationSelector } from '../common/fields';
import * as get from './get.operation';
import * as getMany from './getMany.operation';
import * as getMe from './getMe.operation';

export const displayName = 'Agent';

export const operations = { get, getMany, getMe };

export const description: INodeProperties[] = [
	operationSelector('agent', [
		{ name: 'Get', value: 'get', description: 'Get an agent', action: 'Get an agent' },
		{ name: 'Get Many', value: 'getMany', description: 'Get many agents', action: 'Get many agents' },
		{
			name: 'Get Me',
			value: 'getMe',
			description: 'Get the agent the credential logs in as',
			action: 'Get the logged-in agent',
		},
	]),
	...get.description,
	...getMany.description,
	...getMe.description,
];
