import { clientLocator } from '../../helpers/descriptions';
import { createGetOperation } from '../getRecord';
import { simplifiedClientFields } from './fields';

export const { description, execute } = createGetOperation({
	resource: 'client',
	path: '/Client',
	idField: { ...clientLocator(), description: 'The client to get' },
	simplifiedFields: simplifiedClientFields,
});
