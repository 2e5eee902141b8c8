import { randomUUID } from 'node:crypto';
import type { IDataObject } from 'n8n-workflow';

const HTML_TAG = /<\/?[a-z][^>]*>/i;

function escapeHtml(text: string): string {
	return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** The HTML body Halo shows (`note_html`, `details_html`): HTML is kept, plain text keeps its line breaks. */
export function toHtmlBody(text: string): string {
	return HTML_TAG.test(text) ? text : escapeHtml(text).replace(/\r?\n/g, '<br>');
}

/** Plain text of an HTML body, for comparing bodies whatever markup Halo added. */
export function toPlainText(html: unknown): string {
	return String(html ?? '')
		.replace(/<br\s*\/?>/gi, '\n')
		.replace(/<!--[\s\S]*?-->/g, '')
		.replace(/<[^>]+>/g, '')
		.replace(/&lt;/g, '<')
		.replace(/&gt;/g, '>')
		.replace(/&amp;/g, '&')
		.replace(/\s+/g, ' ')
		.trim();
}

/*
 * Write markers. A note or ticket written by the node carries, at the end of its HTML body, an
 * HTML comment with a random id: `<!-- n8n-write:1b4e28ba-... -->`, or with the write's
 * idempotency key: `<!-- n8n-write:key:<the key, URI-encoded>; -->`. Browsers, Halo's ticket view
 * and email clients do not show comments, and the plain `note` / `details` text stays as typed.
 * After an ambiguous failure the marker tells the record this request wrote from an older one
 * with the same text, so a retry neither duplicates the write nor takes an old record for it; a
 * key's marker also finds the write of an earlier run with the same key.
 */
const MARKER_PREFIX = 'n8n-write:';
const KEY_MARKER_PREFIX = `${MARKER_PREFIX}key:`;

/** The marker of one write: the idempotency key's when there is one, else a random id. */
export function writeMarker(idempotencyKey?: string): string {
	// URI encoding keeps the comment unbroken (no `>`, no `--` runs into it) and `;` ends the key,
	// which encoding never leaves bare, so key "a" does not match key "ab".
	if (idempotencyKey !== undefined) return `${KEY_MARKER_PREFIX}${encodeURIComponent(idempotencyKey)};`;
	return `${MARKER_PREFIX}${randomUUID()}`;
}

export function withWriteMarker(html: string, marker: string): string {
	return `${html}<!-- ${marker} -->`;
}

const KEY_MARKER_COMMENT = /<!-- n8n-write:key:[^;>]*; -->/g;

/**
 * An HTML body with the idempotency-key markers of the writes before (the last `keep` of them)
 * and `marker` after them, for an update that writes the body again: the markers of earlier
 * updates stay, so their repeats are still found.
 */
export function withKeyMarkers(html: string, earlierBody: string, marker: string, keep: number): string {
	const earlier = (earlierBody.match(KEY_MARKER_COMMENT) ?? []).filter((comment) => !comment.includes(marker)).slice(-keep);
	return `${html.replace(KEY_MARKER_COMMENT, '')}${earlier.join('')}<!-- ${marker} -->`;
}

export function carriesMarker(record: IDataObject, marker: string, fields: string[]): boolean {
	return fields.some((field) => typeof record[field] === 'string' && (record[field] as string).includes(marker));
}

/**
 * The record among `candidates` that carries `marker`, the one with the lowest id when several do
 * (writes with one idempotency key that ran at the same moment: the first one Halo saved). It is
 * looked for in `bodyField` (where it was written) and `alsoIn` (fields Halo may copy the HTML
 * to). A candidate whose row lacks `bodyField` (a list that leaves bodies out) and that `mayBeIt`
 * cannot rule out is read in full with `readOne` and checked there.
 */
export async function findMarkedRecord(
	candidates: IDataObject[],
	marker: string,
	options: {
		bodyField: string;
		alsoIn?: string[];
		mayBeIt: (row: IDataObject) => boolean;
		readOne: (row: IDataObject) => Promise<IDataObject>;
	},
): Promise<IDataObject | undefined> {
	const fields = [options.bodyField, ...(options.alsoIn ?? [])];
	// A random marker is on one record at most: the first found is it, and reading stops there.
	const onOneOnly = !marker.startsWith(KEY_MARKER_PREFIX);
	const marked = candidates.filter((row) => carriesMarker(row, marker, fields));
	for (const row of candidates) {
		if (onOneOnly && marked.length > 0) break;
		if (typeof row[options.bodyField] === 'string' || !options.mayBeIt(row)) continue;
		const full = await options.readOne(row);
		if (carriesMarker(full, marker, fields)) marked.push(full);
	}
	return lowestId(marked);
}

function lowestId(records: IDataObject[]): IDataObject | undefined {
	return records.reduce<IDataObject | undefined>((lowest, record) => (lowest === undefined || Number(record.id) < Number(lowest.id) ? record : lowest), undefined);
}
