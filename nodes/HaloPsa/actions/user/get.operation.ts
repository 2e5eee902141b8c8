import { recordIdField } from '../common/fields';
import { createGetOperation } from '../getRecord';
import { simplifiedUserFields } from './fields';

export const { description, execute } = createGetOperation({
	resource: 'user',
	path: '/Users',
	idField: recordIdField('userId', 'User ID', 'The ID of the user (contact) to get'),
	simplifiedFields: simplifiedUserFields,
});
