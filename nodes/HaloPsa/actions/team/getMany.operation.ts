import { createGetManyOperation, includeInactiveFilter, localSearchFilter } from '../listRecords';
import { simplifiedTeamFields } from './fields';

export const { description, execute } = createGetManyOperation(
	{ resource: 'team', path: '/Team', envelopeKey: null, simplifiedFields: simplifiedTeamFields },
	[localSearchFilter('Only teams whose name contains this text', ['name']), includeInactiveFilter('teams')],
);
