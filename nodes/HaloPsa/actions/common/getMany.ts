import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { clientLocator, returnAllAndLimit, simplifyField } from '../../helpers/descriptions';
import { simplifyRecords } from '../../helpers/simplify';
import { optionalId } from '../../helpers/values';
import { haloApiRequestAllItems } from '../../transport';
import type { HaloOperation } from '../resources';
import { rateLimitOptions, showOnlyFor } from './fields';

/** One entry of a list's Filters collection and the Halo query parameter it fills. */
export interface QueryFilter {
	field: INodeProperties;
	/** Halo's query parameter, e.g. `client_id` */
	query: string;
	/** checked and sent as a whole-number ID */
	isId?: boolean;
}

/** A Halo list endpoint as the node lists it. */
export interface HaloList {
	resource: string;
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
export function idFilter(query: string, field: Omit<INodeProperties, 'type' | 'default'>): QueryFilter {
	return { query, isId: true, field: { type: 'string', default: '', placeholder: 'e.g. 12', ...field } };
}

/** The filter that narrows a list to one client, with the client locator. */
export function clientFilter(plural: string): QueryFilter {
	return {
		query: 'client_id',
		isId: true,
		field: { ...clientLocator(), description: `Only ${plural} of this client` },
	};
}

export function searchFilter(description: string): QueryFilter {
	return {
		query: 'search',
		field: { displayName: 'Search', name: 'search', type: 'string', default: '', description },
	};
}

export function includeInactiveFilter(plural: string): QueryFilter {
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

const byDisplayName = (a: INodeProperties, b: INodeProperties) => a.displayName.localeCompare(b.displayName);

/**
 * Return All, Limit, the Filters collection, Simplify and Options for one resource's list.
 * `extraFields` (e.g. an "Include Assets" switch) go between Limit and Filters.
 */
export function getManyFields(
	resource: string,
	filters: INodeProperties[],
	extraFields: INodeProperties[] = [],
	operation = 'getMany',
): INodeProperties[] {
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
	return showOnlyFor(resource, operation, fields);
}

/** Builds the query string from the filters the user set; unset filters send nothing. */
export function readQueryFilters(this: IExecuteFunctions, itemIndex: number, filters: QueryFilter[]): IDataObject {
	const qs: IDataObject = {};
	for (const { field, query, isId } of filters) {
		const parameter = `filters.${field.name}`;
		const value = isId
			? optionalId.call(this, parameter, field.displayName, itemIndex)
			: this.getNodeParameter(parameter, itemIndex, '');
		if (value !== '' && value !== undefined && value !== null) qs[query] = value as string | number | boolean;
	}
	return qs;
}

/**
 * Lists rows with the user's Return All / Limit. A `keep` test (for filters Halo's API does not
 * offer) must see every row before the limit is applied, so it makes the list read in full.
 */
export async function listRows(
	this: IExecuteFunctions,
	itemIndex: number,
	list: Pick<HaloList, 'path' | 'envelopeKey' | 'fixedQuery'>,
	qs: IDataObject,
	keep?: (row: IDataObject) => boolean,
): Promise<IDataObject[]> {
	const returnAll = this.getNodeParameter('returnAll', itemIndex, false) as boolean;
	const limit = returnAll ? undefined : (this.getNodeParameter('limit', itemIndex, 50) as number);
	const rows = await haloApiRequestAllItems.call(this, list.path, list.envelopeKey, {
		qs: { ...list.fixedQuery, ...qs },
		itemIndex,
		limit: keep ? undefined : limit,
	});
	if (!keep) return rows;
	const kept = rows.filter(keep);
	return limit === undefined ? kept : kept.slice(0, limit);
}

/** Applies the Simplify switch of the operation being run. */
export function finishRows(this: IExecuteFunctions, itemIndex: number, rows: IDataObject[], simplifiedFields: string[]): IDataObject[] {
	return simplifyRecords(rows, simplifiedFields, this.getNodeParameter('simplify', itemIndex, true) as boolean);
}

/** A complete Get Many operation for a list whose filters all map to Halo query parameters. */
export function createGetManyOperation(list: HaloList, filters: QueryFilter[]): HaloOperation {
	return {
		description: getManyFields(
			list.resource,
			filters.map((filter) => filter.field),
		),
		async execute(this: IExecuteFunctions, itemIndex: number) {
			const qs = readQueryFilters.call(this, itemIndex, filters);
			const rows = await listRows.call(this, itemIndex, list, qs);
			return finishRows.call(this, itemIndex, rows, list.simplifiedFields);
		},
	};
}
