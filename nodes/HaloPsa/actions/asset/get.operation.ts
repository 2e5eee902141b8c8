import { createGetOperation } from '../getRecord';
import { assetIdField, simplifiedAssetFields } from './fields';

export const { description, execute } = createGetOperation({
	resource: 'asset',
	path: '/Asset',
	idField: assetIdField,
	simplifiedFields: simplifiedAssetFields,
});
