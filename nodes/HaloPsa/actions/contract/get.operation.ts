import { recordIdField } from '../../helpers/descriptions';
import { createGetRecordOperation } from '../getRecord';
import { simplifiedContractFields } from './fields';

export const { option, properties, execute } = createGetRecordOperation({
	option: { name: 'Get', description: 'Get a contract with its details', action: 'Get a contract' },
	path: '/ClientContract',
	idField: recordIdField('contractId', 'Contract ID', 'The ID of the contract to get, with its details and assets'),
	fixedQuery: { includedetails: true },
	simplifiedFields: simplifiedContractFields,
});
