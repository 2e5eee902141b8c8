import type { Access, Area } from '../auth';
import { dotNetError, modelError, ok, withPrefix, type Query, type Reply } from '../http';
import { integerFrom } from '../numbers';
import type { SandboxState } from '../state';
import type { HaloStore } from '../store';
import type { Agent } from '../types';
import { bindArray, type Schema } from '../validation';

export interface RouteContext {
	state: SandboxState;
	store: HaloStore;
	params: Record<string, string>;
	query: Query;
	/** Parsed JSON body (POST only). */
	body: unknown;
	/** The agent the token logs in as. */
	agent: Agent;
	now: number;
}

export interface ApiRoute {
	method: 'GET' | 'POST' | 'DELETE';
	/** Lower-case path pattern with `:name` parameters, e.g. `/api/tickets/:id`. */
	pattern: string;
	area: Area;
	access: Access;
	handle(context: RouteContext): Reply | Promise<Reply>;
}

/** A numeric path parameter; Halo answers 400 for one that is not a number. */
export function idParam(context: RouteContext, name = 'id'): number {
	const raw = context.params[name];
	const id = integerFrom(raw);
	if (id === undefined) throw modelError({ [name]: [`The value '${raw}' is not valid.`] });
	return id;
}

export interface Page<T> {
	rows: T[];
	total: number;
	paged: boolean;
	pageNo: number;
	requestedPageSize: number;
}

/** Halo caps every page at 100 rows whatever `page_size` asks. */
export const maxPageSize = 100;
const defaultPageSize = 50;

/**
 * Applies `pageinate/page_size/page_no` (or `count` without paging) to candidate rows already
 * in order; `matches` filters them in the same pass, so only one page is ever materialised.
 */
export function pageOf<T>(query: Query, candidates: readonly T[], matches: ((row: T) => boolean) | null): Page<T> {
	const paged = query.bool('pageinate') ?? false;
	const requestedPageSize = query.int('page_size') ?? defaultPageSize;
	const pageNo = Math.max(1, query.int('page_no') ?? 1);
	let start = 0;
	let end = Number.POSITIVE_INFINITY;
	if (paged) {
		const size = Math.min(Math.max(1, requestedPageSize), maxPageSize);
		start = (pageNo - 1) * size;
		end = start + size;
	} else {
		const count = query.int('count');
		if (count !== undefined && count >= 0) end = count;
	}
	if (!matches) {
		return { rows: candidates.slice(start, end), total: candidates.length, paged, pageNo, requestedPageSize };
	}
	const rows: T[] = [];
	let total = 0;
	for (const row of candidates) {
		if (!matches(row)) continue;
		if (total >= start && total < end) rows.push(row);
		total += 1;
	}
	return { rows, total, paged, pageNo, requestedPageSize };
}

/** The `{ page_no, page_size, record_count, <key>: [...] }` envelope Halo wraps lists in. */
export function envelope<T>(page: Page<T>, key: string, view: (row: T) => unknown): Record<string, unknown> {
	const body: Record<string, unknown> = {};
	if (page.paged) {
		body.page_no = page.pageNo;
		// Halo echoes the size that was asked for, not the 100 it actually served.
		body.page_size = page.requestedPageSize;
	}
	body.record_count = page.total;
	body[key] = page.rows.map(view);
	return body;
}

/** Combines predicates; null when there is nothing to filter. */
export function allOf<T>(predicates: Array<((row: T) => boolean) | false | undefined>): ((row: T) => boolean) | null {
	const active = predicates.filter((predicate): predicate is (row: T) => boolean => typeof predicate === 'function');
	if (active.length === 0) return null;
	if (active.length === 1) return active[0];
	return (row) => active.every((predicate) => predicate(row));
}

export function containsText(haystacks: Array<string | undefined>, needle: string): boolean {
	const lower = needle.toLowerCase();
	return haystacks.some((text) => text?.toLowerCase().includes(lower));
}

/** One validated record of an array POST, ready to be written. */
export interface PreparedWrite {
	created: boolean;
	/** Writes the record and fires its webhook events; answers its body. Runs only after every record validated. */
	commit(): unknown;
}

/**
 * The array-bodied POST of every Halo entity: binds the body, validates every record (one with
 * an id updates) before writing any, so a bad element leaves the whole POST unwritten and fires
 * no event; then writes them in order. One object back for a one-element array, an array otherwise.
 */
export function arrayPost(
	context: RouteContext,
	schema: Schema,
	prepare: (record: Record<string, unknown>, index: number) => PreparedWrite,
	doubleKeys?: readonly string[],
): Reply {
	const records = bindArray(context.body, schema);
	const prepared = records.map((record, index) => {
		try {
			return prepare(record, index);
		} catch (error) {
			throw records.length > 1 ? withPrefix(error, `Record [${index}]`) : error;
		}
	});
	const bodies = prepared.map((write) => write.commit());
	const status = prepared.every((write) => write.created) ? 201 : 200;
	return { status, body: bodies.length === 1 ? bodies[0] : bodies, doubleKeys };
}

/** An existing row for an update, or 404. */
export function existing<T>(row: T | undefined, entity: string, id: unknown): T {
	if (row === undefined) throw dotNetError(404, `${entity} ${String(id)} not found`, 'System.Collections.Generic.KeyNotFoundException');
	return row;
}

/** Assigns the bound fields of `record` that the row has. */
export function assignFields<T extends object>(row: T, record: Record<string, unknown>, fields: ReadonlyArray<keyof T & string>): void {
	for (const field of fields) {
		if (record[field] !== undefined) (row as Record<string, unknown>)[field] = record[field];
	}
}

export { ok };
