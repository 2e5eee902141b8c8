import type {
	IDataObject,
	IExecuteFunctions,
	IHookFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	INode,
	IWebhookFunctions,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError, sleep } from 'n8n-workflow';

import {
	DEFAULT_RETRY_POLICY,
	decideRetry,
	extractHaloError,
	HALO_MAX_PAGE_SIZE,
	initialRetryState,
	isDeleteAlreadyDone,
	NOT_A_HALO_API_MESSAGE,
	normalizeHaloBaseUrl,
	paginate,
	readHaloPage,
	recordWait,
	redactSecrets,
} from '../../halo-client';
import type { HaloFailure, HaloPage, RetryPolicy } from '../../halo-client';

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

// One credential read for the base URL per execution (n8n reads and decrypts the credential on
// every getCredentials call), not one per request: a 100-page list made 100.
const baseUrls = new WeakMap<object, Promise<string>>();

/** The credential's Halo URL, normalised to the instance root (`https://x.halopsa.com`). */
export async function getHaloBaseUrl(this: HaloFunctions): Promise<string> {
	return await memoisedPromise(baseUrls, this, async () => await readHaloBaseUrl.call(this));
}

async function readHaloBaseUrl(this: HaloFunctions): Promise<string> {
	const credentials = await this.getCredentials(HALO_CREDENTIAL_TYPE);
	try {
		return normalizeHaloBaseUrl(String(credentials.url ?? ''));
	} catch (error) {
		throw new NodeOperationError(this.getNode(), error.message, {
			description: 'Open the HaloPSA Automation credential and correct the Halo URL.',
		});
	}
}

export function isObject(value: unknown): value is IDataObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

interface RawFailure extends HaloFailure {
	body?: unknown;
	message: string;
	/** a token-endpoint failure already phrased for the user by the credential */
	authentication?: { message: string; description: string; httpCode?: string };
}

/** Digs status, body, network code and Retry-After out of what n8n's request helper threw. */
function readFailure(error: unknown): RawFailure {
	const outer = error as IDataObject & { cause?: unknown; httpCode?: string | null };
	const cause = (outer?.cause ?? outer) as IDataObject & {
		response?: { status?: number; data?: unknown; headers?: IDataObject & { get?: (name: string) => unknown } };
	};
	if (cause?.haloAuthentication) {
		return {
			message: String(cause.message),
			authentication: {
				message: String(cause.message),
				description: String(cause.description ?? ''),
				httpCode: cause.tokenStatus as string | undefined,
			},
		};
	}
	const response = cause?.response;
	const statusValue = response?.status ?? cause?.status ?? cause?.statusCode ?? outer?.httpCode;
	const status = Number(statusValue);
	const headers = response?.headers;
	const retryAfter = (typeof headers?.get === 'function' ? headers.get('retry-after') : headers?.['retry-after']) as
		| string
		| number
		| undefined;
	return {
		status: Number.isFinite(status) && status > 0 ? status : undefined,
		code: typeof cause?.code === 'string' ? cause.code : undefined,
		retryAfter: retryAfter ?? undefined,
		body: response?.data ?? cause?.error,
		message: String(cause?.message ?? outer?.message ?? ''),
	};
}

const STATUS_DESCRIPTIONS: Record<number, string> = {
	400: 'Halo rejected the request as invalid. Check the fields named in the message.',
	401: 'Halo refused the access token even after a fresh one was fetched. Check that the API application\'s Login Type is "Agent" and that its agent is active.',
	403: 'The API application\'s agent or scopes lack permission for this. In Halo give the agent\'s role the access, or add the scope (e.g. all:standard) to the credential and the application.',
	404: 'Halo has no such record. Check the ID: the record may have been deleted or belong to another tenant.',
	409: 'Halo reported a conflict. Reload the record and try again.',
	429: 'Halo\'s rate limit (300 requests per 5 minutes on hosted instances) stayed in force. Raise "Max Rate-Limit Wait" or spread the workflow\'s requests out.',
	500: 'Halo failed while processing the request. If it repeats, check the values sent, then Halo\'s own logs.',
	502: 'Halo (or a proxy in front of it) did not answer properly. Try again later.',
	503: 'Halo is unavailable right now. Try again later.',
	504: 'Halo did not answer in time. Try again later.',
};

const GATEWAY_STATUSES = new Set([502, 503, 504]);

function describeFailure(failure: RawFailure, reason?: string): { message: string; description: string } {
	const info = extractHaloError(failure.body);
	// A gateway's own error page (502/503/504) says nothing about the URL: Halo's proxy answered.
	if (info.shape === 'html' && !GATEWAY_STATUSES.has(failure.status ?? 0)) {
		return {
			message: NOT_A_HALO_API_MESSAGE,
			description:
				'Set the credential\'s Halo URL to your instance\'s address, like https://yourcompany.halopsa.com (with or without /api).',
		};
	}
	if (failure.status) {
		const fallback = STATUS_DESCRIPTIONS[failure.status] ?? `Halo answered HTTP ${failure.status}.`;
		return {
			message: (info.shape !== 'html' && info.message) || `Halo answered HTTP ${failure.status}`,
			description: reason ? `${fallback} (${reason})` : fallback,
		};
	}
	// The network code goes into the description: n8n replaces any message containing one with a generic text.
	return {
		message: `Could not reach Halo${reason ? `: ${reason}` : ''}`,
		description: `Check the credential's Halo URL and that this n8n instance can reach it.${failure.code ? ` (${failure.code})` : ''}`,
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

/** Builds the user-facing error for a Halo failure: Halo's message, an actionable description, no secrets. */
export async function toHaloApiError(
	this: HaloFunctions,
	error: unknown,
	context: { itemIndex?: number; reason?: string } = {},
): Promise<NodeApiError> {
	const failure = readFailure(error);
	const { message, description } = failure.authentication ?? describeFailure(failure, context.reason);
	return createHaloApiError(this.getNode(), {
		message,
		description,
		httpCode: failure.authentication?.httpCode ?? (failure.status ? String(failure.status) : undefined),
		itemIndex: context.itemIndex,
		secrets: await knownSecrets.call(this),
	});
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

function retryPolicyFor(this: HaloFunctions, options: HaloRequestOptions): RetryPolicy {
	let waitSeconds = options.maxRateLimitWaitSeconds;
	if (waitSeconds === undefined && options.itemIndex !== undefined && 'getInputData' in this) {
		waitSeconds = (this as IExecuteFunctions).getNodeParameter(
			'options.maxRateLimitWaitSeconds',
			options.itemIndex,
			DEFAULT_MAX_RATE_LIMIT_WAIT_SECONDS,
		) as number;
	}
	return {
		...DEFAULT_RETRY_POLICY,
		maxRateLimitWaitMs: (waitSeconds ?? DEFAULT_MAX_RATE_LIMIT_WAIT_SECONDS) * 1000,
		...options.retryPolicy,
	};
}

/** Throws when a successful answer is an HTML page: the URL points at a website, not at Halo's API. */
function assertHaloAnswer(this: HaloFunctions, body: unknown, itemIndex?: number): void {
	if (typeof body === 'string' && extractHaloError(body).shape === 'html') {
		throw createHaloApiError(this.getNode(), {
			message: NOT_A_HALO_API_MESSAGE,
			description: 'Set the credential\'s Halo URL to your instance\'s address, like https://yourcompany.halopsa.com.',
			itemIndex,
		});
	}
}

interface RateLimitBudget {
	/** milliseconds this item already waited for Halo's rate limit, over all its requests */
	waitedMs: number;
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
	method: IHttpRequestMethods,
	path: string,
	options: HaloRequestOptions = {},
): Promise<any> {
	const baseUrl = await getHaloBaseUrl.call(this);
	const policy = retryPolicyFor.call(this, options);
	const body = method === 'POST' && isObject(options.body) ? [options.body] : options.body;
	const requestOptions: IHttpRequestOptions = {
		method,
		url: `${baseUrl}/api${path.startsWith('/') ? path : `/${path}`}`,
		headers: { Accept: 'application/json' },
		json: true,
		timeout: options.timeoutMs ?? policy.requestTimeoutMs,
		...(options.qs && Object.keys(options.qs).length ? { qs: options.qs } : {}),
		...(body !== undefined ? { body } : {}),
	};
	const budget = rateLimitBudget(this, options.itemIndex);

	let state = initialRetryState(budget.waitedMs);
	for (;;) {
		let answer: unknown;
		try {
			answer = await this.helpers.httpRequestWithAuthentication.call(this, HALO_CREDENTIAL_TYPE, {
				...requestOptions,
			});
		} catch (error) {
			const failure = readFailure(error);
			if (failure.authentication) throw await toHaloApiError.call(this, error, { itemIndex: options.itemIndex });
			if (isDeleteAlreadyDone(method, failure, state)) return undefined;
			const decision = decideRetry(method, failure, state, policy, { canVerifyWrite: !!options.verifyWrite });
			if (decision.action === 'fail') {
				throw await toHaloApiError.call(this, error, { itemIndex: options.itemIndex, reason: decision.reason });
			}
			if (decision.delayMs > 0) await sleep(decision.delayMs);
			state = recordWait(state, decision.kind, decision.delayMs);
			budget.waitedMs = state.rateLimitWaitedMs;
			if (decision.action === 'verify' && options.verifyWrite) {
				const landed = await verifyOrExplain.call(this, options.verifyWrite, error, options.itemIndex);
				if (landed) return landed;
				if (!decision.retryIfNotLanded) {
					throw await toHaloApiError.call(this, error, { itemIndex: options.itemIndex, reason: decision.reason });
				}
			}
			continue;
		}
		assertHaloAnswer.call(this, answer, options.itemIndex);
		return answer;
	}
}

async function verifyOrExplain(
	this: HaloFunctions,
	verifyWrite: () => Promise<IDataObject | undefined>,
	originalError: unknown,
	itemIndex?: number,
): Promise<IDataObject | undefined> {
	try {
		return await verifyWrite();
	} catch {
		const original = await toHaloApiError.call(this, originalError, { itemIndex });
		throw createHaloApiError(this.getNode(), {
			message: `${original.message} (and whether Halo saved it could not be checked)`,
			description:
				'Look at the record in Halo before running this again, so nothing is written twice.',
			httpCode: original.httpCode ?? undefined,
			itemIndex,
			secrets: await knownSecrets.call(this),
		});
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
		async (pageNo, size) => await haloApiRequestPage.call(this, path, envelopeKey, pageNo, size, requestOptions),
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
