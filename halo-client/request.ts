/**
 * The one request loop: sends a Halo request through the caller's HTTP, waits out and retries what
 * `decideRetry` allows, checks ambiguous writes with the caller's verification, and fails with a
 * {@link HaloCallError} that says what happened last. The node transport and the standalone data
 * source both send every API request through it; each turns a HaloCallError into its own error
 * with {@link describeHaloFailure}.
 */
import { extractHaloError, NOT_A_HALO_API_MESSAGE } from './errors';
import type { HaloHttp, HaloHttpRequest, HaloHttpResponse } from './http';
import { headerValue } from './http';
import type { RequestPacer } from './pacer';
import type { HaloFailure, RetryPolicy } from './retry';
import { decideRetry, initialRetryState, isDeleteAlreadyDone, recordWait } from './retry';
import { isHaloAuthenticationError } from './token';

/** What went wrong on the last attempt: Halo's answer, or the network code when none came. */
export interface HaloAttemptFailure extends HaloFailure {
	/** Halo's answer body, when it answered */
	body?: unknown;
	/** the network error's own text, when no answer came */
	message?: string;
}

/**
 * A request sent ahead of need (see `HaloCallOptions.ahead`) that Halo's rate limit held back: it
 * was not sent, or Halo refused it with 429 and it is not sent again. Whoever asked it ahead asks
 * again, in the ordinary way, when it needs the answer.
 */
export class AheadRequestDeferred extends Error {
	constructor() {
		super('Deferred: Halo\'s rate limit has no free slot for a request sent ahead of need');
		this.name = 'AheadRequestDeferred';
	}
}

/** A request that failed for good; `failure` is its last attempt. */
export class HaloCallError extends Error {
	constructor(
		readonly failure: HaloAttemptFailure,
		/** why it was not sent again (from `decideRetry`), when that is worth saying */
		readonly reason?: string,
		/** an ambiguous write whose check failed: whether Halo saved it is unknown */
		readonly unverified = false,
	) {
		super(`Halo request failed (${failure.status ? `HTTP ${failure.status}` : failure.code ?? 'no answer'})`);
		this.name = 'HaloCallError';
	}
}

export interface HaloCallOptions<T> {
	policy: RetryPolicy;
	/** waits between attempts (n8n-workflow's `sleep` in n8n, a timer elsewhere) */
	sleep: (ms: number) => Promise<void>;
	/** the rate-limit wait already spent, shared with other requests (one budget per item in n8n); updated as this one waits */
	budget?: { waitedMs: number };
	/**
	 * For writes: after an ambiguous failure, finds the write in Halo. Returns what was saved (the
	 * answer then), or undefined when it was not (the same request is then sent again, within the
	 * policy's retries). Without it a write is never sent twice.
	 */
	verifyWrite?: () => Promise<T | undefined>;
	/** the credential's pacer: every attempt waits for its slot in Halo's rate-limit window, the wait taken from `budget` */
	pacer?: RequestPacer;
	/**
	 * Sent ahead of need (a list's next page while another is on its way): it never waits for Halo's
	 * rate limit and takes nothing from `budget`. When the pacer has no free slot now, or Halo
	 * answers 429, it rejects with {@link AheadRequestDeferred}; other failures are retried as usual.
	 */
	ahead?: boolean;
}

/** What `promise` came to, as a value: the loop decides about a failure rather than catching it. */
async function settle<T>(promise: Promise<T>): Promise<{ ok: true; value: T } | { ok: false; error: unknown }> {
	return await promise.then(
		(value) => ({ ok: true as const, value }),
		(error: unknown) => ({ ok: false as const, error }),
	);
}

function failureOf(response: HaloHttpResponse): HaloAttemptFailure {
	return { status: response.status, retryAfter: headerValue(response.headers, 'retry-after'), body: response.body };
}

/**
 * Sends `request` until Halo answers 2xx, and resolves with the answer's body (or what `verifyWrite`
 * found, or undefined for a DELETE an earlier attempt already did). A 2xx answer that is a web page
 * fails: the URL is a website, not Halo's API. A HaloAuthenticationError from the HTTP (no token)
 * passes through unchanged.
 */
export async function callHalo<T = unknown>(http: HaloHttp, request: HaloHttpRequest, options: HaloCallOptions<T>): Promise<unknown> {
	const budget = options.budget ?? { waitedMs: 0 };
	let state = initialRetryState(budget.waitedMs);
	for (;;) {
		if (options.ahead && options.pacer && options.pacer.nextSlotMs() > 0) throw new AheadRequestDeferred();
		const ticket = await options.pacer?.acquire(options.policy.maxRateLimitWaitMs - state.rateLimitWaitedMs);
		if (ticket) {
			state = { ...state, rateLimitWaitedMs: state.rateLimitWaitedMs + ticket.waitedMs };
			budget.waitedMs = state.rateLimitWaitedMs;
		}
		const attempt = await settle(http(request));
		if (ticket) options.pacer?.settle(ticket, attempt.ok ? attempt.value.status : undefined, attempt.ok ? attempt.value.body : undefined);
		if (!attempt.ok && isHaloAuthenticationError(attempt.error)) throw attempt.error;
		let failure: HaloAttemptFailure;
		if (attempt.ok) {
			const response = attempt.value;
			if (response.status >= 200 && response.status < 300) {
				if (typeof response.body === 'string' && extractHaloError(response.body).shape === 'html') {
					throw new HaloCallError(failureOf(response), 'the answer is a web page');
				}
				return response.body;
			}
			failure = failureOf(response);
			if (options.ahead && response.status === 429) throw new AheadRequestDeferred();
		} else {
			// Without a network code it is not a connection failure, so it is not retried.
			const code = (attempt.error as { code?: unknown }).code;
			failure = { code: typeof code === 'string' ? code : undefined, message: (attempt.error as Error).message };
		}

		if (isDeleteAlreadyDone(request.method, failure, state)) return undefined;
		const decision = decideRetry(request.method, failure, state, options.policy, {
			canVerifyWrite: !!options.verifyWrite,
			paced: ticket && options.pacer && { overLimit: ticket.overLimit, nextSlotMs: options.pacer.nextSlotMs() },
		});
		if (decision.action === 'fail') throw new HaloCallError(failure, decision.reason);
		if (decision.delayMs > 0) await options.sleep(decision.delayMs);
		state = recordWait(state, decision.kind, decision.delayMs);
		budget.waitedMs = state.rateLimitWaitedMs;
		if (decision.action === 'verify' && options.verifyWrite) {
			const verified = await settle(options.verifyWrite());
			if (!verified.ok) throw new HaloCallError(failure, undefined, true);
			if (verified.value !== undefined) return verified.value;
			if (!decision.retryIfNotLanded) throw new HaloCallError(failure, decision.reason);
		}
	}
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

/**
 * A failed request as a message (Halo's own words where it sent any) and a description of what to
 * do. Secrets are the caller's to take out: it knows them.
 */
export function describeHaloFailure(error: HaloCallError): { message: string; description: string } {
	const { failure, reason } = error;
	const info = extractHaloError(failure.body);
	let described: { message: string; description: string };
	// A gateway's own error page (502/503/504) says nothing about the URL: Halo's proxy answered.
	if (info.shape === 'html' && !GATEWAY_STATUSES.has(failure.status ?? 0)) {
		described = {
			message: NOT_A_HALO_API_MESSAGE,
			description: 'Set the Halo URL to your instance\'s address, like https://yourcompany.halopsa.com (with or without /api).',
		};
	} else if (failure.status) {
		const fallback = STATUS_DESCRIPTIONS[failure.status] ?? `Halo answered HTTP ${failure.status}.`;
		described = {
			message: (info.shape !== 'html' && info.message) || `Halo answered HTTP ${failure.status}`,
			description: reason ? `${fallback} (${reason})` : fallback,
		};
	} else {
		// The network code goes into the description: n8n replaces any message containing one with a generic text.
		described = {
			message: `Could not reach Halo${reason ? `: ${reason}` : ''}`,
			description: `Check the Halo URL and that this machine can reach it.${failure.code ? ` (${failure.code})` : ''}`,
		};
	}
	if (!error.unverified) return described;
	return {
		message: `${described.message} (and whether Halo saved it could not be checked)`,
		description: 'Look at the record in Halo before running this again, so nothing is written twice.',
	};
}
