import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { haloApiRequestAllItems } from '../../transport';
import { simplifiedAssetFields } from '../asset/fields';
import type { QueryFilter } from '../common/getMany';
import { clientFilter, finishRows, getManyFields, idFilter, includeInactiveFilter, listRows, readQueryFilters } from '../common/getMany';
import { simplifiedContractFields } from './fields';
import { isContractInForce, readDay } from './inForce';

const contractList = { path: '/ClientContract', envelopeKey: 'contracts' };

const queryFilters: QueryFilter[] = [
	clientFilter('contracts'),
	idFilter('site_id', { displayName: 'Site ID', name: 'siteId', description: 'Only contracts of this site' }),
	includeInactiveFilter('contracts'),
];

/** Filters Halo's contract list does not offer; the node applies them to the rows it reads. */
const rowFilters: INodeProperties[] = [
	{
		displayName: 'Contract Types',
		name: 'contractTypes',
		type: 'string',
		default: '',
		placeholder: 'e.g. Managed Service, 4',
		description: 'Only contracts of these types: names (any case) or IDs, separated by commas',
	},
	{
		displayName: 'In Force On',
		name: 'inForceOn',
		type: 'dateTime',
		default: '',
		description:
			'Only contracts in force on this date: not expired or inactive, started on or before it and not ended before it',
	},
];

export const description: INodeProperties[] = getManyFields(
	'contract',
	[...queryFilters.map((filter) => filter.field), ...rowFilters],
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

function contractTypeTest(text: string): ((contract: IDataObject) => boolean) | undefined {
	const wanted = text
		.split(',')
		.map((part) => part.trim().toLowerCase())
		.filter(Boolean);
	if (!wanted.length) return undefined;
	return (contract) =>
		wanted.includes(String(contract.contracttype ?? '')) ||
		wanted.includes(String(contract.contracttype_name ?? '').toLowerCase());
}

export async function execute(this: IExecuteFunctions, itemIndex: number) {
	const qs = readQueryFilters.call(this, itemIndex, queryFilters);
	const typeText = this.getNodeParameter('filters.contractTypes', itemIndex, '') as string;
	const inForceOn = this.getNodeParameter('filters.inForceOn', itemIndex, '') as unknown;
	const tests: Array<(contract: IDataObject) => boolean> = [];
	const isWantedType = contractTypeTest(String(typeText));
	if (isWantedType) tests.push(isWantedType);
	if (inForceOn) {
		const day = readDay.call(this, inForceOn, 'In Force On', itemIndex);
		tests.push((contract) => isContractInForce(contract, day));
	}

	const keep = tests.length ? (contract: IDataObject) => tests.every((test) => test(contract)) : undefined;
	const contracts = await listRows.call(this, itemIndex, contractList, qs, keep);

	if (this.getNodeParameter('includeAssets', itemIndex, false) as boolean) {
		// One request per contract, one after another, to stay inside Halo's rate limit.
		for (const contract of contracts) {
			const assets = await haloApiRequestAllItems.call(this, '/Asset', 'assets', {
				qs: { contract_id: contract.id },
				itemIndex,
			});
			contract.assets = finishRows.call(this, itemIndex, assets, simplifiedAssetFields);
		}
	}
	return finishRows.call(this, itemIndex, contracts, simplifiedContractFields);
}
