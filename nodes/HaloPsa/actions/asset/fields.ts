import { recordIdField } from '../../helpers/descriptions';

/** What Simplify keeps of an asset. */
export const simplifiedAssetFields = [
	'id',
	'inventory_number',
	'key_field',
	'client_id',
	'client_name',
	'site_id',
	'site_name',
	'assettype_id',
	'assettype_name',
	'inactive',
	'contract_id',
	'contracts',
];

export const assetIdField = recordIdField('assetId', 'Asset ID', 'The ID of the asset (device) in Halo');
