import { recordIdField } from '../common/fields';
import { createGetOperation } from '../common/get';
import { simplifiedTeamFields } from './fields';

export const { description, execute } = createGetOperation({
	resource: 'team',
	path: '/Team',
	idField: recordIdField('teamId', 'Team ID', 'The ID of the team to get'),
	simplifiedFields: simplifiedTeamFields,
});
