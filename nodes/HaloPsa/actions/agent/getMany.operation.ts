import { createListRecordsOperation, idFilter, localSearchFilter } from '../listRecords';
import { simplifiedAgentFields } from './fields';

export const { option, properties, execute } = createListRecordsOperation(
	{
		option: { name: 'Get Many', description: 'Get many agents', action: 'Get many agents' },
		path: '/Agent',
		envelopeKey: null,
		simplifiedFields: simplifiedAgentFields,
	},
	[
		localSearchFilter('Only agents whose name or email address contains this text', ['name', 'email']),
		idFilter('team_id', { displayName: 'Team ID', name: 'teamId', description: 'Only agents in this team' }),
		{
			query: 'includedisabled',
			field: {
				displayName: 'Include Disabled',
				name: 'includeDisabled',
				type: 'boolean',
				default: false,
				description: 'Whether to include disabled agents',
			},
		},
	],
);
