/**
 * One Halo sandbox per test file, plus typed access to its `/_sandbox/` inspection and
 * control endpoints (ARCHITECTURE.md, sandbox contract).
 */
import { startHaloSandbox } from '../../sandbox';
import type { HaloSandbox } from '../../sandbox';

export type SandboxStartOptions = NonNullable<Parameters<typeof startHaloSandbox>[0]>;

export interface SandboxStats {
	tokensIssued: number;
	requests: number;
	requestsByRoute: Record<string, number>;
}

export interface SandboxRequestLog {
	method: string;
	path: string;
	query: Record<string, string>;
	status: number;
	at: string;
}

export interface SandboxFault {
	route: string;
	kind: 'status' | 'slow' | 'drop' | 'processed-then-fail';
	status?: number;
	delayMs?: number;
	probability?: number;
	count?: number;
}

/** Typed client for the sandbox's control endpoints. */
export class SandboxControl {
	constructor(readonly baseUrl: string) {}

	private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
		const answer = await fetch(`${this.baseUrl}/_sandbox${path}`, {
			method,
			headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const text = await answer.text();
		if (!answer.ok) throw new Error(`sandbox ${method} ${path} answered ${answer.status}: ${text}`);
		return (text ? JSON.parse(text) : undefined) as T;
	}

	stats = async () => await this.call<SandboxStats>('GET', '/stats');
	requests = async () => await this.call<SandboxRequestLog[]>('GET', '/requests');
	reset = async () => await this.call<unknown>('POST', '/reset');
	loadDataset = async (dataset: unknown) => await this.call<unknown>('POST', '/dataset', { dataset });
	addFaults = async (faults: SandboxFault[]) => await this.call<unknown>('POST', '/faults', faults);
	clearFaults = async () => await this.call<unknown>('DELETE', '/faults');
	rateLimit = async (limit: { limit: number; windowMs: number } | { enabled: false }) =>
		await this.call<unknown>('POST', '/rate-limit', limit);
	emails = async () => await this.call<Array<Record<string, unknown>>>('GET', '/emails');
	simulate = async (kind: string, body: unknown) => await this.call<unknown>('POST', `/simulate/${kind}`, body);

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
