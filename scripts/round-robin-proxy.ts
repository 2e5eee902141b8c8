/**
 * A round-robin HTTP proxy in front of n8n's webhook processes, as a load balancer would be in
 * front of a queue-mode n8n: each request goes whole (method, path, headers, body) to the next
 * upstream in turn, and its answer comes back. Used by the queue-mode tests and bench; not shipped.
 *
 * `GET /_proxy/requests` lists what it forwarded, oldest first; `DELETE /_proxy/requests` clears it.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ForwardedRequest {
	/** index of the upstream that got it */
	upstream: number;
	method: string;
	path: string;
	/** the upstream's status, 502 when it could not be reached */
	status: number;
	startedAt: number;
	endedAt: number;
}

export interface RoundRobinProxy {
	url: string;
	port: number;
	upstreams: string[];
	stop(): Promise<void>;
}

const CONTROL_PATH = '/_proxy/requests';

export async function startRoundRobinProxy(upstreams: string[], port = 0): Promise<RoundRobinProxy> {
	if (upstreams.length === 0) throw new Error('the proxy needs at least one upstream');
	const targets = upstreams.map((upstream) => new URL(upstream));
	let next = 0;
	let forwarded: ForwardedRequest[] = [];

	const server = http.createServer((request, response) => {
		if (request.url === CONTROL_PATH) {
			if (request.method === 'DELETE') forwarded = [];
			response.writeHead(200, { 'Content-Type': 'application/json' });
			response.end(JSON.stringify(forwarded));
			return;
		}
		// Chosen on arrival, so two requests arriving together go to two upstreams.
		const upstream = next;
		next = (next + 1) % targets.length;
		const target = targets[upstream];
		const entry: ForwardedRequest = { upstream, method: request.method ?? 'GET', path: request.url ?? '/', status: 0, startedAt: Date.now(), endedAt: 0 };
		forwarded.push(entry);
		const done = (status: number) => {
			entry.status = status;
			entry.endedAt = Date.now();
		};
		const outgoing = http.request(
			{
				// A connection per request: a kept-alive one can be closed by the upstream just as a POST is
				// sent on it (a reset the proxy could not retry safely).
				agent: false,
				host: target.hostname,
				port: target.port,
				method: request.method,
				path: request.url,
				headers: { ...request.headers, host: target.host, 'x-forwarded-for': request.socket.remoteAddress ?? '' },
			},
			(answer) => {
				response.writeHead(answer.statusCode ?? 502, answer.headers);
				answer.pipe(response);
				answer.on('end', () => done(answer.statusCode ?? 502));
			},
		);
		outgoing.on('error', (error) => {
			done(502);
			if (!response.headersSent) response.writeHead(502, { 'Content-Type': 'text/plain' });
			response.end(`upstream ${target.host} failed: ${error.message}`);
		});
		request.pipe(outgoing);
	});
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, '127.0.0.1', () => resolve());
	});
	const actualPort = (server.address() as AddressInfo).port;
	return {
		url: `http://127.0.0.1:${actualPort}`,
		port: actualPort,
		upstreams,
		stop: () =>
			new Promise<void>((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve());
			}),
	};
}

/** What a running proxy forwarded (over HTTP, so a test file can read the proxy its global setup started). */
export async function forwardedRequests(proxyUrl: string): Promise<ForwardedRequest[]> {
	const answer = await fetch(`${proxyUrl}${CONTROL_PATH}`);
	if (!answer.ok) throw new Error(`GET ${CONTROL_PATH}: ${answer.status}`);
	return (await answer.json()) as ForwardedRequest[];
}

export async function clearForwardedRequests(proxyUrl: string): Promise<void> {
	const answer = await fetch(`${proxyUrl}${CONTROL_PATH}`, { method: 'DELETE' });
	await answer.arrayBuffer();
}
