import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { clientLocator, rateLimitOptions, returnAllAndLimit, simplifyField } from '../helpers/descriptions';
import { simplifier } from '../helpers/simplify';
import { optionalId } from '../helpers/values';
import { haloApiRequestAllItems } from '../../transport';
import type { HaloOperation } from './resources';

type RowTest = (row: IDataObject) => boolean;

/**
 * One entry of a list's Filters collection: either a Halo query parameter, or, for filters
 * Halo's API lacks, a test the node applies to every row it reads.
 */
export interface ListFilter {
	field: INodeProperties;
	/** Halo's query parameter, e.g. `client_id` */
	query?: string;
	/** checked and sent as a whole-number ID */
	isId?: boolean;
	/** builds the row test from the filter's value */
	rowTest?: (this: IExecuteFunctions, value: unknown, itemIndex: number) => RowTest;
}

/** A Halo list endpoint as the node lists it. */
export interface HaloList {
	/** e.g. `/Client`, relative to `{base}/api` */
	path: string;
	/** the key Halo wraps rows in, null when it answers a bare array */
	envelopeKey: string | null;
	/** the fields Simplify keeps */
	simplifiedFields: string[];
	/** query parameters every request carries, e.g. `includelines` */
	fixedQuery?: IDataObject;
}

/** A filter by the ID of a related record, e.g. `site_id`. */
export function idFilter(query: string, field: Omit<INodeProperties, 'type' | 'default'>): ListFilter {
	return { query, isId: true, field: { type: 'string', default: '', placeholder: 'e.g. 12', ...field } };
}

/** The filter that narrows a list to one client, with the client locator. */
export function clientFilter(plural: string): ListFilter {
	return {
		query: 'client_id',
		isId: true,
		field: { ...clientLocator(), description: `Only ${plural} of this client` },
	};
}

export function searchFilter(description: string): ListFilter {
	return {
		query: 'search',
		field: { displayName: 'Search', name: 'search', type: 'string', default: '', description },
	};
}

export function includeInactiveFilter(plural: string): ListFilter {
	return {
		query: 'includeinactive',
		field: {
			displayName: 'Include Inactive',
			name: 'includeInactive',
			type: 'boolean',
			default: false,
			description: `Whether to include inactive ${plural}`,
		},
	};
}

/**
 * Search for the bare-array lists (Agent, Team) whose `search` parameter Halo does not honour
 * everywhere: the node matches the text, in any case, against the given fields.
 */
export function localSearchFilter(description: string, searchedFields: string[]): ListFilter {
	return {
		field: { displayName: 'Search', name: 'search', type: 'string', default: '', description },
		rowTest: (value) => {
			const wanted = String(value).trim().toLowerCase();
			return (row) => searchedFields.some((name) => String(row[name] ?? '').toLowerCase().includes(wanted));
		},
	};
}

const byDisplayName = (a: INodeProperties, b: INodeProperties) => a.displayName.localeCompare(b.displayName);

/**
 * Return All, Limit, the Filters collection, Simplify and Options of a list operation.
 * `extraFields` (e.g. an "Include Assets" switch) go between Limit and Filters.
 */
export function listFields(filters: INodeProperties[], extraFields: INodeProperties[] = []): INodeProperties[] {
	const fields: INodeProperties[] = [...returnAllAndLimit, ...extraFields];
	if (filters.length) {
		fields.push({
			displayName: 'Filters',
			name: 'filters',
			type: 'collection',
			placeholder: 'Add Filter',
			default: {},
			options: [...filters].sort(byDisplayName),
		});
	}
	fields.push(simplifyField, rateLimitOptions);
	return fields;
}

/** Reads the filters the user set into Halo's query and the row test for the rest; unset filters do nothing. */
export function readListFilters(
	this: IExecuteFunctions,
	itemIndex: number,
	filters: ListFilter[],
): { qs: IDataObject; keep?: RowTest } {
	const qs: IDataObject = {};
	const tests: RowTest[] = [];
	for (const { field, query, isId, rowTest } of filters) {
		const parameter = `filters.${field.name}`;
		const value = isId
			? optionalId.call(this, parameter, field.displayName, itemIndex)
			: this.getNodeParameter(parameter, itemIndex, '', { extractValue: true });
		if (value === '' || value === undefined || value === null) continue;
		if (query) qs[query] = value as string | number | boolean;
		if (rowTest) tests.push(rowTest.call(this, value, itemIndex));
	}
	return { qs, keep: tests.length ? (row) => tests.every((test) => test(row)) : undefined };
}

/**
 * Lists rows with the user's Return All / Limit; `mapRow` (e.g. Simplify) turns each row into the
 * one returned as its page arrives. A `keep` test (for filters Halo's API does not offer) must see
 * every raw row before the limit is applied, so it makes the list read in full.
 */
export async function listRows(
	this: IExecuteFunctions,
	itemIndex: number,
	list: Pick<HaloList, 'path' | 'envelopeKey' | 'fixedQuery'>,
	qs: IDataObject,
	keep?: RowTest,
	mapRow?: (row: IDataObject) => IDataObject,
): Promise<IDataObject[]> {
	const returnAll = this.getNodeParameter('returnAll', itemIndex, false) as boolean;
	const limit = returnAll ? undefined : (this.getNodeParameter('limit', itemIndex, 50) as number);
	const request = { qs: { ...list.fixedQuery, ...qs }, itemIndex };
	if (!keep) return await haloApiRequestAllItems.call(this, list.path, list.envelopeKey, { ...request, limit, mapRow });
	const kept = (await haloApiRequestAllItems.call(this, list.path, list.envelopeKey, request)).filter(keep);
	const limited = limit === undefined ? kept : kept.slice(0, limit);
	return mapRow ? limited.map(mapRow) : limited;
}

/** A complete Get Many operation: filters, Return All / Limit, Simplify. */
export function createListRecordsOperation(
	list: HaloList & { option: HaloOperation['option'] },
	filters: ListFilter[],
): HaloOperation {
	return {
		option: list.option,
		properties: listFields(filters.map((filter) => filter.field)),
		async execute(this: IExecuteFunctions, itemIndex: number) {
			const { qs, keep } = readListFilters.call(this, itemIndex, filters);
			return await listRows.call(this, itemIndex, list, qs, keep, simplifier.call(this, itemIndex, list.simplifiedFields));
		},
	};
}
