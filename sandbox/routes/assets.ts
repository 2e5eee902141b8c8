import { dotNetError, notFound, ok } from '../http';
import type { Asset } from '../types';
import { checkReferences, reference } from '../validation';
import { assetView } from '../views';
import { allOf, assignFields, containsText, envelope, pageOf, type ApiRoute, type RouteContext } from './context';
import { entityRoutes } from './entity';

/** Every id an asset write may reference must exist (checked before anything is written); `notZero` as in checkReferences. */
function checkAssetReferences(record: Record<string, unknown>, { store }: RouteContext, notZero?: readonly string[]): void {
	checkReferences(
		record,
		{
			client_id: (id) => store.clients.get(id),
			site_id: (id) => store.sites.get(id),
			assettype_id: (id) => store.assetTypes.get(id),
			contract_id: (id) => store.contracts.get(id),
		},
		notZero,
	);
}

/** `contract_id` sets the asset's main contract (0 clears its contracts). */
function contractIdsFrom(record: Record<string, unknown>): number[] | undefined {
	const contractId = record.contract_id as number | undefined;
	if (contractId === undefined) return undefined;
	return contractId === 0 ? [] : [contractId];
}

const assetRoutes = entityRoutes<Asset>({
	path: '/api/asset',
	entity: 'Asset',
	area: 'assets',
	table: (store) => store.assets,
	schema: {
		id: 'int',
		inventory_number: 'string',
		key_field: 'string',
		client_id: 'int',
		site_id: 'int',
		assettype_id: 'int',
		inactive: 'bool',
		contract_id: 'int',
	},
	view: (asset, { store }) => assetView(asset, store),
	list: ({ store, query }) => {
		const clientId = query.int('client_id');
		const siteId = query.int('site_id');
		const contractId = query.int('contract_id');
		const typeId = query.int('assettype_id');
		const search = query.string('search');
		const includeInactive = query.bool('includeinactive') ?? false;
		// Start from the narrowest precomputed index, then check the rest in the paging pass.
		const candidates =
			contractId !== undefined
				? store.assets.bucket('contract', contractId)
				: siteId !== undefined
					? store.assets.bucket('site', siteId)
					: clientId !== undefined
						? store.assets.bucket('client', clientId)
						: typeId !== undefined
							? store.assets.bucket('assettype', typeId)
							: includeInactive
								? store.assets.all()
								: store.assets.bucket('active', 1);
		const onlyActive = candidates === store.assets.bucket('active', 1);
		const matches = allOf<Asset>([
			clientId !== undefined && ((asset) => asset.client_id === clientId),
			siteId !== undefined && ((asset) => asset.site_id === siteId),
			typeId !== undefined && ((asset) => asset.assettype_id === typeId),
			!includeInactive && !onlyActive && ((asset) => !asset.inactive),
			search !== undefined && ((asset) => containsText([asset.inventory_number, asset.key_field], search)),
		]);
		return envelope(pageOf(query, candidates, matches), 'assets', (asset) => assetView(asset, store));
	},
	create: (record, context) => {
		const { store } = context;
		checkAssetReferences(record, context);
		const clientId = record.client_id as number | undefined;
		reference(clientId ? store.clients.get(clientId) : undefined, 'client_id', clientId);
		const typeId = (record.assettype_id as number | undefined) || 1;
		reference(store.assetTypes.get(typeId), 'assettype_id', typeId);
		const id = store.assets.nextId();
		return {
			id,
			inventory_number: (record.inventory_number as string | undefined) ?? `A${String(id).padStart(6, '0')}`,
			key_field: (record.key_field as string | undefined) ?? '',
			client_id: clientId as number,
			site_id: (record.site_id as number | undefined) ?? store.sites.bucket('client', clientId as number)[0]?.id ?? 0,
			assettype_id: typeId,
			inactive: (record.inactive as boolean | undefined) ?? false,
			contract_ids: contractIdsFrom(record) ?? [],
		};
	},
	update: (draft, record, context) => {
		checkAssetReferences(record, context, ['client_id', 'assettype_id']);
		assignFields(draft, record, ['inventory_number', 'key_field', 'client_id', 'site_id', 'assettype_id', 'inactive']);
		draft.contract_ids = contractIdsFrom(record) ?? draft.contract_ids;
	},
	events: { created: 'assetCreated', updated: 'assetUpdated', objectKey: 'asset' },
	doubleKeys: ['contract_id'],
});

export const assetRoutesWithSoftware: ApiRoute[] = [
	...assetRoutes,
	{
		method: 'GET',
		pattern: '/api/assetsoftware',
		area: 'software',
		access: 'read',
		handle: ({ store, query }) => {
			const deviceId = query.int('device_id') ?? query.int('asset_id');
			if (deviceId === undefined) throw dotNetError(400, 'device_id is required');
			if (!store.assets.get(deviceId)) throw notFound('Asset', deviceId);
			return ok((store.software.get(deviceId) ?? []).map((software) => ({ ...software, device_id: deviceId })));
		},
	},
];
