import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IDataObject,
	IHttpRequestHelper,
	IHttpRequestOptions,
	IN8nHttpFullResponse,
	INodeProperties,
	Icon,
} from 'n8n-workflow';

import {
	authInfoUrl,
	authUrlFromAuthInfo,
	extractHaloError,
	normalizeHaloBaseUrl,
	redactSecrets,
	resolveAuthUrl,
	resolveTokenUrl,
	tokenIdentity,
	TokenMemory,
} from '../halo-client';
import type { FetchedToken } from '../halo-client';

/**
 * A token-endpoint failure with a message the user can act on; never carries the secret. The
 * status is kept as `tokenStatus`, not `httpCode`: n8n-core wraps this error in a NodeApiError,
 * which would swap a message carrying an `httpCode` for its generic "Authorization failed"
 * text, and the credential test shows only that message.
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

const APPLICATION_HINT =
	'In Halo open Configuration > Integrations > Halo API > Applications, open the API application and check its Client ID, its Authentication Method "Client ID and Secret (Services)" and its Login Type "Agent". A lost secret cannot be shown again: generate a new one and paste it here.';

function describeTokenFailure(
	status: number,
	body: unknown,
	tenant: string,
	secrets: string[],
): HaloAuthenticationError {
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

function describeNetworkFailure(error: { code?: string; message?: string }, url: string, secrets: string[]) {
	const host = (() => {
		try {
			return new URL(url).host;
		} catch {
			return url;
		}
	})();
	// The network code stays out of the message: n8n replaces any message containing one with a generic text.
	return new HaloAuthenticationError(
		`Could not reach Halo at ${host}`,
		`Check the Halo URL and that this n8n instance can reach it. ${redactSecrets(error.message ?? '', secrets)}`.trim(),
	);
}

async function discoverAuthUrl(this: IHttpRequestHelper, baseUrl: string): Promise<string | undefined> {
	try {
		const answer = (await this.helpers.httpRequest({
			method: 'GET',
			url: authInfoUrl(baseUrl),
			ignoreHttpStatusErrors: true,
			returnFullResponse: true,
			timeout: 15_000,
		})) as IN8nHttpFullResponse;
		if (answer.statusCode !== 200) return undefined;
		const body = typeof answer.body === 'string' ? safeJson(answer.body) : answer.body;
		return authUrlFromAuthInfo(body);
	} catch {
		// Discovery is a convenience: the token request below reports a real connection problem.
		return undefined;
	}
}

function safeJson(text: string): unknown {
	try {
		return JSON.parse(text);
	} catch {
		return text;
	}
}

interface TokenRequestSettings {
	baseUrl: string;
	tenant: string;
	explicitAuthUrl: string;
	clientId: string;
	clientSecret: string;
	scope: string;
}

/** The one token request: discovers the authorisation server when none is given, then client credentials. */
async function fetchToken(this: IHttpRequestHelper, settings: TokenRequestSettings): Promise<FetchedToken> {
	const { baseUrl, tenant, explicitAuthUrl, clientId, clientSecret, scope } = settings;
	const secrets = [clientSecret];
	let tokenUrl: string;
	try {
		const discoveredAuthUrl = explicitAuthUrl ? undefined : await discoverAuthUrl.call(this, baseUrl);
		tokenUrl = resolveTokenUrl(resolveAuthUrl({ baseUrl, authUrl: explicitAuthUrl, discoveredAuthUrl }), tenant);
	} catch (error) {
		throw new HaloAuthenticationError(error.message, 'Open the credential and correct the Authorisation Server URL, or leave it empty.');
	}

	const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret, scope });
	let answer: IN8nHttpFullResponse;
	try {
		answer = (await this.helpers.httpRequest({
			method: 'POST',
			url: tokenUrl,
			headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
			body: form.toString(),
			ignoreHttpStatusErrors: true,
			returnFullResponse: true,
			timeout: 30_000,
		})) as IN8nHttpFullResponse;
	} catch (error) {
		throw describeNetworkFailure(error, tokenUrl, secrets);
	}

	const body = typeof answer.body === 'string' ? safeJson(answer.body) : answer.body;
	const accessToken = (body as IDataObject | undefined)?.access_token;
	if (answer.statusCode >= 400 || typeof body !== 'object' || typeof accessToken !== 'string' || !accessToken) {
		throw describeTokenFailure(answer.statusCode, body, tenant, secrets);
	}
	const expiresIn = Number((body as IDataObject).expires_in);
	return { accessToken, expiresInSeconds: Number.isFinite(expiresIn) && expiresIn > 0 ? expiresIn : undefined };
}

/**
 * The credential test's base URL, normalised exactly as `normalizeHaloBaseUrl` does for the nodes
 * (bare host -> https://, host in lower case, no query or fragment, no trailing slash, no `/api` or
 * `/auth` tail, a path prefix kept), written as an n8n expression because a declarative test takes
 * only expressions. test/integration/credential.test.ts compares the two through n8n's
 * expression engine. Invalid URLs never get here: `preAuthentication` rejects them first.
 */
export const HALO_BASE_URL_EXPRESSION =
	'={{ (url => (/^[a-z][a-z0-9+.-]*:\\/\\//i.test(url) ? url : "https://" + url)' +
	'.replace(/[?#].*$/, "")' +
	'.replace(/^([a-z][a-z0-9+.-]*:\\/\\/[^\\/]*)(.*)$/i, (all, root, path) => root.toLowerCase() + ' +
	'path.replace(/\\/+$/, "").replace(/\\/(api|auth)(\\/.*)?$/i, "").replace(/\\/+$/, "")))' +
	'(String($credentials.url || "").trim()) }}';

/** This process's tokens: concurrent executions share one fetch (see TokenMemory for what n8n does without it). */
const tokenMemory = new TokenMemory();

export class HaloPsaAutomationApi implements ICredentialType {
	name = 'haloPsaAutomationApi';

	displayName = 'HaloPSA Automation API';

	// The camelCase rule is for slugs of n8n's own docs site; a community credential links to its README.
	// eslint-disable-next-line n8n-nodes-base/cred-class-field-documentation-url-miscased
	documentationUrl = 'https://www.npmjs.com/package/n8n-nodes-halopsa-automation#credential-setup-in-halo';

	icon: Icon = { light: 'file:halopsa.svg', dark: 'file:halopsa.dark.svg' };

	properties: INodeProperties[] = [
		{
			displayName: 'Halo URL',
			name: 'url',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'https://yourcompany.halopsa.com',
			description: 'The address of your Halo instance, with or without /api',
		},
		{
			displayName: 'Tenant',
			name: 'tenant',
			type: 'string',
			default: '',
			placeholder: 'yourcompany',
			description: 'Hosted instances: the tenant from Configuration > Integrations > Halo API > API Details. Leave empty on premise.',
		},
		{
			displayName: 'Authorisation Server URL',
			name: 'authUrl',
			type: 'string',
			default: '',
			placeholder: 'https://yourcompany.halopsa.com/auth',
			description: 'Leave empty to discover it from the instance (falls back to {Halo URL}/auth)',
		},
		{
			displayName: 'Client ID',
			name: 'clientId',
			type: 'string',
			default: '',
			required: true,
		},
		{
			displayName: 'Client Secret',
			name: 'clientSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
		},
		{
			displayName: 'Scopes',
			name: 'scope',
			type: 'string',
			default: 'all',
			description: 'Space-separated, e.g. "all" or "all:standard all:teams admin:webhooks"',
		},
		{
			displayName: 'Access Token',
			name: 'accessToken',
			type: 'hidden',
			typeOptions: { expirable: true, password: true },
			default: '',
		},
	];

	/**
	 * n8n calls this only when no token is stored or Halo answered 401, and stores what it returns
	 * in the credential, so every execution (and in queue mode every process) shares the token.
	 * Executions that need a token at the same moment in one process share one fetch.
	 */
	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject): Promise<IDataObject> {
		const clientSecret = String(credentials.clientSecret ?? '');
		let baseUrl: string;
		try {
			baseUrl = normalizeHaloBaseUrl(String(credentials.url ?? ''));
		} catch (error) {
			throw new HaloAuthenticationError(error.message, 'Open the credential and correct the Halo URL.');
		}
		const tenant = String(credentials.tenant ?? '').trim();
		const explicitAuthUrl = String(credentials.authUrl ?? '').trim();
		const clientId = String(credentials.clientId ?? '').trim();
		const scope = String(credentials.scope ?? '').trim() || 'all';
		const identity = tokenIdentity({ baseUrl, tenant, authUrl: explicitAuthUrl, clientId, clientSecret, scope });
		const accessToken = await tokenMemory.tokenFor(identity, String(credentials.accessToken ?? ''), async () =>
			await fetchToken.call(this, { baseUrl, tenant, explicitAuthUrl, clientId, clientSecret, scope }),
		);
		return { accessToken };
	}


	/**
	 * Sets `Authorization: Bearer <accessToken>`. A function rather than a generic
	 * `={{$credentials.accessToken}}` template: n8n resolves a template with its expression engine
	 * on every request, which doubled the peak memory of a 100-page list (BENCHMARKS.md, listing).
	 */
	async authenticate(credentials: ICredentialDataDecryptedObject, requestOptions: IHttpRequestOptions): Promise<IHttpRequestOptions> {
		return {
			...requestOptions,
			headers: { ...requestOptions.headers, Authorization: `Bearer ${String(credentials.accessToken ?? '')}` },
		};
	}

	test: ICredentialTestRequest = {
		request: {
			baseURL: HALO_BASE_URL_EXPRESSION,
			url: '/api/Agent/me',
			method: 'GET',
		},
		rules: [
			{
				type: 'responseCode',
				properties: {
					value: 401,
					message: 'Halo issued a token but refused it for the API. Check that the API application\'s Login Type is "Agent" and that an active agent is selected.',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 403,
					message: 'The API application\'s agent lacks permission to read agents. Give the agent a role with API access, or grant the application the "all" scope.',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 404,
					message: 'No Halo API was found at this URL. Use the address of your Halo instance, like https://yourcompany.halopsa.com.',
				},
			},
		],
	};
}
