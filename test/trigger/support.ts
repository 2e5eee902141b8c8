/** Small clients for the sandbox's Halo API and its /_sandbox control routes, used by the trigger tests. */
export interface SandboxLike {
	baseUrl: string;
}

export interface ApiClient {
	request<T = any>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }>;
}

/** Logs in as an API application (client credentials) and calls `/api/...` with its token. */
export interface ApiApplication {
	clientId: string;
	clientSecret: string;
	scope: string;
}

export async function haloApiClient(sandbox: SandboxLike, application: ApiApplication): Promise<ApiClient> {
	const { clientId, clientSecret, scope } = application;
	const tokenResponse = await fetch(`${sandbox.baseUrl}/auth/token`, {
		method: 'POST',
		headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret, scope }),
	});
	const { access_token: token } = (await tokenResponse.json()) as { access_token: string };
	return {
		async request(method, path, body) {
			const response = await fetch(`${sandbox.baseUrl}/api${path}`, {
				method,
				headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
				body: body === undefined ? undefined : JSON.stringify(body),
			});
			const text = await response.text();
			return { status: response.status, body: text ? JSON.parse(text) : undefined };
		},
	};
}

export async function sandboxControl<T = any>(sandbox: SandboxLike, method: string, path: string, body?: unknown): Promise<T> {
	const response = await fetch(`${sandbox.baseUrl}/_sandbox${path}`, {
		method,
		headers: { 'Content-Type': 'application/json' },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	const text = await response.text();
	if (!response.ok) throw new Error(`${method} /_sandbox${path} answered ${response.status}: ${text}`);
	return (text ? JSON.parse(text) : undefined) as T;
}

/** Waits until the sandbox has delivered (and retried) everything it queued. */
export async function flushDeliveries(sandbox: SandboxLike): Promise<void> {
	await sandboxControl(sandbox, 'POST', '/webhooks/flush');
}

export function basicAuthorization(username: string, password: string): string {
	return `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
}

/** Posts to the trigger's URL as a caller other than Halo would. */
export async function postToTrigger(
	url: string,
	body: unknown,
	authorization?: string,
): Promise<{ status: number; body: any }> {
	const response = await fetch(url, {
		method: 'POST',
		headers: { 'Content-Type': 'application/json', ...(authorization ? { Authorization: authorization } : {}) },
		body: typeof body === 'string' ? body : JSON.stringify(body),
	});
	const text = await response.text();
	let parsed: unknown = text;
	try {
		parsed = JSON.parse(text);
	} catch {
		// Keep the text when the answer is not JSON.
	}
	return { status: response.status, body: parsed };
}

/** The username and password in a Basic Authorization header (to replay or vary what Halo sent). */
export function decodeBasicAuthorization(authorization: string | undefined): { username: string; password: string } {
	const match = /^Basic (.+)$/.exec(authorization ?? '');
	if (!match) throw new Error(`not a Basic Authorization header: ${String(authorization)}`);
	const decoded = Buffer.from(match[1], 'base64').toString('utf8');
	const separator = decoded.indexOf(':');
	return { username: decoded.slice(0, separator), password: decoded.slice(separator + 1) };
}

/** Every request the sandbox logged for a route (method and lower-case path without ids, e.g. "POST /api/webhook"). */
export async function sandboxRequests(sandbox: SandboxLike, route: string): Promise<Array<{ status: number; path: string }>> {
	return await sandboxControl(sandbox, 'GET', `/requests?route=${encodeURIComponent(route)}`);
}
