import { clientFilter, createListRecordsOperation, includeInactiveFilter, searchFilter } from '../listRecords';
import { simplifiedSiteFields } from './fields';

export const { option, properties, execute } = createListRecordsOperation(
	{
		option: { name: 'Get Many', description: 'Get many sites', action: 'Get many sites' },
		path: '/Site',
		envelopeKey: 'sites',
		simplifiedFields: simplifiedSiteFields,
	},
	[clientFilter('sites'), searchFilter('Only sites whose name contains this text'), includeInactiveFilter('sites')],
);
