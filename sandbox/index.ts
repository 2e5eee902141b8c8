import type { AddressInfo } from 'node:net';
import { buildDataset, type DatasetSpec, type GenerateOptions } from './datasets';
import { demoApplications } from './datasets/common';
import type { FaultRule } from './faults';
import type { OutboundEmail, RequestLogEntry, SandboxStats, SinkEntry } from './state';
import { SandboxState } from './state';
import { createSandboxServer } from './server';
import { defaultWebhookSettings, type DeliveryAttempt, type HaloEvent, type WebhookSettings } from './webhooks';

export interface HaloSandboxOptions {
	/** 0 (default) = any free port. */
	port?: number;
	/** Default 127.0.0.1. */
	host?: string;
	/** Default 'demo'. */
	dataset?: DatasetSpec;
	/** Token requests must carry `?tenant=<value>`. */
	requireTenant?: string;
	/** Default 3600. */
	tokenLifetimeSeconds?: number;
	/** Default false (off). */
	rateLimit?: { limit: number; windowMs: number } | false;
	/** Webhook delivery behaviour: retry delays (default 100, 500, 2000 ms), batching, timeout. */
	webhooks?: Partial<WebhookSettings>;
	/** Seed of the RNG behind probabilistic faults (default 1). */
	faultSeed?: number;
	/** The day dataset dates are relative to (default now). */
	referenceTime?: number;
}

export interface HaloSandbox {
	/** http://127.0.0.1:PORT (API at /api, auth at /auth, control at /_sandbox). */
	baseUrl: string;
	port: number;
	/** The demo API application (scope all). */
	clientId: string;
	clientSecret: string;
	stop(): Promise<void>;
	stats(): SandboxStats;
	requests(): RequestLogEntry[];
	reset(): void;
	loadDataset(dataset: DatasetSpec): void;
	setFaults(faults: FaultRule[], seed?: number): void;
	clearFaults(): void;
	setRateLimit(rateLimit: { limit: number; windowMs: number } | false): void;
	emails(): OutboundEmail[];
	webhookDeliveries(webhookId?: string): DeliveryAttempt[];
	flushWebhooks(): Promise<void>;
	redeliver(deliveryId: string): boolean;
	sink(name: string): SinkEntry[];
	/** Direct access to the data and event bus, for in-process tests that need more. */
	state: SandboxState;
	emit(event: HaloEvent): void;
}

export async function startHaloSandbox(options: HaloSandboxOptions = {}): Promise<HaloSandbox> {
	const host = options.host ?? '127.0.0.1';
	const dataset = buildDataset(options.dataset ?? 'demo', options.referenceTime);
	const state = new SandboxState(
		dataset,
		{ tokenLifetimeSeconds: options.tokenLifetimeSeconds ?? 3600, requireTenant: options.requireTenant, baseUrl: '' },
		{ ...defaultWebhookSettings, retryDelaysMs: [...defaultWebhookSettings.retryDelaysMs], ...options.webhooks },
		options.faultSeed ?? 1,
	);
	if (options.rateLimit) state.rateLimit.configure(options.rateLimit);
	const server = createSandboxServer(state);
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(options.port ?? 0, host, () => resolve());
	});
	const { port } = server.address() as AddressInfo;
	const baseUrl = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
	state.config.baseUrl = baseUrl;
	const demo = demoApplications[0];
	return {
		baseUrl,
		port,
		clientId: demo.clientId,
		clientSecret: demo.clientSecret,
		state,
		stop: async () => {
			state.webhooks.cancelAll();
			server.closeAllConnections();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		},
		stats: () => state.stats(),
		requests: () => [...state.requests],
		reset: () => state.reset(),
		loadDataset: (spec) => state.loadDataset(buildDataset(spec, options.referenceTime)),
		setFaults: (faults, seed) => state.faults.add(faults, seed),
		clearFaults: () => state.faults.clear(),
		setRateLimit: (rateLimit) => state.rateLimit.configure(rateLimit),
		emails: () => [...state.emails],
		webhookDeliveries: (webhookId) => state.webhooks.attempts(webhookId),
		flushWebhooks: () => state.webhooks.flush(),
		redeliver: (deliveryId) => state.webhooks.redeliver(deliveryId),
		sink: (name) => [...(state.sinks.get(name) ?? [])],
		emit: (event) => state.emit(event),
	};
}

export { demoApplications };
export type { SandboxStats, DatasetSpec, DeliveryAttempt, FaultRule, GenerateOptions, HaloEvent, OutboundEmail, RequestLogEntry, SinkEntry, WebhookSettings };
