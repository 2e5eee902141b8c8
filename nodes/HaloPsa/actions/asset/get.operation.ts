import { createGetRecordOperation } from '../getRecord';
import { assetIdField, simplifiedAssetFields } from './fields';

export const { option, properties, execute } = createGetRecordOperation({
	option: { name: 'Get', description: 'Get an asset (device)', action: 'Get an asset' },
	path: '/Asset',
	idField: assetIdField,
	simplifiedFields: simplifiedAssetFields,
});
