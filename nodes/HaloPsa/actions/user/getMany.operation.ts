import { clientFilter, createListRecordsOperation, idFilter, includeInactiveFilter, searchFilter } from '../listRecords';
import { simplifiedUserFields } from './fields';

export const { option, properties, execute } = createListRecordsOperation(
	{
		option: { name: 'Get Many', description: 'Get many users', action: 'Get many users' },
		path: '/Users',
		envelopeKey: 'users',
		simplifiedFields: simplifiedUserFields,
	},
	[
		clientFilter('users'),
		idFilter('site_id', { displayName: 'Site ID', name: 'siteId', description: 'Only users of this site' }),
		searchFilter('Only users whose name or email address contains this text'),
		includeInactiveFilter('users'),
	],
);
