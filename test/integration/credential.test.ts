import http from 'node:http';
import type { AddressInfo } from 'node:net';

import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { HALO_BASE_URL_EXPRESSION } from '../../credentials/HaloPsaAutomationApi.credentials';
import { normalizeHaloBaseUrl } from '../../halo-client';
import { startVariantProxy } from '../helpers/halo-variant-proxy';
import { locator, makeCredentials, resolveCredentialExpression, runCredentialTest, runNode } from '../helpers/n8n-harness';
import type { HaloCredentialValues } from '../helpers/n8n-harness';
import { send, useHaloSandbox } from '../helpers/sandbox';

const fixture = useHaloSandbox({ requireTenant: 'acme', tokenLifetimeSeconds: 2 });

const getTicket = { resource: 'ticket', operation: 'get', ticketId: locator(1) };

async function runWith(overrides: Partial<HaloCredentialValues>, parameters: INodeParameters = getTicket) {
	const credentials = makeCredentials(fixture.sandbox, { tenant: 'acme', ...overrides });
	const result = await runNode({ parameters, credentials, continueOnFail: true });
	return { ...result, credentials, json: result.items[0]?.json ?? {} };
}

function expectNoSecret(json: IDataObject, ...secrets: string[]) {
	const text = JSON.stringify(json);
	for (const secret of secrets) expect(text).not.toContain(secret);
}

beforeEach(async () => {
	await fixture.control.reset();
});

describe('Credential haloPsaAutomationApi', () => {
	it('fetches one token and shares it across many executions, also with /api and a trailing slash in the URL', async () => {
		const credentials = makeCredentials(fixture.sandbox, { url: `${fixture.sandbox.baseUrl}/api/`, tenant: 'acme' });
		const before = (await fixture.control.stats()).tokensIssued;
		for (let run = 0; run < 5; run++) {
			const { error, items } = await runNode({ parameters: getTicket, credentials });
			expect(error).toBeUndefined();
			expect(items[0].json.id).toBe(1);
		}
		expect((await fixture.control.stats()).tokensIssued - before).toBe(1);
		expect(credentials.tokenFetches).toBe(1);
		expect(credentials.data.accessToken).toEqual(expect.any(String));
	});

	it('fetches a new token once after Halo answers 401 for an expired one', async () => {
		const credentials = makeCredentials(fixture.sandbox, { tenant: 'acme' });
		await runNode({ parameters: getTicket, credentials });
		const firstToken = credentials.data.accessToken;
		await new Promise((resolve) => setTimeout(resolve, 2100));
		const { error } = await runNode({ parameters: getTicket, credentials });
		expect(error).toBeUndefined();
		expect(credentials.tokenFetches).toBe(2);
		expect(credentials.data.accessToken).not.toBe(firstToken);
	});

	it('reports a wrong secret as invalid_client, without the secret', async () => {
		const { json } = await runWith({ clientSecret: 'wrong-secret-value' });
		expect(json.error).toBe('Halo rejected the Client ID or Client Secret (invalid_client)');
		expect(json.details).toMatch(/Client ID and Secret \(Services\)/);
		expectNoSecret(json, 'wrong-secret-value', fixture.sandbox.clientSecret);
	});

	it('reports a wrong or missing tenant', async () => {
		const wrong = await runWith({ tenant: 'globex' });
		expect(wrong.json.error).toMatch(/did not accept the tenant "globex"/);
		expect(wrong.json.details).toMatch(/API Details/);
		const missing = await runWith({ tenant: '' });
		expect(missing.json.error).toMatch(/needs a tenant/);
		expectNoSecret(wrong.json, fixture.sandbox.clientSecret);
	});

	it('reports scopes the application may not use', async () => {
		const { json } = await runWith({
			clientId: 'sandbox-readonly-client',
			clientSecret: 'sandbox-readonly-secret',
			scope: 'all',
		});
		expect(json.error).toMatch(/rejected the requested scopes/);
	});

	it('reports missing permission with Halo\'s message', async () => {
		const { json } = await runWith(
			{ clientId: 'sandbox-readonly-client', clientSecret: 'sandbox-readonly-secret', scope: 'read:tickets' },
			{ resource: 'ticket', operation: 'delete', ticketId: locator(1) },
		);
		expect(json.error).toMatch(/edit:tickets/);
		expect(json.details).toMatch(/permission/);
	});

	it('uses the authorisation server URL when given, and reports one that has no token endpoint', async () => {
		const good = await runWith({ authUrl: `${fixture.sandbox.baseUrl}/auth/` });
		expect(good.error).toBeUndefined();
		expect(good.json.id).toBe(1);
		const bad = await runWith({ authUrl: `${fixture.sandbox.baseUrl}/elsewhere` });
		expect(bad.json.error).toMatch(/token|tenant/i);
	});

	it('rejects a Halo URL that is not a URL', async () => {
		const { json } = await runWith({ url: 'not a url' });
		expect(json.error).toMatch(/not a valid Halo URL/);
	});

	it('reports an unreachable Halo', async () => {
		const { json } = await runWith({ url: 'http://127.0.0.1:9' });
		expect(json.error).toMatch(/Could not reach Halo/);
	});

	describe('a URL that answers HTML', () => {
		let server: http.Server;
		let url: string;
		beforeAll(async () => {
			server = http.createServer((_request, response) => {
				response.writeHead(200, { 'Content-Type': 'text/html' });
				response.end('<!DOCTYPE html><html><head><title>Welcome</title></head><body>Our website</body></html>');
			});
			await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
			url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
		});
		afterAll(async () => await new Promise((resolve) => server.close(resolve)));

		it('says it is not the Halo API', async () => {
			const { json } = await runWith({ url });
			expect(json.error).toBe('The Halo URL answered with a web page, not the Halo API');
			expect(json.details).toMatch(/yourcompany\.halopsa\.com/);
		});
	});

	describe('the credential test (n8n\'s "Test" button)', () => {
		const testWith = async (overrides: Partial<HaloCredentialValues>) =>
			await runCredentialTest(makeCredentials(fixture.sandbox, { tenant: 'acme', ...overrides }));

		it.each([
			['as given', ''],
			['with /api/', '/api/'],
			['with /auth', '/auth'],
			['with /API and slashes', '/API//'],
			['with a query string', '/?from=bookmark'],
		])('succeeds for the Halo URL %s, like the nodes', async (_label, suffix) => {
			const result = await testWith({ url: `${fixture.sandbox.baseUrl}${suffix}` });
			expect(result).toEqual({ status: 'OK', message: 'Connection successful!' });
			expect((await fixture.control.requests()).some((request) => request.path === '/api/Agent/me' && request.status === 200)).toBe(true);
		});

		it.each([
			'yourcompany.halopsa.com',
			'YourCompany.HaloPSA.com/api/',
			' https://yourcompany.halopsa.com/auth/ ',
			'https://halo.example.org/halo/api',
			'http://10.0.0.5:8080/Halo/auth/token',
			'https://yourcompany.halopsa.com/?x=1#top',
			'https://yourcompany.halopsa.com/apis',
		])('tests the same base URL the nodes use for "%s"', (url) => {
			expect(resolveCredentialExpression(HALO_BASE_URL_EXPRESSION, { url })).toBe(normalizeHaloBaseUrl(url));
		});

		it('says the secret is wrong (invalid_client), without the secret', async () => {
			const result = await testWith({ clientSecret: 'wrong-secret-value' });
			expect(result).toEqual({ status: 'Error', message: 'Halo rejected the Client ID or Client Secret (invalid_client)' });
		});

		it('says the tenant is wrong or missing', async () => {
			expect((await testWith({ tenant: 'globex' })).message).toMatch(/^Halo did not accept the tenant "globex"/);
			expect((await testWith({ tenant: '' })).message).toMatch(/^Halo needs a tenant for this instance/);
		});

		it('says a URL that is not one is not a valid Halo URL', async () => {
			expect((await testWith({ url: 'not a url' })).message).toMatch(/"not a url" is not a valid Halo URL/);
		});

		it('says an unreachable Halo cannot be reached', async () => {
			expect((await testWith({ url: 'http://127.0.0.1:9' })).message).toBe('Could not reach Halo at 127.0.0.1:9');
		});

		it('says a URL answering a web page is not the Halo API', async () => {
			const website = http.createServer((_request, response) => {
				response.writeHead(200, { 'Content-Type': 'text/html' });
				response.end('<!DOCTYPE html><html><body>Our website</body></html>');
			});
			await new Promise<void>((resolve) => website.listen(0, '127.0.0.1', resolve));
			try {
				const result = await testWith({ url: `http://127.0.0.1:${(website.address() as AddressInfo).port}` });
				expect(result).toEqual({ status: 'Error', message: 'The Halo URL answered with a web page, not the Halo API' });
			} finally {
				await new Promise((resolve) => website.close(resolve));
			}
		});

		it('says there is no Halo API under a wrong path (404), when the token came from the given auth server', async () => {
			const result = await testWith({ url: `${fixture.sandbox.baseUrl}/helpdesk`, authUrl: `${fixture.sandbox.baseUrl}/auth` });
			expect(result.message).toMatch(/^No Halo API was found at this URL/);
		});

		it.each([
			[401, /^Halo issued a token but refused it for the API/],
			[403, /^The API application's agent lacks permission to read agents/],
		])('explains a %i from /api/Agent/me', async (status, message) => {
			const proxy = await startVariantProxy(fixture.sandbox.baseUrl, {
				fixedAnswers: { 'GET /api/agent/me': { status, body: { ClassName: 'System.UnauthorizedAccessException', Message: 'Denied' } } },
			});
			try {
				const result = await testWith({ url: proxy.baseUrl });
				expect(result.status).toBe('Error');
				expect(result.message).toMatch(message);
			} finally {
				await proxy.stop();
			}
		});
	});
	describe('when Halo repeats the submitted client secret in its token errors', () => {
		beforeAll(async () => {
			await fixture.control.reset();
			await configure({ echoSecretInTokenErrors: true });
		});
		afterAll(async () => await configure({ echoSecretInTokenErrors: false }));
		const configure = async (config: IDataObject) =>
			expect((await send(`${fixture.sandbox.baseUrl}/_sandbox/config`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(config) })).status).toBe(200);
		const readonly = { clientId: 'sandbox-readonly-client', clientSecret: 'sandbox-readonly-secret', scope: 'all' };

		it('the node\'s error shows Halo\'s message with the secret taken out, for every token error that carries Halo\'s words', async () => {
			const tenant = await runWith({ tenant: 'globex' });
			expect(tenant.json.error).toBe(`Halo did not accept the tenant "globex" (invalid_client: Unknown tenant 'globex'. The client secret sent was [redacted].)`);
			const scope = await runWith(readonly);
			expect(scope.json.error).toMatch(/^Halo rejected the requested scopes \(.*The client secret sent was \[redacted\]\.\)$/);
			const wrongSecret = await runWith({ clientSecret: 'wrong-secret-value' });
			expect(wrongSecret.json.error).toBe('Halo rejected the Client ID or Client Secret (invalid_client)');
			expectNoSecret(tenant.json, fixture.sandbox.clientSecret);
			expectNoSecret(scope.json, readonly.clientSecret);
			expectNoSecret(wrongSecret.json, 'wrong-secret-value');
		});

		it('the credential test\'s message has the secret taken out', async () => {
			const tenant = await runCredentialTest(makeCredentials(fixture.sandbox, { tenant: 'globex' }));
			expect(tenant).toEqual({ status: 'Error', message: `Halo did not accept the tenant "globex" (invalid_client: Unknown tenant 'globex'. The client secret sent was [redacted].)` });
			const scope = await runCredentialTest(makeCredentials(fixture.sandbox, { tenant: 'acme', ...readonly }));
			expect(scope.status).toBe('Error');
			expect(scope.message).toContain('The client secret sent was [redacted].');
			expect(scope.message).not.toContain(readonly.clientSecret);
		});
	});
});
