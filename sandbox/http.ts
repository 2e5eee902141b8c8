import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseHaloDate } from './dates';
import { integerFrom } from './numbers';

/** The human-readable part of an error body, so `error.message` reads well outside HTTP (CLI, code). */
function messageOf(body: unknown): string {
	if (typeof body === 'string') return body;
	const fields = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
	const text = fields.Message ?? fields.error_description ?? fields.title;
	return typeof text === 'string' ? text : JSON.stringify(body);
}

/** An answer other than success; thrown by handlers, written by `writeError`. */
export class HaloHttpError extends Error {
	constructor(
		readonly status: number,
		readonly body: unknown,
		readonly contentType = 'application/json; charset=utf-8',
	) {
		super(messageOf(body));
	}
}

/** OAuth-style token endpoint errors: `{ error, error_description }`. */
export class OAuthError extends HaloHttpError {
	constructor(
		status: number,
		readonly error: string,
		readonly description: string,
	) {
		super(status, { error, error_description: description });
	}
}

/** Halo's 400/403/404 bodies are serialised .NET exceptions. */
export function dotNetError(status: number, message: string, className = 'System.Exception'): HaloHttpError {
	return new HaloHttpError(status, { ClassName: className, Message: message });
}

export function notFound(entity: string, id: number | string): HaloHttpError {
	return dotNetError(404, `${entity} ${id} not found`, 'System.Collections.Generic.KeyNotFoundException');
}

/** ASP.NET model-binding errors keyed by field (`"[0].ticket_id": [...]`). */
export function modelError(errors: Record<string, string[]>): HaloHttpError {
	return new HaloHttpError(400, {
		type: 'https://tools.ietf.org/html/rfc7231#section-6.5.1',
		title: 'One or more validation errors occurred.',
		status: 400,
		traceId: `00-${randomUUID().replace(/-/g, '')}-${randomUUID().replace(/-/g, '').slice(0, 16)}-00`,
		errors,
	});
}

export interface Reply {
	status: number;
	body: unknown;
	/** Integer fields written as doubles (`"contract_id":95.0`), as some Halo endpoints do. */
	doubleKeys?: readonly string[];
}

export function ok(body: unknown, doubleKeys?: readonly string[]): Reply {
	return { status: 200, body, doubleKeys };
}

const doublePatterns = new Map<string, RegExp>();

function withDoubles(json: string, keys: readonly string[]): string {
	const cacheKey = keys.join('|');
	let pattern = doublePatterns.get(cacheKey);
	if (!pattern) {
		pattern = new RegExp(`"(${keys.join('|')})":(-?\\d+)(?=[,}\\]])`, 'g');
		doublePatterns.set(cacheKey, pattern);
	}
	return json.replace(pattern, '"$1":$2.0');
}

export function serialise(body: unknown, doubleKeys?: readonly string[]): string {
	const json = JSON.stringify(body) ?? 'null';
	return doubleKeys && doubleKeys.length > 0 ? withDoubles(json, doubleKeys) : json;
}

export function writeJson(res: ServerResponse, status: number, body: unknown, doubleKeys?: readonly string[]): void {
	const text = serialise(body, doubleKeys);
	res.writeHead(status, {
		'Content-Type': 'application/json; charset=utf-8',
		'Content-Length': Buffer.byteLength(text),
	});
	res.end(text);
}

export function writeText(res: ServerResponse, status: number, text: string, contentType: string): void {
	res.writeHead(status, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(text) });
	res.end(text);
}

/**
 * Says where an error happened in a list (`events[2]`, `Record [1]`): prefixes a .NET error's
 * Message and a model error's field keys. Other errors pass unchanged.
 */
export function withPrefix(error: unknown, prefix: string): unknown {
	if (!(error instanceof HaloHttpError) || typeof error.body !== 'object' || error.body === null) return error;
	const body = error.body as Record<string, unknown>;
	if (typeof body.Message === 'string') {
		return new HaloHttpError(error.status, { ...body, Message: `${prefix}: ${body.Message}` }, error.contentType);
	}
	if (typeof body.errors === 'object' && body.errors !== null) {
		const errors = Object.fromEntries(Object.entries(body.errors).map(([key, value]) => [key ? `${prefix}.${key}` : prefix, value]));
		return new HaloHttpError(error.status, { ...body, errors }, error.contentType);
	}
	return error;
}

/** The one error writer (API and control routes): a thrown answer as is, anything else as Halo's 500. */
export function writeError(res: ServerResponse, error: unknown): void {
	if (error instanceof HaloHttpError) {
		if (typeof error.body === 'string') writeText(res, error.status, error.body, error.contentType);
		else writeJson(res, error.status, error.body);
		return;
	}
	// A bug in the sandbox answers like a Halo server error instead of crashing the process.
	const message = error instanceof Error ? error.message : String(error);
	writeJson(res, 500, { ClassName: 'System.Exception', Message: `Sandbox internal error: ${message}` });
}

const maxBodyBytes = 10 * 1024 * 1024;

export function readBody(req: IncomingMessage): Promise<string> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		let size = 0;
		req.on('data', (chunk: Buffer) => {
			size += chunk.length;
			if (size > maxBodyBytes) {
				reject(dotNetError(413, 'Request body too large'));
				req.destroy();
				return;
			}
			chunks.push(chunk);
		});
		req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
		req.on('error', reject);
	});
}

/** Parses a JSON body the way ASP.NET reports it: a model error at `$` when it is not JSON. */
export function parseJson(text: string): unknown {
	if (text.trim() === '') throw modelError({ '': ['A non-empty request body is required.'] });
	try {
		return JSON.parse(text);
	} catch (error) {
		throw modelError({ $: [`The request body is not valid JSON: ${(error as Error).message}`] });
	}
}

/** Query parameters, case-insensitive by name as ASP.NET binds them. */
export class Query {
	private readonly values = new Map<string, string>();

	constructor(params: URLSearchParams) {
		for (const [name, value] of params) this.values.set(name.toLowerCase(), value);
	}

	has(name: string): boolean {
		return this.values.has(name);
	}

	string(name: string): string | undefined {
		const value = this.values.get(name);
		return value === undefined || value === '' ? undefined : value;
	}

	int(name: string): number | undefined {
		const value = this.string(name);
		if (value === undefined) return undefined;
		const number = integerFrom(value);
		if (number === undefined) throw modelError({ [name]: [`The value '${value}' is not valid for ${name}.`] });
		return number;
	}

	bool(name: string): boolean | undefined {
		const value = this.string(name)?.toLowerCase();
		if (value === undefined) return undefined;
		if (value === 'true' || value === '1') return true;
		if (value === 'false' || value === '0') return false;
		throw modelError({ [name]: [`The value '${value}' is not valid for ${name}.`] });
	}

	ints(name: string): number[] | undefined {
		const value = this.string(name);
		if (value === undefined) return undefined;
		return value.split(',').map((part) => {
			const number = integerFrom(part);
			if (number === undefined) throw modelError({ [name]: [`The value '${value}' is not valid for ${name}.`] });
			return number;
		});
	}

	date(name: string): number | undefined {
		const value = this.string(name);
		if (value === undefined) return undefined;
		const time = parseHaloDate(value);
		if (Number.isNaN(time)) throw modelError({ [name]: [`The value '${value}' is not valid for ${name}.`] });
		return time;
	}
}
