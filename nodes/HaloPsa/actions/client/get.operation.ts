import { clientLocator } from '../../helpers/descriptions';
import { createGetOperation } from '../common/get';
import { simplifiedClientFields } from './fields';

export const { description, execute } = createGetOperation({
	resource: 'client',
	path: '/Client',
	idField: { ...clientLocator(), description: 'The client to get' },
	simplifiedFields: simplifiedClientFields,
});
