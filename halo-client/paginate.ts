/** Halo's paging loop: `pageinate=true&page_size=N&page_no=1..` until `record_count` is reached. */

import { AheadRequestDeferred } from './request';

export interface HaloPage<T> {
	rows: T[];
	/** Halo's `record_count` (the total over all pages), when the answer carried one */
	recordCount?: number;
}

/**
 * Fetches one page. `ahead` marks a page asked while another of the list is on its way: it may
 * reject with AheadRequestDeferred (Halo's rate limit held it back), and the pager then asks it
 * again, not ahead, when it is the page to read.
 */
export type FetchHaloPage<T> = (pageNo: number, pageSize: number, ahead: boolean) => Promise<HaloPage<T>>;

export interface PaginateOptions<T = unknown, U = T> {
	/** stop after this many rows; undefined = all rows */
	limit?: number;
	/**
	 * Turns each page's rows into the rows kept (e.g. simplified) as the page arrives, so a long
	 * list never holds its raw rows and the kept ones together. It must keep one row per row:
	 * `limit` and `record_count` count rows either way.
	 */
	mapRow?: (row: T) => U;
	/** the page size to ask for; Halo caps pages at 100 whatever is asked */
	pageSize?: number;
	/** guard against a server that ignores `page_no` and repeats itself forever */
	maxPages?: number;
}

export const HALO_MAX_PAGE_SIZE = 100;

/**
 * Page requests a list keeps open at once once the first page has told how many pages it needs:
 * the next page travels while this one is read, which hides Halo's time per page without asking
 * for anything the list would not have asked for anyway.
 */
export const PAGES_IN_FLIGHT = 2;

/**
 * Collects rows page by page. The size of the page actually returned decides nothing except
 * "an empty page means the end": Halo may answer fewer rows than asked (it caps pages at 100),
 * so the loop runs until `record_count` rows are in, the limit is reached, or a page is empty.
 * Without a `record_count`, a page shorter than the first one also ends the list.
 *
 * Once the first page has given `record_count`, the pages the list needs (by that count, the limit
 * and the first page's length) are asked for up to PAGES_IN_FLIGHT at a time, in order, and read in
 * order; without one, one page at a time. A list that ends early (an empty page, a server that
 * repeats page 1) may so have asked for one page it does not read. A page asked ahead never waits
 * for Halo's rate limit: held back by it, it is asked again in its turn, and waits then.
 */
export async function paginate<T, U = T>(fetchPage: FetchHaloPage<T>, options: PaginateOptions<T, U> = {}): Promise<U[]> {
	const limit = options.limit !== undefined && options.limit >= 0 ? Math.floor(options.limit) : undefined;
	if (limit === 0) return [];
	const requestedPageSize = Math.max(1, Math.floor(options.pageSize ?? HALO_MAX_PAGE_SIZE));
	const pageSize = limit !== undefined ? Math.min(requestedPageSize, limit) : requestedPageSize;
	const maxPages = options.maxPages ?? 10_000;

	const mapRow = options.mapRow;
	const rows: U[] = [];
	let firstPageLength: number | undefined;
	let previousFirstRow: string | undefined;
	// Pages asked for and not read yet, in page order: asked[0] is always the page read next.
	const asked: Array<Promise<HaloPage<T>>> = [];
	let nextToAsk = 1;
	const askUpTo = (lastPageNo: number) => {
		while (nextToAsk <= Math.min(lastPageNo, maxPages) && asked.length < PAGES_IN_FLIGHT) {
			const page = fetchPage(nextToAsk++, pageSize, asked.length > 0);
			// A page asked ahead may go unread (the list ended or failed first); its failure is not news.
			page.catch(() => undefined);
			asked.push(page);
		}
	};
	// The last page the list needs, known once the first page gives record_count; until then, the page read.
	let lastPageNeeded = 1;
	for (let pageNo = 1; pageNo <= maxPages; pageNo++) {
		askUpTo(Math.max(pageNo, lastPageNeeded));
		const page = await asked.shift()!.then(undefined, async (error: unknown) => {
			// Deferred by Halo's rate limit: asked again, now the page to read, and so waiting for its slot.
			if (error instanceof AheadRequestDeferred) return await fetchPage(pageNo, pageSize, false);
			throw error;
		});
		if (page.rows.length === 0) break;
		if (pageNo === 1 && page.recordCount !== undefined) {
			const rowsNeeded = limit !== undefined ? Math.min(limit, page.recordCount) : page.recordCount;
			lastPageNeeded = Math.ceil(rowsNeeded / page.rows.length);
			askUpTo(lastPageNeeded);
		}

		// A server that ignores page_no sends page 1 again; keeping it would duplicate rows.
		const firstRow = JSON.stringify(page.rows[0]);
		if (pageNo > 1 && firstRow === previousFirstRow) break;
		previousFirstRow = firstRow;

		const wanted = limit !== undefined ? Math.min(page.rows.length, limit - rows.length) : page.rows.length;
		for (let index = 0; index < wanted; index++) {
			const row = page.rows[index];
			rows.push(mapRow ? mapRow(row) : (row as unknown as U));
		}
		if (limit !== undefined && rows.length >= limit) return rows;
		if (page.recordCount !== undefined) {
			if (rows.length >= page.recordCount) break;
		} else {
			firstPageLength ??= page.rows.length;
			if (page.rows.length < firstPageLength) break;
		}
	}
	return rows;
}

/**
 * Whether a paged list goes on after `seen` rows, the last page being `page`. `record_count`
 * decides when Halo sent it; otherwise only a page as long as the one asked for means more.
 */
export function hasMoreRows(page: HaloPage<unknown>, seen: number, requestedPageSize: number): boolean {
	if (page.rows.length === 0) return false;
	return page.recordCount !== undefined ? seen < page.recordCount : page.rows.length >= requestedPageSize;
}

/**
 * Splits one Halo list answer into rows and `record_count`. `envelopeKey` null means Halo answers
 * a bare array (Agent, Status, Outcome, ...); some endpoints answer bare arrays on some
 * tenants even where an envelope is documented, so a bare array is accepted everywhere.
 */
export function readHaloPage<T = Record<string, unknown>>(body: unknown, envelopeKey: string | null): HaloPage<T> {
	if (Array.isArray(body)) return { rows: body as T[] };
	if (!body || typeof body !== 'object') return { rows: [] };
	const envelope = body as Record<string, unknown>;
	const rows = envelopeKey ? findEnvelopeRows(envelope, envelopeKey) : undefined;
	const recordCount = Number(envelope.record_count);
	return {
		rows: (rows ?? []) as T[],
		recordCount: Number.isFinite(recordCount) && envelope.record_count !== null ? recordCount : undefined,
	};
}

function findEnvelopeRows(envelope: Record<string, unknown>, envelopeKey: string): unknown[] | undefined {
	if (Array.isArray(envelope[envelopeKey])) return envelope[envelopeKey] as unknown[];
	const lower = envelopeKey.toLowerCase();
	const key = Object.keys(envelope).find((candidate) => candidate.toLowerCase() === lower);
	return key && Array.isArray(envelope[key]) ? (envelope[key] as unknown[]) : undefined;
}
