/** Reads the human message out of the many error shapes Halo (and what sits in front of it) sends. */

export type HaloErrorShape = 'dotnet' | 'modelState' | 'oauth' | 'message' | 'text' | 'html' | 'empty';

export interface HaloErrorInfo {
	message: string;
	shape: HaloErrorShape;
	/** ASP.NET model errors, field -> messages */
	fieldErrors?: Record<string, string[]>;
	/** the OAuth `error` code (invalid_client, invalid_scope, ...) */
	oauthError?: string;
}

export const NOT_A_HALO_API_MESSAGE = 'The URL answered with a web page, not the Halo API';

const MAX_TEXT_LENGTH = 300;

function looksLikeHtml(text: string): boolean {
	return /^\s*(<!doctype html|<html|<head|<body|<\?xml)/i.test(text) || /<\/(html|body|title)>/i.test(text);
}

function firstString(...values: unknown[]): string | undefined {
	for (const value of values) if (typeof value === 'string' && value.trim()) return value.trim();
	return undefined;
}

function readFieldErrors(source: Record<string, unknown>): Record<string, string[]> | undefined {
	const fieldErrors: Record<string, string[]> = {};
	for (const [field, value] of Object.entries(source)) {
		if (Array.isArray(value) && value.every((entry) => typeof entry === 'string') && value.length) {
			fieldErrors[field] = value as string[];
		}
	}
	return Object.keys(fieldErrors).length ? fieldErrors : undefined;
}

function describeFieldErrors(fieldErrors: Record<string, string[]>): string {
	return Object.entries(fieldErrors)
		.map(([field, messages]) => `${field.replace(/^\$?\[\d+\]\.?/, '') || field}: ${messages.join(' ')}`)
		.join('; ');
}

/**
 * Extracts the message from an error body: `.NET` exceptions `{ ClassName, Message }`, ASP.NET
 * model errors keyed by field (`"[0].id": ["..."]`, bare or under `errors`), OAuth
 * `{ error, error_description }`, `{ message }`, plain text, and HTML pages (a proxy, a login
 * page or a URL that is not Halo at all).
 */
export function extractHaloError(body: unknown): HaloErrorInfo {
	if (body === undefined || body === null || body === '') return { message: '', shape: 'empty' };
	if (Buffer.isBuffer(body)) return extractHaloError(body.toString('utf8'));

	if (typeof body === 'string') {
		const text = body.trim();
		if (!text) return { message: '', shape: 'empty' };
		if (looksLikeHtml(text)) return { message: NOT_A_HALO_API_MESSAGE, shape: 'html' };
		if (text.startsWith('{') || text.startsWith('[') || text.startsWith('"')) {
			try {
				return extractHaloError(JSON.parse(text));
			} catch {
				// Not JSON after all: fall through to plain text.
			}
		}
		return { message: text.length > MAX_TEXT_LENGTH ? `${text.slice(0, MAX_TEXT_LENGTH)}…` : text, shape: 'text' };
	}

	if (Array.isArray(body)) {
		const messages = body.map((entry) => extractHaloError(entry).message).filter(Boolean);
		return { message: messages.join('; '), shape: messages.length ? 'message' : 'empty' };
	}

	if (typeof body !== 'object') return { message: String(body), shape: 'text' };
	const record = body as Record<string, unknown>;

	if (typeof record.error === 'string' && (record.error_description !== undefined || /^[a-z_]+$/.test(record.error))) {
		const description = firstString(record.error_description);
		return {
			message: description ? `${record.error}: ${description}` : record.error,
			shape: 'oauth',
			oauthError: record.error,
		};
	}

	const nestedErrors = record.errors && typeof record.errors === 'object' && !Array.isArray(record.errors)
		? readFieldErrors(record.errors as Record<string, unknown>)
		: undefined;
	const fieldErrors = nestedErrors ?? readFieldErrors(record);
	if (fieldErrors) {
		const title = firstString(record.Message, record.message, record.title);
		const details = describeFieldErrors(fieldErrors);
		return { message: title ? `${title} (${details})` : details, shape: 'modelState', fieldErrors };
	}

	const dotnetMessage = firstString(record.Message, record.ExceptionMessage);
	if (dotnetMessage) {
		const inner = record.InnerException && typeof record.InnerException === 'object'
			? firstString((record.InnerException as Record<string, unknown>).Message)
			: undefined;
		return { message: inner && inner !== dotnetMessage ? `${dotnetMessage} (${inner})` : dotnetMessage, shape: 'dotnet' };
	}

	const plainMessage = firstString(record.message, record.error, record.title, record.detail);
	if (plainMessage) return { message: plainMessage, shape: 'message' };
	return { message: '', shape: 'empty' };
}
