import type { IDataObject, ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { outcomeName } from '../helpers/outcomes';
import { getHaloBaseUrl, haloApiRequest, haloApiRequestAllItems } from '../transport';

const SEARCH_PAGE_SIZE = 50;

/** One page of a paged Halo list as list-search results; the token is the next page number. */
async function searchPage(
	this: ILoadOptionsFunctions,
	path: string,
	envelopeKey: string,
	qs: IDataObject,
	paginationToken: string | undefined,
	toResult: (row: IDataObject) => { name: string; value: string | number; url?: string },
): Promise<INodeListSearchResult> {
	const pageNo = Number(paginationToken ?? 1) || 1;
	const answer = (await haloApiRequest.call(this, 'GET', path, {
		qs: { ...qs, pageinate: true, page_size: SEARCH_PAGE_SIZE, page_no: pageNo },
	})) as IDataObject;
	const rows = ((answer?.[envelopeKey] as IDataObject[] | undefined) ?? []).filter(Boolean);
	const total = Number(answer?.record_count);
	const seen = (pageNo - 1) * SEARCH_PAGE_SIZE + rows.length;
	const more = rows.length > 0 && (Number.isFinite(total) ? seen < total : rows.length >= SEARCH_PAGE_SIZE);
	return { results: rows.map(toResult), paginationToken: more ? String(pageNo + 1) : undefined };
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
