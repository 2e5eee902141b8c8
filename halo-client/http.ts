/**
 * The HTTP the core speaks through. The core builds requests and reads answers; each caller sends
 * them with its own library: n8n's request helpers in the credential and the node transport, axios
 * in the standalone data source.
 */
export type QueryValue = string | number | boolean;

/** The methods Halo's API uses (and n8n's request helpers take). */
export type HaloHttpMethod = 'DELETE' | 'GET' | 'HEAD' | 'PATCH' | 'POST' | 'PUT';

export interface HaloHttpRequest {
	method: HaloHttpMethod;
	url: string;
	headers?: Record<string, string>;
	qs?: Record<string, QueryValue>;
	/** a string is sent as it is (with the Content-Type header given), anything else as JSON */
	body?: unknown;
	/** how long the attempt may take; a request still unanswered then fails as a timed-out connection */
	timeoutMs: number;
}

export interface HaloHttpResponse {
	status: number;
	/** header names in lower case */
	headers: Record<string, unknown>;
	/** the parsed JSON, or the text when the answer was not JSON */
	body: unknown;
}

/**
 * Sends one request and resolves with the answer whatever its status. Rejects when no answer came,
 * with Node's network `code` (ECONNREFUSED, ECONNRESET, ETIMEDOUT, ...) on the error, or with a
 * {@link HaloAuthenticationError} when it could not get a token to send.
 */
export type HaloHttp = (request: HaloHttpRequest) => Promise<HaloHttpResponse>;

/** Parses a JSON answer that came as text; anything else stays text. */
export function parseJsonText(body: unknown): unknown {
	if (typeof body !== 'string') return body;
	try {
		return JSON.parse(body);
	} catch {
		return body;
	}
}

/** A header's value from a header record whatever the case of its name, or undefined. */
export function headerValue(headers: Record<string, unknown> | undefined, name: string): string | undefined {
	if (!headers) return undefined;
	const wanted = name.toLowerCase();
	const key = Object.keys(headers).find((candidate) => candidate.toLowerCase() === wanted);
	const value = key === undefined ? undefined : headers[key];
	return value === undefined || value === null ? undefined : String(value);
}
