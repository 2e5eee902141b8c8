import { recordIdField } from '../common/fields';
import { createGetOperation } from '../getRecord';
import { simplifiedContractFields } from './fields';

export const { description, execute } = createGetOperation({
	resource: 'contract',
	path: '/ClientContract',
	idField: recordIdField('contractId', 'Contract ID', 'The ID of the contract to get, with its details and assets'),
	fixedQuery: { includedetails: true },
	simplifiedFields: simplifiedContractFields,
});
