import axios from 'axios';
import type { AxiosResponse } from 'axios';

import type { QueryValue } from './datasource';
import { PagedHaloDataSource } from './datasource';
import type { RetryPolicy } from '../halo-client';
import {
	authInfoUrl,
	authUrlFromAuthInfo,
	DEFAULT_RETRY_POLICY,
	decideRetry,
	extractHaloError,
	haloApiUrl,
	initialRetryState,
	normalizeHaloBaseUrl,
	paginate,
	readHaloPage,
	recordWait,
	redactSecrets,
	resolveAuthUrl,
	resolveTokenUrl,
} from '../halo-client';

export interface HaloConnection {
	/** the Halo instance, e.g. https://yourcompany.halopsa.com */
	url: string;
	clientId: string;
	clientSecret: string;
	/** hosted instances: the tenant name sent as `?tenant=` on token requests */
	tenant?: string;
	/** the authorisation server when it is not `{url}/auth`; discovered from `/api/authinfo` when empty */
	authUrl?: string;
	/** default `all` */
	scope?: string;
	retryPolicy?: Partial<RetryPolicy>;
	/** per request; default the retry policy's (120 s) */
	timeoutMs?: number;
}

export class HaloRequestError extends Error {
	constructor(
		message: string,
		readonly status?: number,
	) {
		super(message);
		this.name = 'HaloRequestError';
	}
}

const sleep = async (ms: number) => await new Promise((resolve) => setTimeout(resolve, ms));

/** A minimal Halo API client for scripts outside n8n: client-credentials token, GET with Halo's retry rules. */
export class HaloAxiosClient {
	private readonly baseUrl: string;
	private readonly policy: RetryPolicy;
	private readonly timeoutMs: number;
	private token?: { value: string; expiresAt: number };

	constructor(private readonly connection: HaloConnection) {
		this.baseUrl = normalizeHaloBaseUrl(connection.url);
		this.policy = { ...DEFAULT_RETRY_POLICY, ...connection.retryPolicy };
		this.timeoutMs = connection.timeoutMs ?? this.policy.requestTimeoutMs;
	}

	private redact(text: string): string {
		return redactSecrets(text, [this.connection.clientSecret, this.token?.value]);
	}

	private async accessToken(): Promise<string> {
		if (this.token && this.token.expiresAt > Date.now()) return this.token.value;
		let discovered: string | undefined;
		if (!this.connection.authUrl?.trim()) {
			const info = await axios.get(authInfoUrl(this.baseUrl), { validateStatus: () => true, timeout: this.timeoutMs }).catch(() => undefined);
			discovered = info && info.status < 300 ? authUrlFromAuthInfo(info.data) : undefined;
		}
		const authUrl = resolveAuthUrl({ baseUrl: this.baseUrl, authUrl: this.connection.authUrl, discoveredAuthUrl: discovered });
		const form = new URLSearchParams({
			grant_type: 'client_credentials',
			client_id: this.connection.clientId,
			client_secret: this.connection.clientSecret,
			scope: this.connection.scope?.trim() || 'all',
		});
		const response = await axios.post(resolveTokenUrl(authUrl, this.connection.tenant), form.toString(), {
			headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
			validateStatus: () => true,
			timeout: this.timeoutMs,
		});
		const body = response.data as Record<string, unknown> | undefined;
		if (response.status >= 300 || typeof body?.access_token !== 'string') {
			const { message } = extractHaloError(response.data);
			throw new HaloRequestError(this.redact(`Halo refused the token request (${response.status}): ${message || 'no access token in the answer'}`), response.status);
		}
		const lifetimeSeconds = Number(body.expires_in) > 0 ? Number(body.expires_in) : 3600;
		// renew a minute early so a long load never sends an expired token
		this.token = { value: body.access_token, expiresAt: Date.now() + Math.max(1, lifetimeSeconds - 60) * 1000 };
		return this.token.value;
	}

	/** GET `{base}/api{path}`: 401 renews the token once; 429, 502-504 and dropped connections follow Halo's retry rules. */
	async get(path: string, qs: Record<string, QueryValue> = {}): Promise<unknown> {
		let state = initialRetryState();
		let renewedToken = false;
		for (;;) {
			let response: AxiosResponse | undefined;
			let code: string | undefined;
			try {
				response = await axios.get(`${haloApiUrl(this.baseUrl)}${path}`, {
					params: qs,
					headers: { Authorization: `Bearer ${await this.accessToken()}` },
					validateStatus: () => true,
					timeout: this.timeoutMs,
				});
			} catch (error) {
				if (error instanceof HaloRequestError) throw error;
				code = (error as { code?: string }).code ?? 'ECONNRESET';
			}
			if (response && response.status < 300) return response.data;
			if (response?.status === 401 && !renewedToken) {
				renewedToken = true;
				this.token = undefined;
				continue;
			}
			const decision = decideRetry('GET', { status: response?.status, code, retryAfter: response?.headers['retry-after'] }, state, this.policy);
			if (decision.action === 'fail') {
				const detail = response ? extractHaloError(response.data).message : `connection failed (${code})`;
				throw new HaloRequestError(this.redact(`GET ${path} failed: ${detail || `HTTP ${response?.status}`} (${decision.reason})`), response?.status);
			}
			await sleep(decision.delayMs);
			state = recordWait(state, decision.kind, decision.delayMs);
		}
	}

	/** Every row of a Halo list, following `page_no` until `record_count` rows are in. */
	async listAll(path: string, envelopeKey: string | null, qs: Record<string, QueryValue> = {}): Promise<Array<Record<string, unknown>>> {
		if (envelopeKey === null) return readHaloPage<Record<string, unknown>>(await this.get(path, qs), null).rows;
		return await paginate(async (pageNo, pageSize) =>
			readHaloPage<Record<string, unknown>>(await this.get(path, { ...qs, pageinate: true, page_size: pageSize, page_no: pageNo }), envelopeKey),
		);
	}
}

/**
 * Loads snapshots straight from Halo with axios, for scripts and services outside n8n:
 *
 *   const source = new AxiosHaloDataSource({ url, clientId, clientSecret, tenant });
 *   const plan = await planDeployments(await source.loadSnapshot(), policies);
 */
export class AxiosHaloDataSource extends PagedHaloDataSource {
	constructor(connection: HaloConnection) {
		const client = new HaloAxiosClient(connection);
		super(async (path, envelopeKey, qs) => await client.listAll(path, envelopeKey, qs));
	}
}
