import axios from 'axios';

import type { HaloHttp, HaloTokenSettings, QueryValue, RetryPolicy } from '../halo-client';
import {
	callHalo,
	DEFAULT_RETRY_POLICY,
	DEFAULT_WINDOW_MS,
	describeHaloFailure,
	haloApiUrl,
	HaloCallError,
	haloTokenFor,
	normalizeHaloBaseUrl,
	paginate,
	readHaloPage,
	redactSecrets,
	RequestPacer,
	TokenMemory,
	withBearerToken,
} from '../halo-client';
import { PagedHaloDataSource } from './datasource';

/**
 * `http` with every request paced by `pacer` (the token fetch: its requests count
 * against Halo's window too). It waits at most `maxWaitMs` for a slot; past that it sends anyway.
 */
function pacedHttp(http: HaloHttp, pacer: RequestPacer, maxWaitMs = DEFAULT_WINDOW_MS): HaloHttp {
	return async (request) => {
		const ticket = await pacer.acquire(maxWaitMs);
		try {
			const answer = await http(request);
			pacer.settle(ticket, answer.status, answer.body);
			return answer;
		} catch (error) {
			pacer.settle(ticket, undefined);
			throw error;
		}
	};
}

export interface HaloConnection extends HaloTokenSettings {
	retryPolicy?: Partial<RetryPolicy>;
	/** per request; default the retry policy's (120 s) */
	timeoutMs?: number;
}

/** A Halo request that failed for good: Halo's message, what to do about it, and the HTTP status when Halo answered. */
export class HaloRequestError extends Error {
	constructor(
		message: string,
		readonly status?: number,
		readonly description?: string,
	) {
		super(message);
		this.name = 'HaloRequestError';
	}
}

/** axios as the core's HTTP: every status is an answer; no answer rejects with axios's network `code`. */
const axiosHttp: HaloHttp = async (request) => {
	const response = await axios.request({
		method: request.method,
		url: request.url,
		headers: request.headers,
		params: request.qs,
		data: request.body,
		timeout: request.timeoutMs,
		validateStatus: () => true,
	});
	return { status: response.status, headers: response.headers as Record<string, unknown>, body: response.data };
};

const wait = async (ms: number): Promise<void> => await new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A Halo API client for scripts outside n8n, on the same core as the nodes: one token for every
 * request of the client (fetched on first use, renewed once when Halo answers 401, one fetch however
 * many requests were refused at once), Halo's retry rules, its paging, requests paced once Halo's
 * rate-limit window is known.
 */
export class HaloAxiosClient {
	private readonly baseUrl: string;
	private readonly policy: RetryPolicy;
	private readonly timeoutMs: number;
	private readonly tokens = new TokenMemory();
	/** Halo's rate-limit window as this client learns it; its token requests are paced too */
	private readonly pacer = new RequestPacer(wait);
	private token = '';
	private readonly http: HaloHttp;

	constructor(private readonly connection: HaloConnection) {
		this.baseUrl = normalizeHaloBaseUrl(connection.url);
		this.policy = { ...DEFAULT_RETRY_POLICY, ...connection.retryPolicy };
		this.timeoutMs = connection.timeoutMs ?? this.policy.requestTimeoutMs;
		this.http = withBearerToken(axiosHttp, async (failedToken) => await this.tokenToSend(failedToken));
	}

	/** The token in use, or, after Halo refused `failedToken`, its replacement. */
	private async tokenToSend(failedToken: string): Promise<string> {
		if (!failedToken && this.token) return this.token;
		this.token = await haloTokenFor(this.tokens, pacedHttp(axiosHttp, this.pacer), this.connection, failedToken);
		return this.token;
	}

	/**
	 * GET `{base}/api{path}`. Fails with a HaloRequestError, or with a HaloAuthenticationError when no
	 * token could be had; neither carries the secret or a token. `ahead`: a list's page asked ahead of
	 * need, which Halo's rate limit may defer (AheadRequestDeferred, see callHalo).
	 */
	async get(path: string, qs: Record<string, QueryValue> = {}, ahead = false): Promise<unknown> {
		try {
			return await callHalo(
				this.http,
				{ method: 'GET', url: `${haloApiUrl(this.baseUrl)}${path}`, qs, headers: { Accept: 'application/json' }, timeoutMs: this.timeoutMs },
				{ policy: this.policy, sleep: wait, pacer: this.pacer, ahead },
			);
		} catch (error) {
			if (!(error instanceof HaloCallError)) throw error;
			const { message, description } = describeHaloFailure(error);
			const secrets = [this.connection.clientSecret, this.token];
			throw new HaloRequestError(redactSecrets(`GET ${path}: ${message}`, secrets), error.failure.status, redactSecrets(description, secrets));
		}
	}

	/** Every row of a Halo list, following `page_no` until `record_count` rows are in. */
	async listAll(path: string, envelopeKey: string | null, qs: Record<string, QueryValue> = {}): Promise<Array<Record<string, unknown>>> {
		if (envelopeKey === null) return readHaloPage<Record<string, unknown>>(await this.get(path, qs), null).rows;
		return await paginate(async (pageNo, pageSize, ahead) =>
			readHaloPage<Record<string, unknown>>(await this.get(path, { ...qs, pageinate: true, page_size: pageSize, page_no: pageNo }, ahead), envelopeKey),
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
