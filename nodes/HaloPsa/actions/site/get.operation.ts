import { recordIdField } from '../../helpers/descriptions';
import { createGetRecordOperation } from '../getRecord';
import { simplifiedSiteFields } from './fields';

export const { option, properties, execute } = createGetRecordOperation({
	option: { name: 'Get', description: 'Get a site', action: 'Get a site' },
	path: '/Site',
	idField: recordIdField('siteId', 'Site ID', 'The ID of the site to get'),
	simplifiedFields: simplifiedSiteFields,
});
