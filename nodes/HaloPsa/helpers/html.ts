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
 * HTML comment with a random id: `<!-- n8n-write:1b4e28ba-... -->`. Browsers, Halo's ticket view
 * and email clients do not show comments, and the plain `note` / `details` text stays as typed.
 * After an ambiguous failure the marker tells the record this request wrote from an older one
 * with the same text, so a retry neither duplicates the write nor takes an old record for it.
 */
const MARKER_PREFIX = 'n8n-write:';

export function newWriteMarker(): string {
	return `${MARKER_PREFIX}${randomUUID()}`;
}

export function withWriteMarker(html: string, marker: string): string {
	return `${html}<!-- ${marker} -->`;
}

function carriesMarker(record: IDataObject, marker: string, fields: string[]): boolean {
	return fields.some((field) => typeof record[field] === 'string' && (record[field] as string).includes(marker));
}

/**
 * The record among `candidates` that carries `marker`. It is looked for in `bodyField` (where it
 * was written) and `alsoIn` (fields Halo may copy the HTML to). A candidate whose row lacks
 * `bodyField` (a list that leaves bodies out) and that `mayBeIt` cannot rule out is read in full
 * with `readOne` and checked there.
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
	const marked = candidates.find((row) => carriesMarker(row, marker, fields));
	if (marked) return marked;
	for (const row of candidates) {
		if (typeof row[options.bodyField] === 'string' || !options.mayBeIt(row)) continue;
		const full = await options.readOne(row);
		if (carriesMarker(full, marker, fields)) return full;
	}
	return undefined;
}
