import { addDays } from './dates';
import type { Policy } from './policy/schema';
import type { RawSnapshot } from './types';

/** A small seeded PRNG (mulberry32), so generated tenants and policies are repeatable. */
export function seededRandom(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

export interface SyntheticOptions {
	seed?: number;
	clients?: number;
	assets?: number;
	policies?: number;
	/** the plan day the contract dates are spread around; default 2025-06-15 */
	date?: string;
	/** add installed software for every asset; default true */
	installedSoftware?: boolean;
}

export const SYNTHETIC_CONTRACT_TYPES = [
	'Managed Security',
	'Managed Workstation',
	'Managed Server',
	'Backup',
	'Break Fix',
	'Premium Support',
	'Cloud Essentials',
	'Compliance',
];
export const SYNTHETIC_ITEMS = [
	{ name: 'SentinelOne Complete', code: 'S1-COMPLETE' },
	{ name: 'Huntress EDR', code: 'HUNTRESS-EDR' },
	{ name: 'Datto Backup', code: 'DATTO-BCDR' },
	{ name: 'Microsoft 365 Business', code: 'M365-BP' },
	{ name: 'Password Manager', code: 'PWM' },
	{ name: 'DNS Filtering', code: 'DNSF' },
	{ name: 'Email Security', code: 'MAILSEC' },
	{ name: 'Vulnerability Scanning', code: 'VULN' },
	{ name: 'Patch Management', code: 'PATCH' },
	{ name: 'Remote Support', code: 'RMT' },
];
export const SYNTHETIC_ASSET_TYPES = ['Workstation', 'Laptop', 'Server', 'Virtual Machine', 'Firewall'];
const SOFTWARE = [
	'SentinelOne',
	'Huntress',
	'Datto Agent',
	'Microsoft Office',
	'Keeper',
	'DNSFilter',
	'Mimecast',
	'Nessus Agent',
	'Patch Agent',
	'ScreenConnect',
	'Bitdefender',
	'Veeam Agent',
	'Duo',
	'Zscaler',
	'Okta Verify',
	'Splashtop',
	'ThreatLocker',
	'Auvik Collector',
	'CrowdStrike',
	'Acronis Agent',
	'Liongard',
	'BrightGauge',
	'NinjaOne Agent',
	'Sophos Endpoint',
	'Webroot',
];

/**
 * A Halo-shaped tenant (Halo field names, doubles as ids, day-resolution dates) with contracts that
 * are in force, expired, future or flagged, recurring invoices with client-, contract- and
 * asset-linked lines, and assets spread over clients, linked to contracts through `contract_id`,
 * `contracts[]` (records or link rows) or the contract's `assets[]`, now and then to another client's
 * contract. For benchmarks and property tests.
 */
export function generateSyntheticSnapshot(options: SyntheticOptions = {}): RawSnapshot {
	const random = seededRandom(options.seed ?? 1);
	const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)];
	const clientCount = options.clients ?? 50;
	const assetCount = options.assets ?? 1000;
	const day = options.date ?? '2025-06-15';
	const around = () => addDays(day, Math.floor(random() * 1460) - 730);

	const clients = Array.from({ length: clientCount }, (_, index) => ({
		id: index + 1,
		name: `Client ${index + 1}`,
		inactive: random() < 0.02,
	}));
	const items = SYNTHETIC_ITEMS.map((item, index) => ({
		id: 100 + index,
		name: item.name,
		internalreference: item.code,
		isrecurringitem: true,
	}));

	const contracts: Array<Record<string, unknown>> = [];
	const contractsByClient = new Map<number, number[]>();
	for (const client of clients) {
		const count = 1 + Math.floor(random() * 3);
		for (let n = 0; n < count; n++) {
			const typeIndex = Math.floor(random() * SYNTHETIC_CONTRACT_TYPES.length);
			const start = random() < 0.1 ? null : around();
			const end = random() < 0.3 ? null : start ? addDays(start, 365 + Math.floor(random() * 730)) : around();
			const id = contracts.length + 1;
			contracts.push({
				id: `${id}.0`,
				client_id: client.id,
				ref: `C-${id}`,
				contracttype: typeIndex + 1,
				contracttype_name: SYNTHETIC_CONTRACT_TYPES[typeIndex],
				start_date: start ? `${start}T00:00:00` : '1900-01-01T00:00:00',
				end_date: end ? `${end}T00:00:00` : undefined,
				active: random() > 0.05,
				expired: random() < 0.05,
			});
			contractsByClient.set(client.id, [...(contractsByClient.get(client.id) ?? []), id]);
		}
	}

	const assets: Array<Record<string, unknown>> = [];
	const assetsByClient = new Map<number, number[]>();
	const warrantyDates = Array.from({ length: 8 }, around);
	for (let index = 0; index < assetCount; index++) {
		const client = clients[Math.floor(random() * clientCount)];
		const typeIndex = Math.floor(random() * SYNTHETIC_ASSET_TYPES.length);
		const ownContracts = contractsByClient.get(client.id) ?? [];
		const id = index + 1;
		const asset: Record<string, unknown> = {
			id,
			inventory_number: `PC-${id}`,
			client_id: client.id,
			client_name: client.name,
			site_id: client.id * 10,
			assettype_id: typeIndex + 1,
			assettype_name: SYNTHETIC_ASSET_TYPES[typeIndex],
			inactive: random() < 0.01,
			contract_id: random() < 0.3 ? pick(ownContracts) : 0,
			warranty_end: pick(warrantyDates),
		};
		const links = random();
		if (links < 0.15) asset.contracts = ownContracts.filter(() => random() < 0.6).map((contractId) => ({ id: contractId, ref: `C-${contractId}` }));
		else if (links < 0.2) asset.contracts = [{ id: 100_000 + id, contract_id: pick(ownContracts) }];
		else if (links < 0.23) asset.contracts = [{ id: 1 + Math.floor(random() * contracts.length) }];
		assets.push(asset);
		assetsByClient.set(client.id, [...(assetsByClient.get(client.id) ?? []), id]);
	}
	// Some contracts list their assets (as loaded with details).
	for (const contract of contracts) {
		const ownAssets = assetsByClient.get(contract.client_id as number) ?? [];
		if (ownAssets.length > 0 && random() < 0.2) contract.assets = ownAssets.filter(() => random() < 0.3).map((assetId) => ({ id: assetId }));
	}

	const invoices: Array<Record<string, unknown>> = [];
	let lineId = 1;
	for (const client of clients) {
		const ownContracts = contractsByClient.get(client.id) ?? [];
		const ownAssets = assetsByClient.get(client.id) ?? [];
		// one invoice per client, a second one on another contract now and then
		for (let count = random() < 0.25 ? 2 : 1; count > 0; count--) {
			const id = invoices.length + 1;
			const lines = Array.from({ length: 1 + Math.floor(random() * 4) }, () => {
				const item = pick(items);
				const assetLinked = ownAssets.length > 0 && random() < 0.15;
				return {
					id: lineId++,
					ihid: id,
					_itemid: item.id,
					item_code: item.internalreference,
					item_shortdescription: item.name,
					qty_order: assetLinked ? 1 : Math.floor(random() * Math.max(2, ownAssets.length * 1.3)),
					unit_price: 5,
					asset_id: assetLinked ? pick(ownAssets) : 0,
					// a line may name a contract of its own
					contract_id: random() < 0.08 ? pick(ownContracts) : 0,
					startdate: random() < 0.2 ? `${around()}T00:00:00` : undefined,
					enddate: random() < 0.2 ? `${around()}T00:00:00` : undefined,
					isinactive: random() < 0.05,
				};
			});
			invoices.push({
				id,
				client_id: client.id,
				client_name: client.name,
				contract_id: random() < 0.5 ? pick(ownContracts) : 0,
				disabled: random() < 0.05,
				lines,
			});
		}
	}

	const installedSoftware: Record<string, Array<{ name: string }>> = {};
	if (options.installedSoftware ?? true) {
		for (const asset of assets) {
			installedSoftware[String(asset.id)] = SOFTWARE.filter(() => random() < 0.25).map((name) => ({ name: `${name} 1.0` }));
		}
	}
	return { clients, contracts, invoices, items, assets, installedSoftware };
}

/** Policies of the kinds MSPs write: by contract type or recurring item, client-wide, asset- or contract-linked, with exclusions. */
export function generateSyntheticPolicies(options: SyntheticOptions = {}): Policy[] {
	const random = seededRandom((options.seed ?? 1) * 7919);
	const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)];
	const count = options.policies ?? 20;
	const clientCount = options.clients ?? 50;
	const policies: Policy[] = [];
	for (let index = 0; index < count; index++) {
		const software = SOFTWARE[Math.floor(index / 2) % SOFTWARE.length];
		const scope = random() < 0.7 ? 'client' : 'asset';
		// items also by the contract-linked rule; contract coverage has no contract types
		const itemScope = random() < 0.35 ? 'contract' : scope;
		const policy: Policy =
			index % 2 === 0 || random() < 0.5
				? {
						id: `p${index}`,
						software,
						effect: 'deploy',
						conditions: {
							all: [
								random() < 0.5
									? {
											fact: 'coverage',
											path: `$.${scope}.contractTypes`,
											operator: 'containsAny',
											value: [pick(SYNTHETIC_CONTRACT_TYPES), pick(SYNTHETIC_CONTRACT_TYPES)],
										}
									: {
											fact: 'coverage',
											path: `$.${itemScope}.items`,
											operator: 'containsAny',
											value: [pick(SYNTHETIC_ITEMS).code],
										},
							],
						},
					}
				: {
						id: `p${index}`,
						software,
						effect: 'exclude',
						conditions: {
							any: [
								{ fact: 'client', path: '$.inactive', operator: 'equal', value: true },
								{ fact: 'asset', path: '$.fields.warranty_end', operator: 'dateBefore', value: 'today-365' },
							],
						},
					};
		if (random() < 0.4) policy.assetTypes = [pick(SYNTHETIC_ASSET_TYPES), pick(SYNTHETIC_ASSET_TYPES)];
		if (random() < 0.3) policy.clients = { exclude: [`Client ${1 + Math.floor(random() * clientCount)}`] };
		if (random() < 0.3) policy.removeWhenCoverageEnds = true;
		policies.push(policy);
	}
	return policies;
}
