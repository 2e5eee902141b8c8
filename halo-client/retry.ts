/** When a failed Halo request may be sent again, and after how long. Pure decisions, no I/O. */

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD' | 'OPTIONS';

export interface HaloFailure {
	/** HTTP status, when the server answered */
	status?: number;
	/** Node's network error code (ECONNRESET, ECONNREFUSED, ETIMEDOUT, ...) when it did not */
	code?: string;
	/** the `Retry-After` header as sent (seconds or an HTTP date) */
	retryAfter?: string | number;
}

export type FailureKind =
	| 'rateLimited'
	| 'connectionRefused'
	| 'gateway'
	| 'connectionDropped'
	| 'serverError'
	| 'final';

export interface RetryPolicy {
	/** total time the caller may spend waiting for Halo's rate limit to clear */
	maxRateLimitWaitMs: number;
	/** first wait after a 429 when Halo sends no Retry-After; it doubles each time */
	rateLimitBaseDelayMs: number;
	/** cap for one 429 wait */
	rateLimitMaxDelayMs: number;
	/**
	 * retries for 502/503/504, dropped, timed-out and refused connections, and for writes that failed
	 * with a 500 and were then found not saved
	 */
	maxTransientRetries: number;
	/** first wait before a transient retry; it doubles each time */
	transientBaseDelayMs: number;
	/** how long one attempt may take; a request still unanswered then counts as a dropped connection */
	requestTimeoutMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
	maxRateLimitWaitMs: 120_000,
	rateLimitBaseDelayMs: 2_000,
	rateLimitMaxDelayMs: 60_000,
	// Six attempts: a write that meets a fault on 1 request in 5 still fails on only 1 in 15,625 writes.
	maxTransientRetries: 5,
	transientBaseDelayMs: 500,
	requestTimeoutMs: 120_000,
};

export interface RetryState {
	/** 1 for the first retry decision, 2 for the next, ... (per failure kind family) */
	rateLimitRetries: number;
	transientRetries: number;
	/** milliseconds already spent waiting for the rate limit */
	rateLimitWaitedMs: number;
	/** earlier attempts that failed after possibly reaching Halo (502/503/504, dropped or timed-out connection, 500) */
	ambiguousFailures: number;
}

/** A fresh state for one logical request; `rateLimitWaitedMs` carries a wait already spent elsewhere (one budget per item). */
export const initialRetryState = (rateLimitWaitedMs = 0): RetryState => ({
	rateLimitRetries: 0,
	transientRetries: 0,
	rateLimitWaitedMs,
	ambiguousFailures: 0,
});

export type RetryDecision =
	/** send the request again after `delayMs` */
	| { action: 'retry'; delayMs: number; kind: FailureKind }
	/**
	 * a write may have landed: after `delayMs` ask the caller's verification; when it did not land, send
	 * it again (`retryIfNotLanded`) or, with the retries spent, fail with `reason`
	 */
	| { action: 'verify'; delayMs: number; kind: FailureKind; retryIfNotLanded: boolean; reason: string }
	| { action: 'fail'; kind: FailureKind; reason: string };

/** Network codes of a connection lost after the request went out: retried like a gateway error, a write checked first. */
export const DROPPED_CONNECTION_CODES: ReadonlySet<string> = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED', 'ETIMEDOUT', 'ESOCKETTIMEDOUT', 'UND_ERR_SOCKET']);
const REFUSED_CODES = new Set(['ECONNREFUSED', 'EAI_AGAIN']);
// Halo's API writes with POST; a PUT is not known to be safe to repeat, so it is treated like a POST.
const IDEMPOTENT = new Set<HttpMethod>(['GET', 'HEAD', 'OPTIONS', 'DELETE']);
const AMBIGUOUS = new Set<FailureKind>(['gateway', 'connectionDropped', 'serverError']);
const WRITE_NOT_SAVED = 'Halo failed on every attempt, and the checks after the failures did not find the write in Halo: nothing was saved, so it is safe to run again';

export function classifyFailure(failure: HaloFailure): FailureKind {
	if (failure.status === 429) return 'rateLimited';
	if (failure.status === 502 || failure.status === 503 || failure.status === 504) return 'gateway';
	if (failure.status === 500) return 'serverError';
	if (failure.status !== undefined && failure.status > 0) return 'final';
	if (failure.code && REFUSED_CODES.has(failure.code)) return 'connectionRefused';
	if (failure.code && DROPPED_CONNECTION_CODES.has(failure.code)) return 'connectionDropped';
	return 'final';
}

/** Reads Retry-After (delta seconds or an HTTP date) into milliseconds. */
export function parseRetryAfter(value: string | number | undefined, now = Date.now()): number | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	const seconds = Number(value);
	if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
	const date = Date.parse(String(value));
	return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * Decides what to do after a failed request. The caller keeps `state` across attempts of one
 * logical request and adds the waited time with `recordWait`.
 *
 * - 429: every method (Halo rejected it unprocessed), growing delays or Retry-After, within
 *   `maxRateLimitWaitMs` in total; a paced request (`options.paced`) is sent again at once, its
 *   pacer waiting for the slot, unless it was sent past the wait allowed (`overLimit`) or its next
 *   slot lies past it (`nextSlotMs`).
 * - refused connection: every method (nothing reached Halo).
 * - 502/503/504 and dropped or timed-out connections: GET/DELETE retry (a DELETE answered 404 on
 *   the retry was done by the first attempt, see `isDeleteAlreadyDone`).
 * - The same and a 500 on a POST (or PUT): it may have been processed, so the caller's verification
 *   is asked first; a write it finds is the answer, a write it proves absent is sent again, the same
 *   request with the same marker. When the retries are spent the last attempt is still verified, so
 *   a write fails only when it is proven absent every time, or when the verification itself fails.
 *   Without a verification a write is never sent again.
 * - 500 on a read: not retried (Halo failed on the request itself).
 */
export function decideRetry(
	method: string,
	failure: HaloFailure,
	state: RetryState,
	policy: RetryPolicy = DEFAULT_RETRY_POLICY,
	options: { canVerifyWrite?: boolean; paced?: { overLimit: boolean; nextSlotMs: number } } = {},
): RetryDecision {
	const kind = classifyFailure(failure);
	const upperMethod = method.toUpperCase() as HttpMethod;

	if (kind === 'rateLimited') {
		const remaining = policy.maxRateLimitWaitMs - state.rateLimitWaitedMs;
		const waited = `waiting ${Math.round(state.rateLimitWaitedMs / 1000)} s in total`;
		if (remaining <= 0) return { action: 'fail', kind, reason: `Halo's rate limit was still reached after ${waited}` };
		// A paced request that went without waiting because its slot lay beyond the wait allowed, or whose next slot does.
		if (options.paced && (options.paced.overLimit || options.paced.nextSlotMs > remaining)) {
			return { action: 'fail', kind, reason: `Halo's rate limit has no free slot within the wait allowed (after ${waited})` };
		}
		// The pacer has learned the window from this 429 and holds the next attempt until its slot.
		if (options.paced) return { action: 'retry', kind, delayMs: 0 };
		const announced = parseRetryAfter(failure.retryAfter);
		const growing = Math.min(policy.rateLimitMaxDelayMs, policy.rateLimitBaseDelayMs * 2 ** state.rateLimitRetries);
		return { action: 'retry', kind, delayMs: Math.min(remaining, announced ?? growing) };
	}

	const transientDelay = policy.transientBaseDelayMs * 2 ** state.transientRetries;
	const transientLeft = state.transientRetries < policy.maxTransientRetries;

	if (kind === 'connectionRefused') {
		return transientLeft
			? { action: 'retry', kind, delayMs: transientDelay }
			: { action: 'fail', kind, reason: 'Halo refused the connection on every attempt' };
	}

	if (IDEMPOTENT.has(upperMethod)) {
		if (kind !== 'gateway' && kind !== 'connectionDropped') return { action: 'fail', kind, reason: 'not a temporary failure' };
		return transientLeft
			? { action: 'retry', kind, delayMs: transientDelay }
			: { action: 'fail', kind, reason: 'Halo did not answer on any attempt' };
	}

	if (!AMBIGUOUS.has(kind)) return { action: 'fail', kind, reason: 'not a temporary failure' };
	if (!options.canVerifyWrite) {
		return { action: 'fail', kind, reason: 'the write may or may not have been saved by Halo, so it was not sent again' };
	}
	return { action: 'verify', kind, delayMs: transientDelay, retryIfNotLanded: transientLeft, reason: WRITE_NOT_SAVED };
}

/** Updates the state after waiting `delayMs` for a decision of `kind`. */
export function recordWait(state: RetryState, kind: FailureKind, delayMs: number): RetryState {
	if (kind === 'rateLimited') {
		return { ...state, rateLimitRetries: state.rateLimitRetries + 1, rateLimitWaitedMs: state.rateLimitWaitedMs + delayMs };
	}
	return {
		...state,
		transientRetries: state.transientRetries + 1,
		ambiguousFailures: state.ambiguousFailures + (AMBIGUOUS.has(kind) ? 1 : 0),
	};
}

/**
 * Whether a DELETE that Halo now answers 404 was in fact done by an earlier attempt: that attempt
 * failed after it may have reached Halo (502/503/504, dropped connection), so the record being gone
 * is the delete having worked, not a wrong ID. After only refused connections a 404 stays an error.
 */
export function isDeleteAlreadyDone(method: string, failure: HaloFailure, state: RetryState): boolean {
	return method.toUpperCase() === 'DELETE' && failure.status === 404 && state.ambiguousFailures > 0;
}
