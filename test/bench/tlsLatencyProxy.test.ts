import * as fs from 'node:fs';
import * as https from 'node:https';

import { startTlsLatencyProxy, type TlsLatencyProxy } from '../../bench/tls-latency-proxy';
import { startHaloSandbox, type HaloSandbox } from '../../sandbox';

const ROUND_TRIP_MS = 100;
// A timer may fire a fraction of a millisecond before its delay as performance.now() counts it.
const TIMER_SLACK_MS = 3;

/** GET `path` through the proxy with `agent`; resolves with the status and the milliseconds it took. */
function get(proxy: TlsLatencyProxy, agent: https.Agent, path: string): Promise<{ status: number; ms: number; body: string }> {
	const started = performance.now();
	return new Promise((resolve, reject) => {
		const request = https.get(`${proxy.url}${path}`, { agent }, (answer) => {
			let body = '';
			answer.setEncoding('utf8');
			answer.on('data', (chunk: string) => (body += chunk));
			answer.on('end', () => resolve({ status: answer.statusCode ?? 0, ms: performance.now() - started, body }));
		});
		request.on('error', reject);
	});
}

/**
 * The benchmarks' HTTPS front for the sandbox: it answers for the sandbox, a new connection costs
 * its handshakes' round trips, and it counts connections and the requests each carried. Only
 * floors of time are asserted: no answer can come sooner than its round trips.
 */
describe('TLS latency proxy', () => {
	let sandbox: HaloSandbox;
	let proxy: TlsLatencyProxy;
	let ca: string;

	beforeAll(async () => {
		sandbox = await startHaloSandbox();
		proxy = await startTlsLatencyProxy({ target: sandbox.baseUrl, roundTripMs: ROUND_TRIP_MS });
		ca = fs.readFileSync(proxy.caFile, 'utf8');
	});
	afterAll(async () => {
		await proxy.stop();
		await sandbox.stop();
	});
	beforeEach(() => proxy.reset());

	it('answers as the sandbox over HTTPS, a new connection taking three round trips (TCP, TLS 1.3, the request)', async () => {
		const agent = new https.Agent({ ca, keepAlive: false });
		const first = await get(proxy, agent, '/api/authinfo');
		expect(first.status).toBe(200);
		expect(JSON.parse(first.body)).toMatchObject({ tenant_id: 'sandbox' });
		expect(first.ms).toBeGreaterThanOrEqual(3 * ROUND_TRIP_MS - TIMER_SLACK_MS);
		expect((await get(proxy, agent, '/api/Agent/me')).status).toBe(401);
		expect(proxy.stats()).toMatchObject({ connections: 2, requests: 2, mostRequestsOnOneConnection: 1 });
		// The agent kept the first TLS session and offered it again.
		expect(proxy.stats().resumedSessions).toBe(1);
		agent.destroy();
	});

	it('counts requests per connection: a kept-alive connection carries several, each a round trip', async () => {
		const agent = new https.Agent({ ca, keepAlive: true, maxSockets: 1 });
		for (let index = 0; index < 3; index++) {
			const answer = await get(proxy, agent, '/api/authinfo');
			expect(answer.ms).toBeGreaterThanOrEqual(ROUND_TRIP_MS - TIMER_SLACK_MS);
		}
		expect(proxy.stats()).toMatchObject({ connections: 1, requests: 3, mostRequestsOnOneConnection: 3 });
		agent.destroy();
	});

	it('refuses a client that does not trust its certificate', async () => {
		const agent = new https.Agent({ keepAlive: false });
		await expect(get(proxy, agent, '/api/authinfo')).rejects.toThrow(/self-signed|certificate/i);
		agent.destroy();
	});
});
