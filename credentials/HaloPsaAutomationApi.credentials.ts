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

import type { HaloHttp } from '../halo-client';
import { haloTokenFor, haloTokenSettingsFrom, TokenMemory } from '../halo-client';

/** n8n's plain request helper as the core's HTTP: every status is an answer (the token fetch reads Halo's refusals). */
function helperHttp(helpers: IHttpRequestHelper['helpers']): HaloHttp {
	return async (request) => {
		const answer = (await helpers.httpRequest({
			method: request.method,
			url: request.url,
			headers: request.headers,
			body: request.body as IHttpRequestOptions['body'],
			timeout: request.timeoutMs,
			ignoreHttpStatusErrors: true,
			returnFullResponse: true,
		})) as IN8nHttpFullResponse;
		return { status: answer.statusCode, headers: answer.headers, body: answer.body };
	};
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

	// A community credential links to its README (n8n's rule set for community packages does not ask for a docs-site slug).
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
		const settings = haloTokenSettingsFrom(credentials);
		return { accessToken: await haloTokenFor(tokenMemory, helperHttp(this.helpers), settings, String(credentials.accessToken ?? '')) };
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
