/**
 * The one token fetch: the authorisation server (entered, discovered through `/api/authinfo`, or
 * `{base}/auth`), the client-credentials form, and failures phrased for the user without the secret.
 * The credential's preAuthentication and the standalone data source both fetch through it.
 */
import { authInfoUrl, authUrlFromAuthInfo, authUrlProblem, haloUrlProblem, normalizeHaloBaseUrl, resolveAuthUrl, resolveTokenUrl } from './baseUrl';
import { extractHaloError } from './errors';
import type { HaloHttp } from './http';
import { parseJsonText } from './http';
import { redactSecrets } from './redact';
import type { FetchedToken, TokenMemory } from './tokenMemory';
import { tokenIdentity } from './tokenMemory';

/**
 * A token-endpoint failure with a message the user can act on; never carries the secret. The
 * status is kept as `tokenStatus`, not `httpCode`: n8n-core wraps this error in a NodeApiError,
 * which would swap a message carrying an `httpCode` for its generic "Authorization failed"
 * text, and n8n's credential test shows only that message. Recognised by `haloAuthentication`
 * rather than by class: each bundle of the n8n package holds its own copy of this class.
 */
export class HaloAuthenticationError extends Error {
	readonly haloAuthentication = true;

	constructor(
		message: string,
		readonly description: string,
		readonly tokenStatus?: string,
	) {
		super(message);
		this.name = 'HaloAuthenticationError';
	}
}

/** Whether `error` is a {@link HaloAuthenticationError}, from this copy of the core or another one. */
export function isHaloAuthenticationError(error: unknown): error is HaloAuthenticationError {
	return typeof error === 'object' && error !== null && (error as { haloAuthentication?: unknown }).haloAuthentication === true;
}

/** What decides the token Halo issues, as entered (the URLs are normalised here). */
export interface HaloTokenSettings {
	/** the Halo instance, with or without `/api` */
	url: string;
	/** hosted instances: sent as `?tenant=` on the token request */
	tenant?: string;
	/** the authorisation server; empty = discovered through `/api/authinfo`, else `{url}/auth` */
	authUrl?: string;
	clientId: string;
	clientSecret: string;
	/** space-separated; empty = `all` */
	scope?: string;
}

/** The settings as a credential stores them (every field a string, or missing). */
export function haloTokenSettingsFrom(values: Record<string, unknown>): HaloTokenSettings {
	const text = (name: string) => String(values[name] ?? '');
	return { url: text('url'), tenant: text('tenant'), authUrl: text('authUrl'), clientId: text('clientId'), clientSecret: text('clientSecret'), scope: text('scope') };
}

const APPLICATION_HINT =
	'In Halo open Configuration > Integrations > Halo API > Applications, open the API application and check its Client ID, its Authentication Method "Client ID and Secret (Services)" and its Login Type "Agent". A lost secret cannot be shown again: generate a new one and use it here.';

/** The token endpoint's refusal as a message saying what to fix; Halo's own words with the secret taken out. */
function describeTokenFailure(status: number, body: unknown, tenant: string, secrets: string[]): HaloAuthenticationError {
	const info = extractHaloError(body);
	const haloMessage = redactSecrets(info.message, secrets);
	if (info.shape === 'html') {
		return new HaloAuthenticationError(
			'The Halo URL answered with a web page, not the Halo API',
			'Enter the address of your Halo instance, like https://yourcompany.halopsa.com (the page you log in to), and leave the Authorisation Server URL empty unless Halo shows a different one under Configuration > Integrations > Halo API > API Details.',
			String(status),
		);
	}
	// Checked before invalid_client: hosted Halo answers an unknown tenant with invalid_client too.
	if (/tenant/i.test(haloMessage) || (status === 404 && tenant)) {
		return new HaloAuthenticationError(
			tenant
				? `Halo did not accept the tenant "${tenant}"${haloMessage ? ` (${haloMessage})` : ''}`
				: `Halo needs a tenant for this instance${haloMessage ? ` (${haloMessage})` : ''}`,
			'Hosted Halo instances need the tenant shown under Configuration > Integrations > Halo API > API Details. On-premise instances usually need none: leave the field empty.',
			String(status),
		);
	}
	if (info.oauthError === 'invalid_client' || info.oauthError === 'unauthorized_client') {
		return new HaloAuthenticationError(
			`Halo rejected the Client ID or Client Secret (${info.oauthError})`,
			APPLICATION_HINT,
			String(status),
		);
	}
	if (info.oauthError === 'invalid_scope') {
		return new HaloAuthenticationError(
			`Halo rejected the requested scopes (${haloMessage})`,
			'Use scopes the API application is allowed, e.g. "all", or "all:standard all:teams admin:webhooks" for ticketing and webhooks. The application\'s Permissions tab in Halo lists what it may use.',
			String(status),
		);
	}
	if (status === 404) {
		return new HaloAuthenticationError(
			'No token endpoint was found at the authorisation server',
			'Check the Halo URL, and copy the Authorisation Server URL from Configuration > Integrations > Halo API > API Details (or leave it empty to discover it).',
			String(status),
		);
	}
	return new HaloAuthenticationError(
		`Halo refused the token request${haloMessage ? `: ${haloMessage}` : ` (HTTP ${status})`}`,
		`${APPLICATION_HINT}${tenant ? ' Also check the tenant.' : ' Hosted instances may also need the tenant.'}`,
		String(status),
	);
}

function describeNetworkFailure(error: { message?: string }, url: string, secrets: string[]): HaloAuthenticationError {
	let host = url;
	try {
		host = new URL(url).host;
	} catch {
		// not a URL: name it as given
	}
	// The network code stays out of the message: n8n replaces any message containing one with a generic text.
	return new HaloAuthenticationError(
		`Could not reach Halo at ${host}`,
		`Check the Halo URL and that this machine can reach it. ${redactSecrets(error.message ?? '', secrets)}`.trim(),
	);
}

/** The authorisation server `/api/authinfo` announces, or undefined (discovery is a convenience: the token request reports a real connection problem). */
async function discoverAuthUrl(http: HaloHttp, baseUrl: string): Promise<string | undefined> {
	try {
		const answer = await http({ method: 'GET', url: authInfoUrl(baseUrl), timeoutMs: 15_000 });
		return answer.status === 200 ? authUrlFromAuthInfo(parseJsonText(answer.body)) : undefined;
	} catch {
		return undefined;
	}
}

/** Reads the entered values the way the token request uses them; a bad URL is a HaloAuthenticationError saying which. */
function readTokenSettings(settings: HaloTokenSettings): Required<HaloTokenSettings> {
	const urlProblem = haloUrlProblem(settings.url);
	if (urlProblem) {
		throw new HaloAuthenticationError(urlProblem, 'Correct the Halo URL: the address of your Halo instance, like https://yourcompany.halopsa.com.');
	}
	const authUrl = settings.authUrl?.trim() ?? '';
	const authProblem = authUrl ? authUrlProblem(authUrl) : undefined;
	if (authProblem) throw new HaloAuthenticationError(authProblem, 'Correct the Authorisation Server URL, or leave it empty.');
	return {
		url: normalizeHaloBaseUrl(settings.url),
		tenant: settings.tenant?.trim() ?? '',
		authUrl,
		clientId: settings.clientId.trim(),
		clientSecret: settings.clientSecret,
		scope: settings.scope?.trim() || 'all',
	};
}

/** The key {@link TokenMemory} keeps these settings' token under (the secret only inside a digest). */
export function haloTokenIdentity(settings: HaloTokenSettings): string {
	const read = readTokenSettings(settings);
	return tokenIdentity({ ...read, baseUrl: read.url });
}

/**
 * Fetches a token with the client-credentials grant. Every failure is a HaloAuthenticationError
 * whose message says what to fix and carries neither the secret nor a token.
 */
export async function fetchHaloToken(http: HaloHttp, settings: HaloTokenSettings): Promise<FetchedToken> {
	const { url, tenant, authUrl, clientId, clientSecret, scope } = readTokenSettings(settings);
	const secrets = [clientSecret];
	// The URLs are checked above and a discovered one is taken only when valid, so none of this throws.
	const discoveredAuthUrl = authUrl ? undefined : await discoverAuthUrl(http, url);
	const tokenUrl = resolveTokenUrl(resolveAuthUrl({ baseUrl: url, authUrl, discoveredAuthUrl }), tenant);

	const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret, scope });
	let answer;
	try {
		answer = await http({
			method: 'POST',
			url: tokenUrl,
			headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
			body: form.toString(),
			timeoutMs: 30_000,
		});
	} catch (error) {
		throw describeNetworkFailure(error as Error, tokenUrl, secrets);
	}

	const body = parseJsonText(answer.body);
	const accessToken = (body as Record<string, unknown> | undefined)?.access_token;
	if (answer.status >= 400 || typeof body !== 'object' || body === null || typeof accessToken !== 'string' || !accessToken) {
		throw describeTokenFailure(answer.status, body, tenant, secrets);
	}
	const expiresIn = Number((body as Record<string, unknown>).expires_in);
	return { accessToken, expiresInSeconds: Number.isFinite(expiresIn) && expiresIn > 0 ? expiresIn : undefined };
}

/**
 * The token to send instead of `failedToken` (empty: none yet; else the one Halo just refused),
 * through `memory`, so requests that need one at the same moment share one fetch and a token
 * already replaced is answered with its replacement.
 */
export async function haloTokenFor(memory: TokenMemory, http: HaloHttp, settings: HaloTokenSettings, failedToken: string): Promise<string> {
	return await memory.tokenFor(haloTokenIdentity(settings), failedToken, async () => await fetchHaloToken(http, settings));
}

/**
 * HTTP that sends `Authorization: Bearer <token>` and, when Halo answers 401, renews the token once
 * and sends the request again, as n8n's `httpRequestWithAuthentication` does for the nodes.
 * `token(failedToken)` gives the token to use: with '' the current one, with a refused one its
 * replacement.
 */
export function withBearerToken(http: HaloHttp, token: (failedToken: string) => Promise<string>): HaloHttp {
	return async (request) => {
		const send = async (accessToken: string) =>
			await http({ ...request, headers: { ...request.headers, Authorization: `Bearer ${accessToken}` } });
		const first = await token('');
		const answer = await send(first);
		return answer.status === 401 ? await send(await token(first)) : answer;
	};
}
