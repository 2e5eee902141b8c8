import { TokenIssuer } from './auth';
import { FaultInjector } from './faults';
import { RateLimiter } from './rateLimit';
import type { LatencySettings } from './latency';
import { HaloStore } from './store';
import type { Dataset, Webhook } from './types';
import { WebhookDispatcher, type HaloEvent, type WebhookSettings } from './webhooks';

export interface SandboxConfig {
	tokenLifetimeSeconds: number;
	requireTenant?: string;
	/** token errors end with the client secret the request sent, as a careless server's might (tests of secret redaction) */
	echoSecretInTokenErrors?: boolean;
	baseUrl: string;
	/** the wait before each API and token answer (a configuration: `reset` keeps it) */
	latency: LatencySettings;
}

/** An email Halo would have sent for an action with `sendemail`. */
export interface OutboundEmail {
	ticket_id: number;
	action_id: number;
	to: string;
	cc: string;
	bcc: string;
	subject: string;
	body: string;
	at: string;
}

export interface RequestLogEntry {
	method: string;
	path: string;
	route: string;
	query: Record<string, string>;
	status: number;
	at: string;
}

export interface SinkEntry {
	method: string;
	headers: Record<string, string | string[] | undefined>;
	query: Record<string, string>;
	body: unknown;
	at: string;
}

export interface SandboxStats {
	tokensIssued: number;
	requests: number;
	/** Keyed by method and lower-case route without ids: `GET /api/tickets/:id`. */
	requestsByRoute: Record<string, number>;
	faultsFired: number;
	emailsSent: number;
	/** Delivery attempts, retries included. */
	webhookDeliveries: number;
	/** The most API requests (token requests included) open at once since the last reset: how many a client keeps in flight. */
	mostConcurrentRequests: number;
}

/** The request log keeps the most recent entries only, so long benchmarks stay flat in memory. */
const requestLogLimit = 50000;

/** Everything a running sandbox knows: data, tokens, webhooks, logs and injected behaviour. */
export class SandboxState {
	store: HaloStore;
	readonly tokens: TokenIssuer;
	readonly webhooks: WebhookDispatcher;
	readonly faults: FaultInjector;
	readonly rateLimit = new RateLimiter();
	emails: OutboundEmail[] = [];
	readonly sinks = new Map<string, SinkEntry[]>();
	requests: RequestLogEntry[] = [];
	requestsByRoute = new Map<string, number>();
	requestCount = 0;
	/** API requests received and not yet answered (or closed) */
	openRequests = 0;
	mostConcurrentRequests = 0;

	constructor(
		dataset: Dataset,
		readonly config: SandboxConfig,
		webhookSettings: WebhookSettings,
		faultSeed: number,
	) {
		this.store = new HaloStore(dataset);
		this.tokens = new TokenIssuer(config);
		this.webhooks = new WebhookDispatcher((eventno) => this.subscribers(eventno), webhookSettings);
		this.faults = new FaultInjector(faultSeed);
	}

	stats(): SandboxStats {
		return {
			tokensIssued: this.tokens.issued,
			requests: this.requestCount,
			requestsByRoute: Object.fromEntries(this.requestsByRoute),
			faultsFired: this.faults.fired,
			emailsSent: this.emails.length,
			webhookDeliveries: this.webhooks.attempts().length,
			mostConcurrentRequests: this.mostConcurrentRequests,
		};
	}

	emit(event: HaloEvent): void {
		this.webhooks.emit(event);
	}

	/** The active webhooks an event goes to: those with it in `events[]` and those a notification ties it to. */
	private subscribers(eventno: number): Webhook[] {
		const { webhooks, notifications } = this.store;
		const notified = new Set(notifications.all().filter((row) => Number(row.eventno) === eventno).map((row) => row.webhook_id));
		return [...webhooks.values()].filter(
			(webhook) => webhook.active && (notified.has(webhook.id) || webhook.events.some((event) => event.eventno === eventno)),
		);
	}

	/** A request came in; returns the function to call when it is answered or closed. */
	openRequest(): () => void {
		this.openRequests += 1;
		this.mostConcurrentRequests = Math.max(this.mostConcurrentRequests, this.openRequests);
		return () => {
			this.openRequests -= 1;
		};
	}

	recordRequest(entry: RequestLogEntry): void {
		this.requestCount += 1;
		this.requestsByRoute.set(entry.route, (this.requestsByRoute.get(entry.route) ?? 0) + 1);
		this.requests.push(entry);
		if (this.requests.length > requestLogLimit * 1.2) this.requests = this.requests.slice(-requestLogLimit);
	}

	/** Replaces all data (webhooks included); tokens stay valid. */
	loadDataset(dataset: Dataset): void {
		this.webhooks.cancelAll();
		this.store = new HaloStore(dataset);
	}

	/** Clears logs, counters, faults, a pending token expiry, the rate limit, emails and sinks; keeps the data. */
	reset(): void {
		this.requests = [];
		this.requestsByRoute = new Map();
		this.requestCount = 0;
		this.mostConcurrentRequests = this.openRequests;
		this.tokens.issued = 0;
		this.tokens.cancelPendingExpiry();
		this.faults.clear();
		this.rateLimit.configure(false);
		this.emails = [];
		this.sinks.clear();
		this.webhooks.clearLog();
	}
}
