import type {
	ICredentialsDecrypted,
	IDataObject,
	IExecuteFunctions,
	IHookFunctions,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	IN8nHttpFullResponse,
	INode,
	IWebhookFunctions,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError, sleep } from 'n8n-workflow';

import {
	AheadRequestDeferred,
	callHalo,
	DEFAULT_RETRY_POLICY,
	describeHaloFailure,
	DROPPED_CONNECTION_CODES,
	HALO_MAX_PAGE_SIZE,
	HaloCallError,
	haloTokenIdentity,
	haloTokenSettingsFrom,
	isHaloAuthenticationError,
	normalizeHaloBaseUrl,
	pacerFor,
	paginate,
	parseJsonText,
	readHaloPage,
	redactSecrets,
} from '../../halo-client';
import type { HaloHttp, HaloHttpMethod, HaloPage, RequestPacer, RetryPolicy } from '../../halo-client';

export type { HaloHttpMethod };

/**
 * The nodes' one way to Halo. Every HTTP call of the four nodes goes through `haloApiRequest`, which
 * hands it to the Halo client core's request loop (`callHalo`: retries, rate-limit budget, write
 * checks) over n8n's `httpRequestWithAuthentication` (the credential's token, renewed by n8n after a
 * 401), and turns what failed into a NodeApiError with Halo's message and no secret.
 */

export type HaloFunctions = IExecuteFunctions | ILoadOptionsFunctions | IHookFunctions | IWebhookFunctions;

export const HALO_CREDENTIAL_TYPE = 'haloPsaAutomationApi';

export interface HaloRequestOptions {
	qs?: IDataObject;
	/** POST bodies are wrapped into an array (Halo's shape) when an object is given */
	body?: IDataObject | IDataObject[];
	/** for error context */
	itemIndex?: number;
	/**
	 * For POSTs: how to tell after an ambiguous failure (500, 502/503/504, a dropped or timed-out
	 * connection) whether Halo processed the write. Returns the created object when it did (then no
	 * retry happens), undefined when it did not (then the same request is sent again, within the
	 * retry policy's bound). Without it a POST is never sent twice.
	 */
	verifyWrite?: () => Promise<IDataObject | undefined>;
	/** total seconds to wait for Halo's rate limit to clear; defaults to the node option or 300 */
	maxRateLimitWaitSeconds?: number;
	/** fine-tuning of the retry delays (tests use shorter ones) */
	retryPolicy?: Partial<RetryPolicy>;
	/** per-attempt timeout in milliseconds (default: the retry policy's, 120 s); the trigger's webhook-time look-ups use a short one */
	timeoutMs?: number;
	/** a list's page asked ahead of need: held back by Halo's rate limit it rejects with AheadRequestDeferred (see callHalo) */
	ahead?: boolean;
}

export interface HaloListOptions extends HaloRequestOptions {
	/** stop after this many rows; undefined = all */
	limit?: number;
	/** the page size to ask for (Halo caps it at 100 whatever is asked) */
	pageSize?: number;
	/** turns each row into the one returned (e.g. simplified) as its page arrives; one row per row */
	mapRow?: (row: IDataObject) => IDataObject;
}

/** The default total wait for the rate limit: a full Halo window (300 requests per 5 minutes). */
export const DEFAULT_MAX_RATE_LIMIT_WAIT_SECONDS = 300;

/** Where {@link memoisedPromise} keeps its promises: a Map, or a WeakMap keyed by the execution's context. */
export interface PromiseCache<K, T> {
	get(key: K): Promise<T> | undefined;
	set(key: K, value: Promise<T>): unknown;
	delete(key: K): unknown;
}

/**
 * The promise `cache` holds for `key`, else `load()`'s, kept there so every later caller shares it;
 * one that rejects is forgotten, so the next call tries again.
 */
export async function memoisedPromise<K, T>(cache: PromiseCache<K, T>, key: K, load: () => Promise<T>): Promise<T> {
	let value = cache.get(key);
	if (!value) {
		value = load();
		cache.set(key, value);
		value.catch(() => cache.delete(key));
	}
	return await value;
}

/** What the transport reads from the credential once per execution. */
interface HaloCredential {
	/** the Halo URL, normalised to the instance root */
	baseUrl: string;
	/** handed to n8n's request helper, so it does not read and decrypt the credential again for every request */
	decrypted: ICredentialsDecrypted;
	/** this process's pacer for the credential (undefined while its settings cannot make a token) */
	pacer?: RequestPacer;
}

// One credential read per execution (n8n reads and decrypts the credential on every getCredentials
// call, a few milliseconds in a real n8n), not one per request: a 100-page list made 100.
const haloCredentials = new WeakMap<object, Promise<HaloCredential>>();

async function getHaloCredential(this: HaloFunctions): Promise<HaloCredential> {
	return await memoisedPromise(haloCredentials, this, async () => await readHaloCredential.call(this));
}

/** The credential's Halo URL, normalised to the instance root (`https://x.halopsa.com`). */
export async function getHaloBaseUrl(this: HaloFunctions): Promise<string> {
	return (await getHaloCredential.call(this)).baseUrl;
}

async function readHaloCredential(this: HaloFunctions): Promise<HaloCredential> {
	const data = await this.getCredentials(HALO_CREDENTIAL_TYPE);
	let baseUrl: string;
	try {
		baseUrl = normalizeHaloBaseUrl(String(data.url ?? ''));
	} catch (error) {
		throw new NodeOperationError(this.getNode(), error.message, {
			description: 'Open the HaloPSA Automation credential and correct the Halo URL.',
		});
	}
	const stored = this.getNode().credentials?.[HALO_CREDENTIAL_TYPE];
	let pacer: RequestPacer | undefined;
	try {
		pacer = pacerFor(haloTokenIdentity(haloTokenSettingsFrom(data)), sleep);
	} catch {
		// settings no token can be fetched with: the request fails at the token fetch with the reason
	}
	return {
		baseUrl,
		// n8n's helper renews the token into `data` (Object.assign) and stores it in the credential, so later requests of this execution send the new one.
		decrypted: { id: stored?.id ?? '', name: stored?.name ?? '', type: HALO_CREDENTIAL_TYPE, data },
		pacer,
	};
}

export function isObject(value: unknown): value is IDataObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * An answer's body, read from n8n's response stream as it arrives and parsed when it is JSON (the
 * text otherwise, '' when empty). Each chunk is decoded the moment it comes and let go: read this
 * way, a 100-page list leaves no response buffers behind for V8's next full collection, where n8n's
 * own reading (chunks joined at the end) left about 8 MB of them for 10k tickets. A body that is
 * not a stream is returned as it is. A connection lost mid-answer fails like a dropped connection.
 */
async function readAnswerBody(body: unknown): Promise<unknown> {
	if (!body || typeof body !== 'object' || !(Symbol.asyncIterator in body)) return body;
	const decoder = new TextDecoder();
	const parts: string[] = [];
	try {
		for await (const chunk of body as AsyncIterable<Uint8Array | string>) {
			parts.push(typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true }));
		}
	} catch (error) {
		const code = (error as { code?: unknown }).code;
		const lost = new Error(`The connection closed before Halo's answer was complete: ${(error as Error).message}`);
		// Any failure mid-answer is a dropped connection to the request loop; a dropped connection's own code is kept.
		throw Object.assign(lost, { code: typeof code === 'string' && DROPPED_CONNECTION_CODES.has(code) ? code : 'ECONNRESET' });
	}
	parts.push(decoder.decode());
	const text = parts.join('');
	return text === '' ? '' : parseJsonText(text);
}

/**
 * `httpRequestWithAuthentication` as the core's HTTP. n8n's helper throws for an error status (that is
 * how it notices a 401, renews the token and sends once more), so a thrown answer is read back into
 * the answer it was; a token failure of the credential passes through as the HaloAuthenticationError
 * it is, and no answer at all as the network error.
 */
function authenticatedHttp(context: HaloFunctions, credential: HaloCredential): HaloHttp {
	const additionalCredentialOptions = { credentialsDecrypted: credential.decrypted };
	return async (request) => {
		try {
			const answer = (await context.helpers.httpRequestWithAuthentication.call(context, HALO_CREDENTIAL_TYPE, {
				method: request.method,
				url: request.url,
				headers: request.headers,
				json: true,
				timeout: request.timeoutMs,
				returnFullResponse: true,
				encoding: 'stream',
				...(request.qs && Object.keys(request.qs).length ? { qs: request.qs } : {}),
				...(request.body !== undefined ? { body: request.body as IHttpRequestOptions['body'] } : {}),
			}, additionalCredentialOptions)) as IN8nHttpFullResponse;
			return { status: answer.statusCode, headers: answer.headers, body: await readAnswerBody(answer.body) };
		} catch (error) {
			const outer = error as IDataObject & { cause?: unknown; httpCode?: string | null };
			const cause = (outer?.cause ?? outer) as IDataObject & {
				response?: { status?: number; data?: unknown; headers?: IDataObject & { get?: (name: string) => unknown } };
			};
			if (isHaloAuthenticationError(cause)) throw cause;
			const response = cause?.response;
			const status = Number(response?.status ?? cause?.status ?? cause?.statusCode ?? outer?.httpCode);
			if (!Number.isFinite(status) || status <= 0) throw cause;
			const headers = response?.headers;
			const retryAfter = typeof headers?.get === 'function' ? headers.get('retry-after') : headers?.['retry-after'];
			return {
				status,
				headers: retryAfter === undefined || retryAfter === null ? {} : { 'retry-after': retryAfter },
				body: (await readAnswerBody(response?.data)) ?? cause?.error,
			};
		}
	};
}

async function knownSecrets(this: HaloFunctions): Promise<string[]> {
	try {
		const credentials = await this.getCredentials(HALO_CREDENTIAL_TYPE);
		return [credentials.clientSecret, credentials.accessToken].filter(
			(value): value is string => typeof value === 'string' && value.length > 0,
		);
	} catch {
		return [];
	}
}

/** Builds the user-facing error for a failed Halo request: Halo's message, an actionable description, no secrets. */
export async function toHaloApiError(this: HaloFunctions, error: unknown, itemIndex?: number): Promise<NodeApiError> {
	let details: { message: string; description: string; httpCode?: string };
	if (isHaloAuthenticationError(error)) {
		// Already phrased for the user by the credential's token fetch.
		details = { message: error.message, description: error.description, httpCode: error.tokenStatus };
	} else if (error instanceof HaloCallError) {
		details = { ...describeHaloFailure(error), httpCode: error.failure.status ? String(error.failure.status) : undefined };
	} else {
		details = { message: `Halo request failed: ${(error as Error)?.message ?? String(error)}`, description: 'This is a bug in the HaloPSA nodes: please report it with the workflow.' };
	}
	return createHaloApiError(this.getNode(), { ...details, itemIndex, secrets: await knownSecrets.call(this) });
}

/** The one constructor of Halo API errors; redacts secrets from every text it carries. */
export function createHaloApiError(
	node: INode,
	details: { message: string; description?: string; httpCode?: string; itemIndex?: number; secrets?: string[] },
): NodeApiError {
	const message = redactSecrets(details.message, details.secrets);
	const description = details.description ? redactSecrets(details.description, details.secrets) : undefined;
	// A plain object, never the raw HTTP error: that one carries the request headers with the token.
	return new NodeApiError(
		node,
		{ message, ...(details.httpCode ? { httpCode: details.httpCode } : {}) },
		{ message, description, httpCode: details.httpCode, itemIndex: details.itemIndex },
	);
}

function retryPolicyFor(this: HaloFunctions, options: HaloRequestOptions, budget: RateLimitBudget): RetryPolicy {
	let waitSeconds = options.maxRateLimitWaitSeconds;
	if (waitSeconds === undefined && options.itemIndex !== undefined && 'getInputData' in this) {
		// Read once per item, not once per page: n8n resolves a parameter anew at every read.
		budget.maxWaitSeconds ??= (this as IExecuteFunctions).getNodeParameter(
			'options.maxRateLimitWaitSeconds',
			options.itemIndex,
			DEFAULT_MAX_RATE_LIMIT_WAIT_SECONDS,
		) as number;
		waitSeconds = budget.maxWaitSeconds;
	}
	return {
		...DEFAULT_RETRY_POLICY,
		maxRateLimitWaitMs: (waitSeconds ?? DEFAULT_MAX_RATE_LIMIT_WAIT_SECONDS) * 1000,
		...options.retryPolicy,
	};
}

interface RateLimitBudget {
	/** milliseconds this item already waited for Halo's rate limit, over all its requests */
	waitedMs: number;
	/** the item's "Max Rate-Limit Wait" option, once read */
	maxWaitSeconds?: number;
}

// One budget per item of one execution: the router runs every item with the same context object,
// and each execution (or load-options call) gets a new one, so the budgets go with it.
const rateLimitBudgets = new WeakMap<object, Map<number, RateLimitBudget>>();

/** The rate-limit wait budget shared by every request (pages, checks, look-ups) of one item. */
function rateLimitBudget(context: HaloFunctions, itemIndex?: number): RateLimitBudget {
	let budgets = rateLimitBudgets.get(context);
	if (!budgets) {
		budgets = new Map();
		rateLimitBudgets.set(context, budgets);
	}
	const key = itemIndex ?? -1;
	let budget = budgets.get(key);
	if (!budget) {
		budget = { waitedMs: 0 };
		budgets.set(key, budget);
	}
	return budget;
}

/**
 * The one request function. `path` is relative to `{base}/api` (`/Tickets/5`). Retries what is
 * safe to retry (see `decideRetry`) within the item's rate-limit wait budget, verifies ambiguous
 * writes with `verifyWrite`, and turns every failure into a `NodeApiError` with Halo's message.
 * A retried DELETE that finds the record gone resolves to undefined (the first attempt deleted it).
 */
export async function haloApiRequest(
	this: HaloFunctions,
	method: HaloHttpMethod,
	path: string,
	options: HaloRequestOptions = {},
): Promise<unknown> {
	const credential = await getHaloCredential.call(this);
	const { baseUrl } = credential;
	const budget = rateLimitBudget(this, options.itemIndex);
	const policy = retryPolicyFor.call(this, options, budget);
	const body = method === 'POST' && isObject(options.body) ? [options.body] : options.body;
	try {
		return await callHalo(
			authenticatedHttp(this, credential),
			{
				method,
				url: `${baseUrl}/api${path.startsWith('/') ? path : `/${path}`}`,
				headers: { Accept: 'application/json' },
				timeoutMs: options.timeoutMs ?? policy.requestTimeoutMs,
				...(options.qs && Object.keys(options.qs).length ? { qs: options.qs as Record<string, string | number | boolean> } : {}),
				...(body !== undefined ? { body } : {}),
			},
			{ policy, sleep, budget, verifyWrite: options.verifyWrite, pacer: credential.pacer, ahead: options.ahead },
		);
	} catch (error) {
		// A page asked ahead that the rate limit deferred goes back to the pager, which asks it again: never an item's error.
		throw error instanceof AheadRequestDeferred ? error : await toHaloApiError.call(this, error, options.itemIndex);
	}
}

/**
 * The one pager. `envelopeKey` names the array in Halo's answer (`tickets`, `clients`, ...);
 * null means the endpoint answers a bare array and does not page. Follows `page_no` until
 * `record_count` rows are in, never trusting the page size it asked for.
 */
export async function haloApiRequestAllItems(
	this: HaloFunctions,
	path: string,
	envelopeKey: string | null,
	options: HaloListOptions = {},
): Promise<IDataObject[]> {
	const { limit, pageSize, mapRow, ...requestOptions } = options;
	if (envelopeKey === null) {
		const qs = { ...requestOptions.qs, ...(limit !== undefined ? { count: limit } : {}) };
		const answer = readHaloPage<IDataObject>(await haloApiRequest.call(this, 'GET', path, { ...requestOptions, qs }), null);
		const rows = limit !== undefined ? answer.rows.slice(0, limit) : answer.rows;
		return mapRow ? rows.map(mapRow) : rows;
	}
	return await paginate<IDataObject>(
		async (pageNo, size, ahead) => await haloApiRequestPage.call(this, path, envelopeKey, pageNo, size, { ...requestOptions, ahead }),
		{ limit, pageSize: pageSize ?? HALO_MAX_PAGE_SIZE, mapRow },
	);
}

/**
 * One page of a paged Halo list (`pageinate=true&page_size=..&page_no=..`) as rows and
 * `record_count`; the pager above and the list searches read pages only through this.
 */
export async function haloApiRequestPage(
	this: HaloFunctions,
	path: string,
	envelopeKey: string,
	pageNo: number,
	pageSize: number,
	options: HaloRequestOptions = {},
): Promise<HaloPage<IDataObject>> {
	return readHaloPage<IDataObject>(
		await haloApiRequest.call(this, 'GET', path, {
			...options,
			qs: { ...options.qs, pageinate: true, page_size: pageSize, page_no: pageNo },
		}),
		envelopeKey,
	);
}
