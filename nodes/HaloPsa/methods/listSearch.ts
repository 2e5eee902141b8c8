import type { IDataObject, ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { outcomeName } from '../helpers/outcomes';
import { hasMoreRows } from '../../../halo-client';
import { getHaloBaseUrl, haloApiRequestAllItems, haloApiRequestPage } from '../../transport';

const SEARCH_PAGE_SIZE = 50;

/** Where the next list-search page starts: Halo's page number and the rows already shown. */
interface SearchPosition {
	pageNo: number;
	seen: number;
}

function readPosition(paginationToken: string | undefined): SearchPosition {
	const [pageNo, seen] = String(paginationToken ?? '').split(':').map(Number);
	return Number.isInteger(pageNo) && pageNo > 1 && Number.isInteger(seen) && seen >= 0 ? { pageNo, seen } : { pageNo: 1, seen: 0 };
}

/**
 * One page of a paged Halo list as list-search results. The token carries the next page number
 * and the rows shown so far, so the end is found by `record_count` whatever page size Halo used.
 */
async function searchPage(
	this: ILoadOptionsFunctions,
	path: string,
	envelopeKey: string,
	qs: IDataObject,
	paginationToken: string | undefined,
	toResult: (row: IDataObject) => { name: string; value: string | number; url?: string },
): Promise<INodeListSearchResult> {
	const { pageNo, seen } = readPosition(paginationToken);
	const page = await haloApiRequestPage.call(this, path, envelopeKey, pageNo, SEARCH_PAGE_SIZE, { qs });
	const rows = page.rows.filter(Boolean);
	const shown = seen + rows.length;
	const more = hasMoreRows(page, shown, SEARCH_PAGE_SIZE);
	return { results: rows.map(toResult), paginationToken: more ? `${pageNo + 1}:${shown}` : undefined };
}

export async function searchTickets(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const baseUrl = await getHaloBaseUrl.call(this);
	const qs: IDataObject = { order: 'id', orderdesc: true, ...(filter ? { search: filter } : {}) };
	return await searchPage.call(this, '/Tickets', 'tickets', qs, paginationToken, (ticket) => ({
		name: `#${String(ticket.id)} ${String(ticket.summary ?? '')}`.trim(),
		value: String(ticket.id),
		url: `${baseUrl}/ticket?id=${String(ticket.id)}`,
	}));
}

export async function searchClients(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const baseUrl = await getHaloBaseUrl.call(this);
	const qs: IDataObject = filter ? { search: filter } : {};
	return await searchPage.call(this, '/Client', 'clients', qs, paginationToken, (client) => ({
		name: String(client.name ?? `#${String(client.id)}`),
		value: String(client.id),
		url: `${baseUrl}/customers?clientid=${String(client.id)}`,
	}));
}

export async function searchOutcomes(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	const outcomes = await haloApiRequestAllItems.call(this, '/Outcome', null);
	const wanted = (filter ?? '').trim().toLowerCase();
	return {
		results: outcomes
			.filter((outcome) => !wanted || outcomeName(outcome).toLowerCase().includes(wanted))
			.map((outcome) => ({ name: outcomeName(outcome) || `#${String(outcome.id)}`, value: String(outcome.id) })),
	};
}
