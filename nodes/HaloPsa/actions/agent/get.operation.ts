import { recordIdField } from '../../helpers/descriptions';
import { createGetRecordOperation } from '../getRecord';
import { simplifiedAgentFields } from './fields';

export const { option, properties, execute } = createGetRecordOperation({
	option: { name: 'Get', description: 'Get an agent', action: 'Get an agent' },
	path: '/Agent',
	idField: recordIdField('agentId', 'Agent ID', 'The ID of the agent to get'),
	simplifiedFields: simplifiedAgentFields,
});
