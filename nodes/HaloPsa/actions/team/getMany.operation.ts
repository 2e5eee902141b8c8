import { createListRecordsOperation, includeInactiveFilter, localSearchFilter } from '../listRecords';
import { simplifiedTeamFields } from './fields';

export const { option, properties, execute } = createListRecordsOperation(
	{
		option: { name: 'Get Many', description: 'Get many teams', action: 'Get many teams' },
		path: '/Team',
		envelopeKey: null,
		simplifiedFields: simplifiedTeamFields,
	},
	[localSearchFilter('Only teams whose name contains this text', ['name']), includeInactiveFilter('teams')],
);
