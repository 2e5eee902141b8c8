import { recordIdField } from '../common/fields';
import { createGetOperation } from '../getRecord';
import { simplifiedSiteFields } from './fields';

export const { description, execute } = createGetOperation({
	resource: 'site',
	path: '/Site',
	idField: recordIdField('siteId', 'Site ID', 'The ID of the site to get'),
	simplifiedFields: simplifiedSiteFields,
});
