import { createGetManyOperation, searchFilter } from '../common/getMany';
import { simplifiedAgentFields } from './fields';

export const { description, execute } = createGetManyOperation(
	{ resource: 'agent', path: '/Agent', envelopeKey: null, simplifiedFields: simplifiedAgentFields },
	[searchFilter('Only agents whose name or email address contains this text')],
);
