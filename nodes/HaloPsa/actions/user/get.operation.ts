import { recordIdField } from '../../helpers/descriptions';
import { createGetRecordOperation } from '../getRecord';
import { simplifiedUserFields } from './fields';

export const { option, properties, execute } = createGetRecordOperation({
	option: { name: 'Get', description: 'Get a user (a client contact)', action: 'Get a user' },
	path: '/Users',
	idField: recordIdField('userId', 'User ID', 'The ID of the user (contact) to get'),
	simplifiedFields: simplifiedUserFields,
});
