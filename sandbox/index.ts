import type { AddressInfo } from 'node:net';
import { buildDataset, type DatasetSpec, type GenerateOptions } from './datasets';
import { demoApplications } from './datasets/common';
import { validateFaults, type FaultRule } from './faults';
import { noLatency, validateLatency, type LatencySettings } from './latency';
import { validateRateLimit } from './rateLimit';
import { integerSetting, maxSeed, maxTokenLifetimeSeconds } from './validation';
import type { OutboundEmail, RequestLogEntry, SandboxStats, SinkEntry } from './state';
import { SandboxState } from './state';
import { createSandboxServer } from './server';
import { defaultWebhookSettings, validateWebhookSettings, type DeliveryAttempt, type HaloEvent, type WebhookSettings } from './webhooks';

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
	/**
	 * Milliseconds before each API answer, as a hosted tenant over the internet (a round trip and
	 * Halo's own time, per request); default 0.
	 */
	latencyMs?: number;
	/** Milliseconds before each token answer (`POST /auth/token`); default `latencyMs`. */
	tokenLatencyMs?: number;
	/** Default false (off). */
	rateLimit?: { limit: number; windowMs: number; announce?: boolean } | false;
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
	setRateLimit(rateLimit: { limit: number; windowMs: number; announce?: boolean } | false): void;
	/** Changes the latency (`tokenLatencyMs: null`: the same as `latencyMs`); checked like the options. */
	setLatency(latency: { latencyMs?: number; tokenLatencyMs?: number | null }): void;
	emails(): OutboundEmail[];
	webhookDeliveries(webhookId?: string): DeliveryAttempt[];
	flushWebhooks(): Promise<void>;
	redeliver(deliveryId: string): boolean;
	sink(name: string): SinkEntry[];
	/** Direct access to the data and event bus, for in-process tests that need more. */
	state: SandboxState;
	emit(event: HaloEvent): void;
}

/** Rejects (with a message saying what is wrong) instead of starting with a NaN or an overflowing timer. */
export async function startHaloSandbox(options: HaloSandboxOptions = {}): Promise<HaloSandbox> {
	const host = options.host ?? '127.0.0.1';
	const port = integerSetting(options.port ?? 0, 'port', 0, 65535);
	const tokenLifetimeSeconds = integerSetting(options.tokenLifetimeSeconds ?? 3600, 'tokenLifetimeSeconds', 1, maxTokenLifetimeSeconds);
	const webhookSettings = options.webhooks === undefined ? {} : validateWebhookSettings(options.webhooks);
	const rateLimit = options.rateLimit === undefined ? false : validateRateLimit(options.rateLimit);
	const latency: LatencySettings = { ...noLatency, ...validateLatency({ latencyMs: options.latencyMs, tokenLatencyMs: options.tokenLatencyMs }) };
	const faultSeed = integerSetting(options.faultSeed ?? 1, 'faultSeed', 0, maxSeed);
	const dataset = buildDataset(options.dataset ?? 'demo', options.referenceTime);
	const state = new SandboxState(
		dataset,
		{ tokenLifetimeSeconds, requireTenant: options.requireTenant, baseUrl: '', latency },
		{ ...defaultWebhookSettings, retryDelaysMs: [...defaultWebhookSettings.retryDelaysMs], ...webhookSettings },
		faultSeed,
	);
	state.rateLimit.configure(rateLimit);
	const server = createSandboxServer(state);
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, host, () => resolve());
	});
	const address = server.address() as AddressInfo;
	const baseUrl = `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
	state.config.baseUrl = baseUrl;
	const demo = demoApplications[0];
	return {
		baseUrl,
		port: address.port,
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
		setFaults: (faults, seed) => state.faults.add(validateFaults(faults), seed),
		clearFaults: () => state.faults.clear(),
		setRateLimit: (rateLimit) => state.rateLimit.configure(validateRateLimit(rateLimit)),
		setLatency: (change) => Object.assign(state.config.latency, validateLatency(change)),
		emails: () => [...state.emails],
		webhookDeliveries: (webhookId) => state.webhooks.attempts(webhookId),
		flushWebhooks: () => state.webhooks.flush(),
		redeliver: (deliveryId) => state.webhooks.redeliver(deliveryId),
		sink: (name) => [...(state.sinks.get(name) ?? [])],
		emit: (event) => state.emit(event),
	};
}

export { demoApplications };
export type { LatencySettings, SandboxStats, DatasetSpec, DeliveryAttempt, FaultRule, GenerateOptions, HaloEvent, OutboundEmail, RequestLogEntry, SinkEntry, WebhookSettings };
