import { createListRecordsOperation, idFilter, includeInactiveFilter, searchFilter } from '../listRecords';
import { simplifiedClientFields } from './fields';

export const { option, properties, execute } = createListRecordsOperation(
	{
		option: { name: 'Get Many', description: 'Get many clients', action: 'Get many clients' },
		path: '/Client',
		envelopeKey: 'clients',
		simplifiedFields: simplifiedClientFields,
	},
	[
		searchFilter('Only clients whose name contains this text'),
		includeInactiveFilter('clients'),
		idFilter('toplevel_id', {
			displayName: 'Top Level ID',
			name: 'topLevelId',
			description: 'Only clients under this top level (the group of clients above them in Halo)',
		}),
	],
);
