import { clientFilter, createListRecordsOperation, idFilter, includeInactiveFilter, searchFilter } from '../listRecords';
import { simplifiedAssetFields } from './fields';

export const { option, properties, execute } = createListRecordsOperation(
	{
		option: { name: 'Get Many', description: 'Get many assets', action: 'Get many assets' },
		path: '/Asset',
		envelopeKey: 'assets',
		simplifiedFields: simplifiedAssetFields,
	},
	[
		clientFilter('assets'),
		idFilter('site_id', { displayName: 'Site ID', name: 'siteId', description: 'Only assets at this site' }),
		idFilter('contract_id', {
			displayName: 'Contract ID',
			name: 'contractId',
			description: 'Only assets linked to this contract',
		}),
		idFilter('assettype_id', {
			displayName: 'Asset Type ID',
			name: 'assetTypeId',
			description: 'Only assets of this type, e.g. workstations or servers',
		}),
		searchFilter('Only assets whose tag or name contains this text'),
		includeInactiveFilter('assets'),
	],
);
