import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startHaloSandbox, type HaloSandbox } from '../../sandbox';
import { findHaloEvent } from '../../sandbox/webhooks';
import { controlRequest, send, type Answer } from '../helpers/sandbox';

/** Small HTTP helpers for the sandbox tests: real requests with global fetch. */

export { send, type Answer };

export function requestToken(
	sandbox: HaloSandbox,
	fields: Record<string, string>,
	tenant?: string,
): Promise<Answer> {
	const query = tenant === undefined ? '' : `?tenant=${encodeURIComponent(tenant)}`;
	return send(`${sandbox.baseUrl}/auth/token${query}`, {
		method: 'POST',
		headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams(fields).toString(),
	});
}

export async function tokenFor(sandbox: HaloSandbox, application = 'demo', scope?: string): Promise<string> {
	const fields: Record<string, string> = {
		grant_type: 'client_credentials',
		client_id: `sandbox-${application}-client`,
		client_secret: `sandbox-${application}-secret`,
	};
	if (scope) fields.scope = scope;
	const answer = await requestToken(sandbox, fields);
	if (answer.status !== 200) throw new Error(`Token request failed: ${answer.status} ${answer.text}`);
	return answer.json.access_token as string;
}

/** A Halo API call: `path` relative to /api. */
export function api(sandbox: HaloSandbox, token: string, method: string, path: string, body?: unknown): Promise<Answer> {
	return send(`${sandbox.baseUrl}/api${path}`, {
		method,
		headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
		body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
	});
}

/** A `/_sandbox/` control call, answered whatever its status (tests check error answers too). */
export function control(sandbox: HaloSandbox, method: string, path: string, body?: unknown): Promise<Answer> {
	return controlRequest(sandbox.baseUrl, method, path, body);
}

export interface Received {
	headers: http.IncomingHttpHeaders;
	body: any;
}

/** A local webhook receiver; `answer` decides the status of each request (by its 0-based index). */
export async function startReceiver(answer: (index: number) => number = () => 200): Promise<{
	url: string;
	received: Received[];
	close(): Promise<void>;
}> {
	const received: Received[] = [];
	const server = http.createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => {
			const index = received.length;
			received.push({ headers: req.headers, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
			res.writeHead(answer(index));
			res.end();
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}/hook`,
		received,
		close: () =>
			new Promise<void>((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve());
			}),
	};
}

/** A webhook's `events[]` for these event names: Halo ties events to a webhook by number. */
export function subscriptions(names: string[]): Array<{ eventno: number; name: string; conditions: unknown[] }> {
	return names.map((name) => {
		const event = findHaloEvent(name);
		if (!event) throw new Error(`the sandbox has no event named ${name}`);
		return { eventno: event.eventno, name: event.name, conditions: [] };
	});
}

/**
 * A sandbox (no delivery retries) with one webhook for `events` into a local receiver, for tests that
 * check which events a call fires. `deliveredEvents()` flushes and returns the events since its last call.
 */
export async function startWatchedSandbox(events: string[]): Promise<{
	sandbox: HaloSandbox;
	token: string;
	deliveredEvents(): Promise<string[]>;
	stop(): Promise<void>;
}> {
	const sandbox = await startHaloSandbox({ webhooks: { retryDelaysMs: [] } });
	const token = await tokenFor(sandbox);
	const receiver = await startReceiver();
	const hook = await api(sandbox, token, 'POST', '/Webhook', [{ name: 'watched writes', url: receiver.url, events: subscriptions(events) }]);
	if (hook.status !== 201) throw new Error(`the sandbox refused the test webhook: ${hook.status}`);
	return {
		sandbox,
		token,
		async deliveredEvents() {
			await control(sandbox, 'POST', '/webhooks/flush');
			return receiver.received.splice(0).map((request) => request.body.event);
		},
		async stop() {
			await sandbox.stop();
			await receiver.close();
		},
	};
}
