/**
 * One Halo sandbox per test file, plus typed access to its `/_sandbox/` inspection and
 * control endpoints (ARCHITECTURE.md, sandbox contract).
 */
import { startHaloSandbox } from '../../sandbox';
import type { FaultRule, HaloSandbox, RequestLogEntry, SandboxStats } from '../../sandbox';

export type SandboxStartOptions = NonNullable<Parameters<typeof startHaloSandbox>[0]>;

// The stats' type, for tests that read `control.stats()`.
export type { SandboxStats };

/** An HTTP answer with its body as text and, when it parses, as JSON. */
export interface Answer {
	status: number;
	text: string;
	json: any;
	headers: Headers;
}

/** One real HTTP request with global fetch; never throws for an error status. */
export async function send(url: string, init: RequestInit = {}): Promise<Answer> {
	const response = await fetch(url, init);
	const text = await response.text();
	let json: unknown;
	try {
		json = text === '' ? undefined : JSON.parse(text);
	} catch {
		json = undefined;
	}
	return { status: response.status, text, json, headers: response.headers };
}

/** One call to the sandbox's `/_sandbox/` control API (JSON body when given), whatever it answers. */
export function controlRequest(baseUrl: string, method: string, path: string, body?: unknown): Promise<Answer> {
	return send(`${baseUrl}/_sandbox${path}`, {
		method,
		headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
}

/** Typed client for the sandbox's control endpoints; an error status throws with the sandbox's message. */
export class SandboxControl {
	constructor(readonly baseUrl: string) {}

	private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
		const answer = await controlRequest(this.baseUrl, method, path, body);
		if (answer.status >= 400) throw new Error(`sandbox ${method} ${path} answered ${answer.status}: ${answer.text}`);
		return answer.json as T;
	}

	stats = async () => await this.call<SandboxStats>('GET', '/stats');
	requests = async () => await this.call<RequestLogEntry[]>('GET', '/requests');
	reset = async () => await this.call<unknown>('POST', '/reset');
	loadDataset = async (dataset: unknown) => await this.call<unknown>('POST', '/dataset', { dataset });
	addFaults = async (faults: FaultRule[]) => await this.call<unknown>('POST', '/faults', faults);
	clearFaults = async () => await this.call<unknown>('DELETE', '/faults');
	expireTokens = async (options?: { afterRequests: number }) => await this.call<{ expired: number }>('POST', '/tokens/expire', options);
	rateLimit = async (limit: { limit: number; windowMs: number; announce?: boolean } | { enabled: false }) =>
		await this.call<unknown>('POST', '/rate-limit', limit);
	emails = async () => await this.call<Array<Record<string, unknown>>>('GET', '/emails');
	simulate = async (kind: string, body: unknown) => await this.call<unknown>('POST', `/simulate/${kind}`, body);
	configure = async (config: Record<string, unknown>) => await this.call<unknown>('POST', '/config', config);

	/** Requests of one route ("GET /api/tickets") since the last reset. */
	async countRoute(route: string): Promise<number> {
		return (await this.stats()).requestsByRoute[route] ?? 0;
	}
}

export interface SandboxFixture {
	readonly sandbox: HaloSandbox;
	readonly control: SandboxControl;
}

/**
 * Starts a sandbox before the file's tests and stops it after them. Read `sandbox`/`control`
 * inside tests (they exist only once `beforeAll` ran).
 */
export function useHaloSandbox(options?: SandboxStartOptions): SandboxFixture {
	let sandbox: HaloSandbox | undefined;
	let control: SandboxControl | undefined;
	beforeAll(async () => {
		sandbox = await startHaloSandbox(options);
		control = new SandboxControl(sandbox.baseUrl);
	});
	afterAll(async () => {
		await sandbox?.stop();
	});
	return {
		get sandbox() {
			if (!sandbox) throw new Error('The sandbox starts in beforeAll; use it inside a test');
			return sandbox;
		},
		get control() {
			if (!control) throw new Error('The sandbox starts in beforeAll; use it inside a test');
			return control;
		},
	};
}
