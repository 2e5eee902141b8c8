import { clientLocator } from '../../helpers/descriptions';
import { createGetRecordOperation } from '../getRecord';
import { simplifiedClientFields } from './fields';

export const { option, properties, execute } = createGetRecordOperation({
	option: { name: 'Get', description: 'Get a client', action: 'Get a client' },
	path: '/Client',
	idField: { ...clientLocator(), description: 'The client to get' },
	simplifiedFields: simplifiedClientFields,
});
