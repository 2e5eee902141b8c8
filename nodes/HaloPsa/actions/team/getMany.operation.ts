import { createGetManyOperation, searchFilter } from '../common/getMany';
import { simplifiedTeamFields } from './fields';

export const { description, execute } = createGetManyOperation(
	{ resource: 'team', path: '/Team', envelopeKey: null, simplifiedFields: simplifiedTeamFields },
	[searchFilter('Only teams whose name contains this text')],
);
