/**
 * An HTTPS front for the sandbox as a hosted Halo is reached over the internet, for the benchmarks
 * (not shipped): a client connects to `https://127.0.0.1:PORT` and pays real round trips for the
 * TCP handshake, the TLS handshake and every request, then the request goes on to the sandbox over
 * plain HTTP. It counts connections and the requests each carried, so a bench can report requests
 * per connection for any client.
 *
 *   client --TCP--> link (each byte delayed by half the round trip each way, and the first client
 *   bytes by one more round trip: the SYN / SYN-ACK of a real connect) --TCP--> TLS server (counts
 *   connections, requests, resumed TLS sessions) --HTTP--> sandbox
 *
 * The certificate is self-signed, made at start with openssl into a temporary folder: a client
 * trusts it through `caFile` (NODE_EXTRA_CA_CERTS=caFile for an n8n process).
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import type { TLSSocket } from 'node:tls';

import { REPO_ROOT } from '../scripts/n8n-env';

export interface TlsProxyStats {
	/** TLS connections opened by clients */
	connections: number;
	/** of those, the ones that resumed an earlier TLS session (an abbreviated handshake) */
	resumedSessions: number;
	/** HTTP requests carried over them */
	requests: number;
	/** the most requests one connection carried */
	mostRequestsOnOneConnection: number;
}

export interface TlsLatencyProxy {
	/** `https://127.0.0.1:PORT`: the Halo URL a client uses instead of the sandbox's */
	url: string;
	/** the certificate (PEM) a client must trust */
	caFile: string;
	roundTripMs: number;
	/** changes the round trip for connections and bytes from now on */
	setRoundTrip(ms: number): void;
	stats(): TlsProxyStats;
	reset(): void;
	stop(): Promise<void>;
}

/** Makes a self-signed certificate for 127.0.0.1 and localhost with openssl (installed from Debian when missing). */
function makeCertificate(folder: string): { key: string; cert: string; caFile: string } {
	execFileSync('bash', [path.join(REPO_ROOT, 'scripts', 'system-packages.sh'), 'openssl'], { stdio: 'inherit' });
	const keyFile = path.join(folder, 'key.pem');
	const caFile = path.join(folder, 'cert.pem');
	execFileSync(
		'openssl',
		[
			'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
			'-keyout', keyFile, '-out', caFile, '-days', '2', '-subj', '/CN=halo-bench.localhost',
			'-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost',
		],
		{ stdio: 'ignore' },
	);
	return { key: fs.readFileSync(keyFile, 'utf8'), cert: fs.readFileSync(caFile, 'utf8'), caFile };
}

/**
 * One direction of the link: chunks leave in order, each `delayMs()` after it arrived, and none
 * before `notBefore` (the connect's round trip, for the client's first bytes).
 */
class DelayedDirection {
	private readonly queue: Array<{ at: number; chunk: Buffer | null }> = [];
	private timer: NodeJS.Timeout | undefined;

	constructor(
		private readonly to: net.Socket,
		private readonly delayMs: () => number,
		private readonly notBefore: number,
	) {}

	/** `null` ends the direction (a half close) once every earlier chunk is out. */
	push(chunk: Buffer | null): void {
		const now = Date.now();
		this.queue.push({ at: Math.max(now, this.notBefore) + this.delayMs(), chunk });
		this.pump();
	}

	private pump(): void {
		if (this.timer) return;
		const next = this.queue[0];
		if (!next) return;
		this.timer = setTimeout(() => {
			this.timer = undefined;
			const now = Date.now();
			while (this.queue.length > 0 && this.queue[0].at <= now) {
				const { chunk } = this.queue.shift()!;
				if (this.to.destroyed) return;
				if (chunk === null) this.to.end();
				else this.to.write(chunk);
			}
			this.pump();
		}, Math.max(0, next.at - Date.now()));
	}

	cancel(): void {
		if (this.timer) clearTimeout(this.timer);
		this.queue.length = 0;
	}
}

/** Starts the proxy in front of `target` (the sandbox's base URL) with a round trip of `roundTripMs`. */
export async function startTlsLatencyProxy(options: { target: string; roundTripMs: number }): Promise<TlsLatencyProxy> {
	const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'halo-tls-proxy-'));
	const { key, cert, caFile } = makeCertificate(folder);
	const target = new URL(options.target);
	let roundTripMs = options.roundTripMs;
	const counts = { connections: 0, resumedSessions: 0, requests: 0 };
	let requestsPerConnection = new Map<TLSSocket, number>();
	let mostOnOne = 0;
	const upstreamAgent = new http.Agent({ keepAlive: true });

	const tlsServer = https.createServer({ key, cert }, (request, response) => {
		const socket = request.socket as TLSSocket;
		const carried = (requestsPerConnection.get(socket) ?? 0) + 1;
		requestsPerConnection.set(socket, carried);
		mostOnOne = Math.max(mostOnOne, carried);
		counts.requests += 1;
		const outgoing = http.request(
			{
				agent: upstreamAgent,
				host: target.hostname,
				port: target.port,
				method: request.method,
				path: request.url,
				headers: { ...request.headers, host: target.host },
			},
			(answer) => {
				response.writeHead(answer.statusCode ?? 502, answer.headers);
				answer.pipe(response);
			},
		);
		// The sandbox dropped the connection (an injected fault): the client's connection drops too.
		outgoing.on('error', () => socket.destroy());
		request.pipe(outgoing);
	});
	tlsServer.on('secureConnection', (socket: TLSSocket) => {
		counts.connections += 1;
		if (socket.isSessionReused()) counts.resumedSessions += 1;
		requestsPerConnection.set(socket, 0);
		socket.once('close', () => requestsPerConnection.delete(socket));
	});
	const listen = async (server: net.Server) =>
		await new Promise<number>((resolve, reject) => {
			server.once('error', reject);
			server.listen(0, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port));
		});
	const tlsPort = await listen(tlsServer);

	const links = new Set<net.Socket>();
	const link = net.createServer((client) => {
		const server = net.connect(tlsPort, '127.0.0.1');
		links.add(client);
		const oneWay = () => roundTripMs / 2;
		// The client's connect returned at once on this machine; over the internet it takes a round trip.
		const up = new DelayedDirection(server, oneWay, Date.now() + roundTripMs);
		const down = new DelayedDirection(client, oneWay, 0);
		client.on('data', (chunk: Buffer) => up.push(chunk));
		client.on('end', () => up.push(null));
		server.on('data', (chunk: Buffer) => down.push(chunk));
		server.on('end', () => down.push(null));
		const close = () => {
			up.cancel();
			down.cancel();
			client.destroy();
			server.destroy();
			links.delete(client);
		};
		client.on('error', close);
		server.on('error', close);
		client.on('close', () => setTimeout(close, roundTripMs));
		server.on('close', () => setTimeout(close, roundTripMs));
	});
	const port = await listen(link);

	return {
		url: `https://127.0.0.1:${port}`,
		caFile,
		get roundTripMs() {
			return roundTripMs;
		},
		setRoundTrip: (ms) => {
			roundTripMs = ms;
		},
		stats: () => ({ ...counts, mostRequestsOnOneConnection: mostOnOne }),
		reset: () => {
			counts.connections = 0;
			counts.resumedSessions = 0;
			counts.requests = 0;
			mostOnOne = 0;
			requestsPerConnection = new Map([...requestsPerConnection.keys()].map((socket) => [socket, 0]));
		},
		stop: async () => {
			for (const socket of links) socket.destroy();
			upstreamAgent.destroy();
			tlsServer.closeAllConnections();
			await Promise.all([
				new Promise<void>((resolve) => link.close(() => resolve())),
				new Promise<void>((resolve) => tlsServer.close(() => resolve())),
			]);
			fs.rmSync(folder, { recursive: true, force: true });
		},
	};
}
