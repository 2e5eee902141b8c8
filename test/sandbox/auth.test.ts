import { startHaloSandbox, type HaloSandbox } from '../../sandbox';
import { api, control, requestToken, send, tokenFor } from './http';

describe('sandbox OAuth and scopes', () => {
	let sandbox: HaloSandbox;

	beforeAll(async () => {
		sandbox = await startHaloSandbox({ tokenLifetimeSeconds: 1 });
	});
	afterAll(() => sandbox.stop());

	const credentials = (application: string) => ({
		grant_type: 'client_credentials',
		client_id: `sandbox-${application}-client`,
		client_secret: `sandbox-${application}-secret`,
	});

	it('issues a bearer token for form-encoded client credentials and counts it', async () => {
		const before = (await control(sandbox, 'GET', '/stats')).json.tokensIssued;
		const answer = await requestToken(sandbox, { ...credentials('demo'), scope: 'all' });
		expect(answer.status).toBe(200);
		expect(answer.json).toMatchObject({ token_type: 'Bearer', expires_in: 1, scope: 'all' });
		expect(typeof answer.json.access_token).toBe('string');
		expect((await control(sandbox, 'GET', '/stats')).json.tokensIssued).toBe(before + 1);
	});

	it('answers OAuth error bodies', async () => {
		const wrongSecret = await requestToken(sandbox, { ...credentials('demo'), client_secret: 'nope' });
		expect(wrongSecret.status).toBe(401);
		expect(wrongSecret.json.error).toBe('invalid_client');
		const scope = await requestToken(sandbox, { ...credentials('nowebhooks'), scope: 'all' });
		expect(scope.status).toBe(400);
		expect(scope.json.error).toBe('invalid_scope');
		const grant = await requestToken(sandbox, { ...credentials('demo'), grant_type: 'password' });
		expect(grant.json.error).toBe('unsupported_grant_type');
		const json = await send(`${sandbox.baseUrl}/auth/token`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify(credentials('demo')),
		});
		expect(json.status).toBe(400);
		expect(json.json.error).toBe('invalid_request');
	});

	it('grants a scope the application\'s scopes cover, and enforces the narrower token', async () => {
		const narrow = await requestToken(sandbox, { ...credentials('demo'), scope: 'read:tickets' });
		expect(narrow.status).toBe(200);
		expect(narrow.json.scope).toBe('read:tickets');
		const token = narrow.json.access_token as string;
		expect((await api(sandbox, token, 'GET', '/Tickets')).status).toBe(200);
		const write = await api(sandbox, token, 'POST', '/Tickets', [{ summary: 'x', client_id: 1 }]);
		expect(write.status).toBe(403);
		expect(write.json.Message).toMatch(/edit:tickets/);
		expect((await api(sandbox, token, 'GET', '/Asset')).status).toBe(403);

		const covered: Array<[string, string]> = [
			['demo', 'admin:webhooks edit:assets read:reporting'],
			['ticketing', 'edit:tickets read:assets edit:teams admin:webhooks'],
			['readonly', 'read:tickets read:assets'],
		];
		for (const [application, scope] of covered) {
			const answer = await requestToken(sandbox, { ...credentials(application), scope });
			expect([application, scope, answer.status]).toEqual([application, scope, 200]);
		}
		const refused: Array<[string, string]> = [
			['ticketing', 'all'],
			['nowebhooks', 'admin:webhooks'],
			['readonly', 'edit:tickets'],
			['readonly', 'read:teams'],
			['demo', 'nonsense'],
		];
		for (const [application, scope] of refused) {
			const answer = await requestToken(sandbox, { ...credentials(application), scope });
			expect([application, scope, answer.status, answer.json.error]).toEqual([application, scope, 400, 'invalid_scope']);
		}
	});

	it('accepts client credentials in a Basic header, and answers a garbled one with invalid_client', async () => {
		const basic = (text: string) => `Basic ${Buffer.from(text).toString('base64')}`;
		const token = (authorization: string) =>
			send(`${sandbox.baseUrl}/auth/token`, {
				method: 'POST',
				headers: { 'Content-Type': 'application/x-www-form-urlencoded', Authorization: authorization },
				body: 'grant_type=client_credentials',
			});
		expect((await token(basic('sandbox-demo-client:sandbox-demo-secret'))).status).toBe(200);
		const garbled = await token(basic('%E0%A4%A:x'));
		expect(garbled.status).toBe(401);
		expect(garbled.json.error).toBe('invalid_client');
	});

	it('tells where to authenticate at /api/authinfo', async () => {
		const answer = await send(`${sandbox.baseUrl}/api/authinfo`);
		expect(answer.json).toEqual({ auth_url: `${sandbox.baseUrl}/auth`, tenant_id: 'sandbox' });
	});

	it('expires every issued token at once on POST /_sandbox/tokens/expire; new tokens work', async () => {
		// A second sandbox whose tokens live an hour, so only the control call can expire them.
		const longLived = await startHaloSandbox({ tokenLifetimeSeconds: 3600 });
		try {
			const first = await tokenFor(longLived);
			const second = await tokenFor(longLived);
			expect((await api(longLived, first, 'GET', '/Agent/me')).status).toBe(200);
			expect((await control(longLived, 'POST', '/tokens/expire')).json).toEqual({ expired: 2 });
			for (const token of [first, second]) {
				const refused = await api(longLived, token, 'GET', '/Agent/me');
				expect(refused.status).toBe(401);
				expect(refused.json.Message).toMatch(/expired/);
			}
			expect((await api(longLived, await tokenFor(longLived), 'GET', '/Agent/me')).status).toBe(200);
			expect((await control(longLived, 'POST', '/tokens/expire')).json).toEqual({ expired: 1 });
		} finally {
			await longLived.stop();
		}
	});

	it('expires every live token after the given number of API requests, once; a reset cancels a pending expiry', async () => {
		const longLived = await startHaloSandbox({ tokenLifetimeSeconds: 3600 });
		try {
			const token = await tokenFor(longLived);
			expect((await control(longLived, 'POST', '/tokens/expire', { afterRequests: 2 })).json).toEqual({ expiresAfterRequests: 2 });
			expect((await api(longLived, token, 'GET', '/Agent/me')).status).toBe(200);
			expect((await api(longLived, token, 'GET', '/Agent/me')).status).toBe(200);
			const refused = await api(longLived, token, 'GET', '/Agent/me');
			expect(refused.status).toBe(401);
			expect(refused.json.Message).toMatch(/expired/);
			// Once: a token issued afterwards lives on.
			const fresh = await tokenFor(longLived);
			for (let request = 0; request < 3; request++) expect((await api(longLived, fresh, 'GET', '/Agent/me')).status).toBe(200);

			await control(longLived, 'POST', '/tokens/expire', { afterRequests: 0 });
			await control(longLived, 'POST', '/reset');
			expect((await api(longLived, fresh, 'GET', '/Agent/me')).status).toBe(200);
			for (const bad of [{ afterRequests: -1 }, { afterRequests: 'two' }, { after: 2 }]) {
				expect((await control(longLived, 'POST', '/tokens/expire', bad)).status).toBe(400);
			}
		} finally {
			await longLived.stop();
		}
	});

	it('ends token errors with the submitted secret while echoSecretInTokenErrors is on, and only then', async () => {
		const echoing = await startHaloSandbox({ requireTenant: 'acme' });
		try {
			const wrongSecret = { ...credentials('demo'), client_secret: 'echoed-secret-1234' };
			expect((await requestToken(echoing, wrongSecret, 'acme')).json.error_description).not.toContain('echoed-secret-1234');
			expect((await control(echoing, 'POST', '/config', { echoSecretInTokenErrors: true })).json.echoSecretInTokenErrors).toBe(true);
			const refused = await requestToken(echoing, wrongSecret, 'acme');
			expect(refused.status).toBe(401);
			expect(refused.json).toEqual({
				error: 'invalid_client',
				error_description: 'The client credentials are invalid. The client secret sent was echoed-secret-1234.',
			});
			const tenant = await requestToken(echoing, credentials('demo'), 'globex');
			expect(tenant.json.error_description).toBe("Unknown tenant 'globex'. The client secret sent was sandbox-demo-secret.");
			expect((await requestToken(echoing, credentials('demo'), 'acme')).status).toBe(200);
			expect((await control(echoing, 'POST', '/config', { echoSecretInTokenErrors: 'yes' })).status).toBe(400);
			await control(echoing, 'POST', '/config', { echoSecretInTokenErrors: false });
			expect((await requestToken(echoing, wrongSecret, 'acme')).json.error_description).toBe('The client credentials are invalid.');
		} finally {
			await echoing.stop();
		}
	});

	it('answers 401 once the token has expired', async () => {
		const token = await tokenFor(sandbox);
		expect((await api(sandbox, token, 'GET', '/Agent/me')).status).toBe(200);
		await new Promise((resolve) => setTimeout(resolve, 1100));
		const expired = await api(sandbox, token, 'GET', '/Agent/me');
		expect(expired.status).toBe(401);
		expect(expired.json.Message).toMatch(/expired/);
		// Every later use says the same, not "unknown token".
		const again = await api(sandbox, token, 'GET', '/Tickets');
		expect(again.status).toBe(401);
		expect(again.json.Message).toBe('Authorization has been denied for this request: the token has expired.');
		expect((await api(sandbox, 'not-a-token', 'GET', '/Tickets')).status).toBe(401);
	});

	it('logs each application in as its own API agent', async () => {
		const me = await api(sandbox, await tokenFor(sandbox, 'ticketing'), 'GET', '/agent/ME');
		expect(me.json).toMatchObject({ id: 2, is_api_agent: true });
	});

	it('enforces scopes per route: read versus edit, and admin:webhooks for webhooks', async () => {
		const readOnly = await tokenFor(sandbox, 'readonly');
		expect((await api(sandbox, readOnly, 'GET', '/Tickets')).status).toBe(200);
		const write = await api(sandbox, readOnly, 'POST', '/Tickets', [{ summary: 'x', client_id: 1 }]);
		expect(write.status).toBe(403);
		expect(write.json.Message).toMatch(/edit:tickets/);
		expect((await api(sandbox, readOnly, 'GET', '/Team')).status).toBe(403);

		const hook = [{ name: 'h', url: 'http://127.0.0.1:9/x', events: [{ name: 'New Ticket Logged', eventno: 3 }] }];
		const noWebhooks = await tokenFor(sandbox, 'nowebhooks');
		expect((await api(sandbox, noWebhooks, 'POST', '/Webhook', hook)).status).toBe(403);
		expect((await api(sandbox, noWebhooks, 'POST', '/Actions', [{ ticket_id: 1, outcome: 'Note', note: 'ok' }])).status).toBe(201);
		const ticketing = await tokenFor(sandbox, 'ticketing');
		const created = await api(sandbox, ticketing, 'POST', '/Webhook', hook);
		expect(created.status).toBe(201);
		expect((await api(sandbox, ticketing, 'DELETE', `/Webhook/${created.json.id}`)).json.id).toBe(created.json.id);
	});
});

describe('sandbox requiring a tenant', () => {
	let sandbox: HaloSandbox;

	beforeAll(async () => {
		sandbox = await startHaloSandbox({ requireTenant: 'brightpath', dataset: 'empty' });
	});
	afterAll(() => sandbox.stop());

	it('refuses token requests without the tenant and accepts them with it', async () => {
		const fields = { grant_type: 'client_credentials', client_id: sandbox.clientId, client_secret: sandbox.clientSecret };
		expect((await requestToken(sandbox, fields)).json.error).toBe('invalid_request');
		expect((await requestToken(sandbox, fields, 'other')).json.error).toBe('invalid_client');
		expect((await requestToken(sandbox, fields, 'brightpath')).status).toBe(200);
		expect((await send(`${sandbox.baseUrl}/api/authinfo`)).json.tenant_id).toBe('brightpath');
	});
});
