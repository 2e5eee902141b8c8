import type { QueryValue } from '../halo-client';
import { normalizeSnapshot } from './snapshot';
import type { Snapshot } from './types';

export type { QueryValue };

/**
 * Fetches every row of one Halo list (`path` relative to `{base}/api`), following Halo's paging.
 * `envelopeKey` names the array in the answer; null means a bare array. The node transport's
 * `haloApiRequestAllItems` and the axios client both fit this shape.
 */
export type HaloListFetcher = (
	path: string,
	envelopeKey: string | null,
	qs: Record<string, QueryValue>,
) => Promise<Array<Record<string, unknown>>>;

export interface SnapshotLoadOptions {
	/** load only these clients' contracts, invoices and assets; default every client */
	clientIds?: number[];
	/**
	 * also load every asset's installed software (one request per asset); default false. To read it
	 * only where a decision needs it, load without it and use {@link PagedHaloDataSource.addInstalledSoftware}.
	 */
	includeInstalledSoftware?: boolean;
	/** load assets Halo flags inactive too; default false */
	includeInactiveAssets?: boolean;
	/** installed-software requests in flight at once; default 4 */
	softwareConcurrency?: number;
}

/** Loads what the planner needs from Halo: clients, contracts, recurring invoices with lines, items, assets. */
export interface HaloDataSource {
	loadSnapshot(options?: SnapshotLoadOptions): Promise<Snapshot>;
	addInstalledSoftware(snapshot: Snapshot, assetIds: readonly number[], options?: Pick<SnapshotLoadOptions, 'softwareConcurrency'>): Promise<Snapshot>;
}

/** Runs `task` over `inputs` with at most `concurrency` in flight. */
async function mapLimited<T, R>(inputs: T[], concurrency: number, task: (input: T) => Promise<R>): Promise<R[]> {
	const results: R[] = new Array(inputs.length);
	let next = 0;
	const worker = async () => {
		while (next < inputs.length) {
			const index = next++;
			results[index] = await task(inputs[index]);
		}
	};
	await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, inputs.length)) }, worker));
	return results;
}

/** A {@link HaloDataSource} over any paged list fetcher: the one loader both the node and scripts use. */
export class PagedHaloDataSource implements HaloDataSource {
	constructor(private readonly list: HaloListFetcher) {}

	async loadSnapshot(options: SnapshotLoadOptions = {}): Promise<Snapshot> {
		const perClient = async (path: string, envelopeKey: string, qs: Record<string, QueryValue>) => {
			if (!options.clientIds) return await this.list(path, envelopeKey, qs);
			const pages = await mapLimited(options.clientIds, 2, async (clientId) => await this.list(path, envelopeKey, { ...qs, client_id: clientId }));
			return pages.flat();
		};
		const clients = await this.list('/Client', 'clients', { includeinactive: true });
		const contracts = await perClient('/ClientContract', 'contracts', { includeinactive: true });
		const invoices = await perClient('/RecurringInvoice', 'invoices', { includelines: true });
		const items = await this.list('/Item', 'items', { includeinactive: true });
		const assets = await perClient('/Asset', 'assets', options.includeInactiveAssets ? { includeinactive: true } : {});
		const wantedClients = options.clientIds && new Set(options.clientIds);

		const installedSoftware = options.includeInstalledSoftware
			? await this.readInstalledSoftware(assets.map((asset) => asset.id as number), options.softwareConcurrency)
			: undefined;
		return normalizeSnapshot({
			clients: wantedClients ? clients.filter((client) => wantedClients.has(Number(client.id))) : clients,
			contracts,
			invoices,
			items,
			assets,
			installedSoftware,
		});
	}

	/**
	 * `snapshot` with the installed software of `assetIds` read from Halo (one request per asset,
	 * `softwareConcurrency` at a time); every other asset's stays unknown. With the ids from
	 * `assetsNeedingInstalledSoftware(snapshot, policies, options)`, the plan for those policies
	 * is the one reading every asset's would give (see `DeploymentPlan.assetsNeedingInstalledSoftware`).
	 */
	async addInstalledSoftware(snapshot: Snapshot, assetIds: readonly number[], options: Pick<SnapshotLoadOptions, 'softwareConcurrency'> = {}): Promise<Snapshot> {
		const read = normalizeSnapshot({ installedSoftware: await this.readInstalledSoftware(assetIds, options.softwareConcurrency) });
		return { ...snapshot, installedSoftware: read.installedSoftware, installedSoftwareReadFor: new Set(assetIds) };
	}

	/** Halo documents no paged bulk read of installed software: GET /AssetSoftware?device_id= reads one asset's. */
	private async readInstalledSoftware(assetIds: readonly number[], concurrency = 4): Promise<Record<string, unknown>> {
		const software = await mapLimited([...assetIds], concurrency, async (deviceId) => await this.list('/AssetSoftware', null, { device_id: deviceId }));
		return Object.fromEntries(assetIds.map((assetId, index) => [String(assetId), software[index]]));
	}
}
