import { clientFilter, createGetManyOperation, includeInactiveFilter, searchFilter } from '../listRecords';
import { simplifiedSiteFields } from './fields';

export const { description, execute } = createGetManyOperation(
	{ resource: 'site', path: '/Site', envelopeKey: 'sites', simplifiedFields: simplifiedSiteFields },
	[clientFilter('sites'), searchFilter('Only sites whose name contains this text'), includeInactiveFilter('sites')],
);
