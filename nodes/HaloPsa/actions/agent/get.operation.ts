import { recordIdField } from '../common/fields';
import { createGetOperation } from '../getRecord';
import { simplifiedAgentFields } from './fields';

export const { description, execute } = createGetOperation({
	resource: 'agent',
	path: '/Agent',
	idField: recordIdField('agentId', 'Agent ID', 'The ID of the agent to get'),
	simplifiedFields: simplifiedAgentFields,
});
