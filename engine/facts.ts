import type { CoverageKeys, CoverageScope, CoverageSet } from './coverage';
import { SCOPE_FIELDS } from './coverage';
import type { HaloAsset, HaloClient } from './types';

/** What a path points at, so the schema can tell list operators from scalar ones. */
export type FactValueKind = 'list' | 'text' | 'number' | 'boolean' | 'date' | 'scalar';

export interface ClientFact {
	id: number;
	name: string;
	inactive: boolean;
}

/** The asset as normalised: conditions read the paths listed in {@link FACT_CATALOG}. */
export type AssetFact = HaloAsset;

export interface CoverageFact {
	client: CoverageKeys;
	asset: CoverageKeys;
	/** only the item lists are readable (see {@link SCOPE_FIELDS}); the others stay empty */
	contract: CoverageKeys;
}

export interface SoftwareFact {
	/** false when the installed software of the asset was not loaded */
	known: boolean;
	/** installed software names, lower case */
	names: string[];
}

export interface ContextFact {
	date: string;
	timeZone: string;
}

export interface AssetFacts {
	client: ClientFact;
	asset: AssetFact;
	coverage: CoverageFact;
	software: SoftwareFact;
	context: ContextFact;
}

export type FactName = keyof AssetFacts;

const coveragePaths = (scope: CoverageScope) =>
	Object.fromEntries(SCOPE_FIELDS[scope].map((field) => [`$.${scope}.${field}`, 'list' as FactValueKind]));

/** Every path a condition may read, by fact. `asset.fields.<name>` is open: Halo assets carry custom fields. */
export const FACT_CATALOG: Record<FactName, Record<string, FactValueKind>> = {
	client: { '$.id': 'number', '$.name': 'text', '$.inactive': 'boolean' },
	asset: {
		'$.id': 'number',
		'$.name': 'text',
		'$.typeId': 'number',
		'$.typeName': 'text',
		'$.siteId': 'number',
		'$.clientId': 'number',
		'$.inactive': 'boolean',
		'$.contractIds': 'list',
	},
	coverage: { ...coveragePaths('client'), ...coveragePaths('asset'), ...coveragePaths('contract') },
	software: { '$.known': 'boolean', '$.names': 'list' },
	context: { '$.date': 'date', '$.timeZone': 'text' },
};

export const OPEN_PATH_PREFIXES: Partial<Record<FactName, string>> = { asset: '$.fields.' };

export const FACT_NAMES = Object.keys(FACT_CATALOG) as FactName[];

/** The kind of value at `path` of `fact`, or undefined when the path is not known. */
export function pathKind(fact: FactName, path: string): FactValueKind | undefined {
	const known = FACT_CATALOG[fact][path];
	if (known) return known;
	const open = OPEN_PATH_PREFIXES[fact];
	return open && path.startsWith(open) && /^[A-Za-z0-9_]+$/.test(path.slice(open.length)) ? 'scalar' : undefined;
}

const pathSegments = new Map<string, string[]>();

/** Reads `$.a.b` paths; the schema only lets such plain paths through, so JSONPath is not needed. */
export function resolvePath(value: unknown, path: string): unknown {
	let segments = pathSegments.get(path);
	if (!segments) {
		segments = path === '$' ? [] : path.replace(/^\$\./, '').split('.');
		pathSegments.set(path, segments);
	}
	let current = value;
	for (const segment of segments) {
		if (current === null || typeof current !== 'object') return undefined;
		current = (current as Record<string, unknown>)[segment];
	}
	return current;
}

export function clientFact(client: HaloClient | undefined, asset: HaloAsset): ClientFact {
	return client
		? { id: client.id, name: client.name, inactive: client.inactive }
		: { id: asset.clientId, name: asset.clientName, inactive: false };
}

export function coverageFact(client: CoverageSet, asset: CoverageSet, contract: CoverageSet): CoverageFact {
	return { client: client.keys, asset: asset.keys, contract: contract.keys };
}
