import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import { requiredScope, scopeAllows } from './auth';
import { handleControl } from './control';
import { HaloHttpError, OAuthError, Query, dotNetError, parseJson, readBody, serialise, writeError, writeJson, writeText, type Reply } from './http';
import { Router, genericRouteKey, normalisePath } from './router';
import { apiRoutes } from './routes';
import type { SandboxState } from './state';
import { haloDate } from './dates';
import type { FaultRule } from './faults';
import { latencyFor } from './latency';

const router = new Router(apiRoutes);

function sleep(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

function queryRecord(params: URLSearchParams): Record<string, string> {
	return Object.fromEntries(params);
}

function writeReply(res: ServerResponse, reply: Reply): void {
	writeJson(res, reply.status, reply.body, reply.doubleKeys);
}

/** Sends the answer's head (its full length announced) and the first half of its body, then resets the connection. */
function cutReply(req: IncomingMessage, res: ServerResponse, reply: Reply): void {
	const text = Buffer.from(serialise(reply.body, reply.doubleKeys));
	res.writeHead(reply.status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': text.length });
	res.write(text.subarray(0, Math.floor(text.length / 2)), () => req.socket.resetAndDestroy());
}

/** Answers a fault's error status the way the layer that produces it would. */
function faultStatus(res: ServerResponse, status: number): void {
	if (status === 500) {
		writeJson(res, 500, { ClassName: 'System.Exception', Message: 'An unexpected error occurred (injected fault)' });
		return;
	}
	const reason = { 502: 'Bad Gateway', 503: 'Service Unavailable', 504: 'Gateway Timeout' }[status] ?? 'Error';
	writeText(res, status, `<html><body><h1>${status} ${reason}</h1></body></html>`, 'text/html');
}

function decodeOrRaw(text: string): string {
	try {
		return decodeURIComponent(text);
	} catch {
		return text;
	}
}

function tokenRequest(state: SandboxState, req: IncomingMessage, query: Query, text: string): Reply {
	const type = (req.headers['content-type'] ?? '').toLowerCase();
	if (!type.includes('application/x-www-form-urlencoded')) {
		throw new OAuthError(400, 'invalid_request', 'The token request must be application/x-www-form-urlencoded.');
	}
	const form = new URLSearchParams(text);
	let clientId = form.get('client_id') ?? undefined;
	let clientSecret = form.get('client_secret') ?? undefined;
	const basic = /^Basic\s+(\S+)$/i.exec(req.headers.authorization ?? '');
	if (basic && !clientId) {
		const [id, ...secret] = Buffer.from(basic[1], 'base64').toString('utf8').split(':');
		// RFC 6749 2.3.1 form-encodes the id and secret before joining them; many clients do not, so
		// a part that does not decode (a literal `%`) is taken as written.
		clientId = decodeOrRaw(id);
		clientSecret = decodeOrRaw(secret.join(':'));
	}
	const answer = state.tokens.issue(
		{ grantType: form.get('grant_type') ?? undefined, clientId, clientSecret, scope: form.get('scope') ?? undefined, tenant: query.string('tenant') },
		state.store.applications,
		Date.now(),
	);
	return { status: 200, body: answer };
}

async function dispatch(state: SandboxState, req: IncomingMessage, method: string, path: string, url: URL, bodyText: string): Promise<Reply> {
	const query = new Query(url.searchParams);
	if (path === '/auth/token' && method === 'POST') return tokenRequest(state, req, query, bodyText);
	if (path === '/api/authinfo' && method === 'GET') {
		return { status: 200, body: { auth_url: `${state.config.baseUrl}/auth`, tenant_id: state.config.requireTenant ?? 'sandbox' } };
	}
	const match = router.match(method, path);
	if (match === 'method') throw dotNetError(405, `The requested resource does not support http method '${method}'.`);
	if (!match) throw dotNetError(404, `No HTTP resource was found that matches the request URI '${url.pathname}'.`);
	const now = Date.now();
	const token = state.tokens.check(req.headers.authorization, now);
	if (typeof token === 'string') {
		throw new HaloHttpError(401, { Message: token });
	}
	const { route } = match;
	if (!scopeAllows(token.scopes, route.area, route.access)) {
		throw dotNetError(
			403,
			`The API application is not permitted to do this: it needs the '${requiredScope(route.area, route.access)}' permission.`,
			'System.UnauthorizedAccessException',
		);
	}
	const agent = state.store.agents.get(token.agentId);
	if (!agent) throw new HaloHttpError(401, { Message: 'The agent this application logs in as no longer exists.' });
	const body = method === 'POST' ? parseJson(bodyText) : undefined;
	return route.handle({ state, store: state.store, params: match.params, query, body, agent, now });
}

/** One Halo API request: log, rate limit, faults, then the route itself; never throws. */
async function handleApi(state: SandboxState, req: IncomingMessage, res: ServerResponse, url: URL, path: string): Promise<void> {
	const method = (req.method ?? 'GET').toUpperCase();
	const match = router.match(method, path);
	const route = match && match !== 'method' ? `${method} ${match.route.pattern}` : genericRouteKey(method, path);
	const at = haloDate(Date.now());
	const closeRequest = state.openRequest();
	res.on('close', () => {
		closeRequest();
		state.recordRequest({ method, path: url.pathname, route, query: queryRecord(url.searchParams), status: res.headersSent ? res.statusCode : 0, at });
	});
	const bodyText = await readBody(req);
	// A hosted tenant's round trip and its own time, before anything is decided (a 429 too).
	const latency = latencyFor(state.config.latency, path);
	if (latency > 0) await sleep(latency);
	if (!state.rateLimit.admit(Date.now())) {
		// Halo answers its limit in plain words and sends no Retry-After.
		writeText(res, 429, state.rateLimit.message(), 'text/plain; charset=utf-8');
		return;
	}
	const fault: FaultRule | undefined = state.faults.pick(route);
	if (fault?.kind === 'drop') {
		req.socket.resetAndDestroy();
		return;
	}
	if (fault?.kind === 'timeout') {
		// Held unanswered until the client gives up; a client without a timeout is cut off after delayMs.
		const timer = setTimeout(() => req.socket.resetAndDestroy(), fault.delayMs ?? 120_000);
		req.socket.once('close', () => clearTimeout(timer));
		return;
	}
	if (fault?.kind === 'status') {
		faultStatus(res, fault.status ?? 500);
		return;
	}
	if (fault?.kind === 'slow') await sleep(fault.delayMs ?? 2000);
	let reply: Reply | undefined;
	let failure: unknown;
	try {
		reply = await dispatch(state, req, method, path, url, bodyText);
	} catch (error) {
		failure = error;
	}
	if (fault?.kind === 'processed-then-fail') {
		if (fault.failWith === 'drop') req.socket.resetAndDestroy();
		else if (fault.failWith === 'cut') cutReply(req, res, reply ?? { status: 500, body: { Message: 'cut' } });
		else faultStatus(res, fault.status ?? 500);
		return;
	}
	if (reply) writeReply(res, reply);
	else writeError(res, failure);
}

export function createSandboxServer(state: SandboxState): http.Server {
	return http.createServer((req, res) => {
		let url: URL;
		try {
			url = new URL(req.url ?? '/', 'http://sandbox.local');
		} catch {
			writeError(res, dotNetError(400, `The request target '${req.url}' is not a valid URL`));
			return;
		}
		const path = normalisePath(url.pathname);
		const work = path === '/_sandbox' || path.startsWith('/_sandbox/') ? handleControl(state, req, res, url, path) : handleApi(state, req, res, url, path);
		work.catch((error: unknown) => {
			if (!res.headersSent && !res.destroyed) writeError(res, error);
			else res.destroy();
		});
	});
}
