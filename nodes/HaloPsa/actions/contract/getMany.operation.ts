import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { haloApiRequestAllItems } from '../../../transport';
import { simplifiedAssetFields } from '../asset/fields';
import type { ListFilter } from '../listRecords';
import { simplifyOutput } from '../../helpers/simplify';
import { clientFilter, idFilter, includeInactiveFilter, listFields, listRows, readListFilters } from '../listRecords';
import { simplifiedContractFields } from './fields';
import { inForceTest } from './inForce';

const contractList = { path: '/ClientContract', envelopeKey: 'contracts' };

const filters: ListFilter[] = [
	clientFilter('contracts'),
	idFilter('site_id', { displayName: 'Site ID', name: 'siteId', description: 'Only contracts of this site' }),
	includeInactiveFilter('contracts'),
	// Halo's contract list cannot filter by type or date: the node tests the rows it reads.
	{
		field: {
			displayName: 'Contract Types',
			name: 'contractTypes',
			type: 'string',
			default: '',
			placeholder: 'e.g. Managed Services, 4',
			description: 'Only contracts of these types: names (any case) or IDs, separated by commas',
		},
		rowTest: (value) => {
			const wanted = String(value)
				.split(',')
				.map((part) => part.trim().toLowerCase())
				.filter(Boolean);
			return (contract) =>
				wanted.includes(String(contract.contracttype ?? '')) ||
				wanted.includes(String(contract.contracttype_name ?? '').toLowerCase());
		},
	},
	{
		field: {
			displayName: 'In Force On',
			name: 'inForceOn',
			type: 'dateTime',
			default: '',
			description:
				'Only contracts in force on this date: not expired or inactive, started on or before it and not ended before it',
		},
		rowTest(value, itemIndex) {
			return inForceTest.call(this, value, 'In Force On', itemIndex);
		},
	},
];

export const option = { name: 'Get Many', description: 'Get many contracts', action: 'Get many contracts' };

export const properties: INodeProperties[] = listFields(
	filters.map((filter) => filter.field),
	[
		{
			displayName: 'Include Assets',
			name: 'includeAssets',
			type: 'boolean',
			default: false,
			description: 'Whether to add the assets linked to each contract (one more request per contract)',
		},
	],
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const { qs, keep } = readListFilters.call(this, itemIndex, filters);
	const contracts = await listRows.call(this, itemIndex, contractList, qs, keep);

	if (this.getNodeParameter('includeAssets', itemIndex, false) as boolean) {
		// One request per contract, one after another, to stay inside Halo's rate limit.
		for (const contract of contracts) {
			const assets = await haloApiRequestAllItems.call(this, '/Asset', 'assets', {
				qs: { contract_id: contract.id },
				itemIndex,
			});
			contract.assets = simplifyOutput.call(this, itemIndex, assets, simplifiedAssetFields);
		}
	}
	return simplifyOutput.call(this, itemIndex, contracts, simplifiedContractFields);
}
