/** Base-URL and auth-URL handling for a Halo instance. Pure functions, no n8n. */

export class HaloUrlError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'HaloUrlError';
	}
}

const HOST_PATTERN = /^(localhost|\d{1,3}(\.\d{1,3}){3}|\[[0-9a-f:]+\]|([a-z0-9-]+\.)+[a-z0-9-]+)(:\d+)?$/i;

/** `raw` as an http(s) URL, or what is wrong with it (a message naming `what`, e.g. "Halo URL"). */
function readHttpUrl(raw: string, what: string): URL | string {
	const trimmed = raw.trim();
	if (!trimmed) return `The ${what} is empty. Enter it like https://yourcompany.halopsa.com`;
	// A bare host ("yourcompany.halopsa.com") is what people copy from the browser bar most often.
	const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `https://${trimmed}`;
	if (!URL.canParse(withScheme)) return `"${trimmed}" is not a valid ${what}. Enter it like https://yourcompany.halopsa.com`;
	const url = new URL(withScheme);
	if (url.protocol !== 'https:' && url.protocol !== 'http:') return `The ${what} must start with https:// (got "${url.protocol}")`;
	if (!HOST_PATTERN.test(url.host)) return `"${trimmed}" is not a valid ${what}. Enter it like https://yourcompany.halopsa.com`;
	if (url.username || url.password) return `The ${what} must not contain a user name or password`;
	return url;
}

function parseHttpUrl(raw: string, what: string): URL {
	const url = readHttpUrl(raw, what);
	if (typeof url === 'string') throw new HaloUrlError(url);
	return url;
}

/** What is wrong with `raw` as a Halo URL, or undefined when {@link normalizeHaloBaseUrl} takes it. */
export function haloUrlProblem(raw: string): string | undefined {
	const url = readHttpUrl(raw ?? '', 'Halo URL');
	return typeof url === 'string' ? url : undefined;
}

/** What is wrong with `raw` as an authorisation server URL, or undefined when {@link normalizeAuthUrl} takes it. */
export function authUrlProblem(raw: string): string | undefined {
	const url = readHttpUrl(raw ?? '', 'authorisation server URL');
	return typeof url === 'string' ? url : undefined;
}

function withoutTrailingSlashes(path: string): string {
	return path.replace(/\/+$/, '');
}

/**
 * Turns what a user types as "Halo URL" into the instance root, without `/api` and without a
 * trailing slash: `https://x.halopsa.com/api/` -> `https://x.halopsa.com`. A path prefix
 * (on-premise installs under `/halo`) is kept.
 */
export function normalizeHaloBaseUrl(raw: string): string {
	const url = parseHttpUrl(raw ?? '', 'Halo URL');
	let path = withoutTrailingSlashes(url.pathname);
	path = path.replace(/\/(api|auth)(\/.*)?$/i, '');
	return `${url.protocol}//${url.host}${withoutTrailingSlashes(path)}`;
}

/** `{base}/api`, where every resource path lives. */
export function haloApiUrl(baseUrl: string): string {
	return `${normalizeHaloBaseUrl(baseUrl)}/api`;
}

/** Normalises an explicit authorisation-server URL (drops a trailing `/token` and slash). */
export function normalizeAuthUrl(raw: string): string {
	const url = parseHttpUrl(raw, 'authorisation server URL');
	const path = withoutTrailingSlashes(url.pathname).replace(/\/token$/i, '');
	return `${url.protocol}//${url.host}${withoutTrailingSlashes(path)}`;
}

/** The `/api/authinfo` endpoint used to discover the authorisation server. */
export function authInfoUrl(baseUrl: string): string {
	return `${haloApiUrl(baseUrl)}/authinfo`;
}

/** Reads `auth_url` from an `/api/authinfo` answer, or undefined when it carries none usable. */
export function authUrlFromAuthInfo(body: unknown): string | undefined {
	if (!body || typeof body !== 'object') return undefined;
	const authUrl = (body as Record<string, unknown>).auth_url;
	if (typeof authUrl !== 'string' || !authUrl.trim()) return undefined;
	try {
		return normalizeAuthUrl(authUrl);
	} catch {
		return undefined;
	}
}

/**
 * Picks the authorisation server: the URL the user entered, else the one `/api/authinfo`
 * announced, else `{base}/auth`.
 */
export function resolveAuthUrl(options: { baseUrl: string; authUrl?: string; discoveredAuthUrl?: string }): string {
	if (options.authUrl?.trim()) return normalizeAuthUrl(options.authUrl);
	if (options.discoveredAuthUrl?.trim()) return normalizeAuthUrl(options.discoveredAuthUrl);
	return `${normalizeHaloBaseUrl(options.baseUrl)}/auth`;
}

/** `{auth}/token`, with `?tenant=` for hosted instances that need it. */
export function resolveTokenUrl(authUrl: string, tenant?: string): string {
	const token = `${normalizeAuthUrl(authUrl)}/token`;
	const trimmedTenant = tenant?.trim();
	return trimmedTenant ? `${token}?tenant=${encodeURIComponent(trimmedTenant)}` : token;
}
