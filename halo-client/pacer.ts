/**
 * Paces requests to Halo under its rolling rate limit, once the limit is known, so a long job waits
 * for each free slot instead of meeting 429s and backing off past them.
 *
 * Halo admits at most `limit` requests in any rolling `windowMs` (hosted: "Rate Limit Reached - 300
 * Requests per rolling 5 minute window"; some tenants report 450). Nothing is assumed until Halo
 * refuses a request: requests go out freely, and the first 429 teaches the window:
 * - announced: the 429's text names it ("N Requests per rolling M minute window"); taken as said;
 * - not announced: the limit is the number of this pacer's requests Halo let through within
 *   {@link DEFAULT_WINDOW_MS} before the refusal, and the window is estimated from the answers:
 *   a refused request shows the window is longer than the time since the `limit`-th request before
 *   it, an admitted one that it is at most that long. Until Halo admits a request so paced the
 *   estimate grows by {@link ESTIMATE_GROWTH} past each refusal; then it is halved between the
 *   longest time proven too short and the shortest proven enough, until the two lie within the
 *   jitter margin, and the shortest proven enough is kept (never too short: an admission proved it).
 * Then request n waits until request n - limit left the window. A refusal of a request sent under
 * that pacing (another client of the same Halo application used a slot) counts as one more
 * request in the window. A request Halo admits although the pacer counted the window full means
 * the limit grew: the pacer forgets what it learned and learns again at the next 429.
 *
 * One pacer per Halo credential per copy of this module ({@link pacerFor}): in n8n every execution
 * of a node shares it. The credential's token fetch runs in n8n's copy of the credential, which
 * cannot see it: a token request (one per token lifetime) can cost one more 429, after which the
 * pacer counts one more request in the window.
 */
/** Hosted Halo's documented window (300 requests per rolling 5 minutes): how far back an unannounced limit is counted. */
export const DEFAULT_WINDOW_MS = 5 * 60_000;
/** How much an estimated window grows past each refusal that proved it longer, until an admission bounds it. */
export const ESTIMATE_GROWTH = 1.15;
/** The shortest window estimated: Halo's windows are minutes long; a scaled-down test window still seconds. */
const MIN_ESTIMATE_MS = 1000;

/** Jitter allowance: a request's way to Halo may take a little longer than its predecessor's. */
function marginMs(windowMs: number): number {
	return Math.max(50, windowMs / 50);
}

/**
 * The most refusals learning an unannounced window of `windowMs` costs one pacer: the first, one per
 * growth step from {@link MIN_ESTIMATE_MS} until the estimate passes the window, and one per halving of
 * the last step down to the jitter margin.
 */
export function unannouncedRefusalBound(windowMs: number): number {
	const growthSteps = Math.ceil(Math.log(windowMs / MIN_ESTIMATE_MS) / Math.log(ESTIMATE_GROWTH));
	const margin = marginMs(windowMs);
	return 1 + growthSteps + Math.ceil(Math.log2(((ESTIMATE_GROWTH - 1) * windowMs + margin) / margin));
}
/** Credentials kept: one per Halo application in use in this process. */
const PACER_LIMIT = 100;

const UNITS_MS: Record<string, number> = { second: 1000, minute: 60_000, hour: 3_600_000 };

/** Halo's 429 text as `{ limit, windowMs }`, or undefined when it names no window. */
export function parseRateLimitWindow(body: unknown): { limit: number; windowMs: number } | undefined {
	const text = typeof body === 'string' ? body : body === undefined || body === null ? '' : JSON.stringify(body);
	const match = /(\d+)\s+Requests?\s+per\s+rolling\s+(\d+)\s*(second|minute|hour)s?/i.exec(text);
	if (!match) return undefined;
	const limit = Number(match[1]);
	const windowMs = Number(match[2]) * UNITS_MS[match[3].toLowerCase()];
	return limit > 0 && windowMs > 0 ? { limit, windowMs } : undefined;
}

/** One request's place in the window: taken by {@link RequestPacer.acquire}, returned with {@link RequestPacer.settle}. */
export interface PacerTicket {
	/** when it was sent (ms) */
	sentAt: number;
	/** how long it waited for its slot */
	waitedMs: number;
	/** sent although the pacer counted the window full (the wait would have passed the caller's bound) */
	overLimit: boolean;
	/** the knowledge it was paced by (0 = none yet) */
	generation: number;
}

interface Window {
	limit: number;
	windowMs: number;
	/** the window was estimated, not announced */
	estimated: boolean;
}

/** What the answers proved about an unannounced window: longer than `shortMs`, at most `enoughMs`. */
interface WindowBounds {
	shortMs: number;
	enoughMs?: number;
}

export class RequestPacer {
	/** send times of the requests Halo counted (or is counting), oldest first */
	private sent: number[] = [];
	private window: Window | undefined;
	private bounds: WindowBounds | undefined;
	private generation = 0;

	constructor(
		/** waits (n8n-workflow's `sleep` in n8n, a timer elsewhere) */
		private readonly sleep: (ms: number) => Promise<void>,
		private readonly clock: () => number = Date.now,
	) {}

	/** What the pacer has learned, for tests and messages. */
	get learned(): Readonly<Window> | undefined {
		return this.window;
	}

	/** When the next request may go out, from `now`. */
	private nextSlot(now: number): number {
		const window = this.window;
		if (!window || this.sent.length < window.limit) return now;
		return Math.max(now, this.sent[this.sent.length - window.limit] + window.windowMs + marginMs(window.windowMs));
	}

	private forgetBefore(now: number): void {
		const keepMs = Math.max(DEFAULT_WINDOW_MS, this.window?.windowMs ?? 0) + 1000;
		let drop = 0;
		while (drop < this.sent.length && this.sent[drop] <= now - keepMs) drop += 1;
		if (drop > 0) this.sent.splice(0, drop);
	}

	/** How long a request would wait for its slot now. */
	nextSlotMs(): number {
		const now = this.clock();
		return this.nextSlot(now) - now;
	}

	/**
	 * Waits for the next free slot and takes it. When that wait would pass `maxWaitMs`, it does not
	 * wait: the request goes now, marked `overLimit` (Halo decides; a 429 then ends it).
	 */
	async acquire(maxWaitMs = Number.POSITIVE_INFINITY): Promise<PacerTicket> {
		const now = this.clock();
		this.forgetBefore(now);
		const slot = this.nextSlot(now);
		const overLimit = slot - now > maxWaitMs;
		const at = overLimit ? now : slot;
		// The slot is taken now (the next caller's slot is computed after it), and moved to the real send time below.
		this.insert(at);
		let sentAt = at;
		if (at > now) {
			await this.sleep(at - now);
			sentAt = Math.max(at, this.clock());
			this.removeStamp(at);
			this.insert(sentAt);
		}
		return { sentAt, waitedMs: sentAt - now, overLimit, generation: this.generation };
	}

	/** Halo's answer to a ticket's request: its status and, for a 429, its body. */
	settle(ticket: PacerTicket, status: number | undefined, body?: unknown): void {
		const now = this.clock();
		if (status !== 429) {
			if (status === undefined) return;
			// Halo counted it somewhere between sending and answering: counted from the answer, a slot is never taken early.
			this.removeStamp(ticket.sentAt);
			if (!ticket.overLimit && this.window?.estimated && ticket.generation === this.generation) this.admittedAt(now);
			this.insert(now);
			if (ticket.overLimit && this.window && ticket.generation === this.generation) this.forget();
			return;
		}
		// Halo did not count it (the sandbox does not; if Halo does, the next refusal adds it back below).
		this.removeStamp(ticket.sentAt);
		const announced = parseRateLimitWindow(body);
		if (announced) {
			const same = this.window && !this.window.estimated && this.window.limit === announced.limit && this.window.windowMs === announced.windowMs;
			if (!same) this.learn({ ...announced, estimated: false });
			else if (ticket.generation === this.generation) this.insert(now);
			return;
		}
		if (ticket.generation !== this.generation) return; // sent before what was learned since: already accounted for
		if (this.window && !this.window.estimated) this.insert(now);
		else this.estimate(now);
	}

	/** An unannounced refusal: the window holds `limit` requests and is longer than the time since the oldest of them. */
	private estimate(now: number): void {
		const limit = this.window?.limit ?? Math.max(1, this.sent.filter((at) => at > now - DEFAULT_WINDOW_MS).length);
		const oldest = this.sent.length >= limit ? this.sent[this.sent.length - limit] : (this.sent[0] ?? now);
		const shortMs = Math.max(now - oldest, this.bounds?.shortMs ?? 0);
		// An admission at a longer time than this refusal's was luck (jitter, another client's slot): not a bound.
		const enoughMs = this.bounds?.enoughMs !== undefined && this.bounds.enoughMs > shortMs ? this.bounds.enoughMs : undefined;
		const windowMs =
			enoughMs === undefined
				? Math.ceil(Math.max(shortMs, this.window?.windowMs ?? 0, MIN_ESTIMATE_MS) * ESTIMATE_GROWTH)
				: this.between(shortMs, enoughMs);
		this.learn({ limit, windowMs, estimated: true });
		this.bounds = { shortMs, enoughMs };
	}

	/** An admission under an estimated window: the window is at most the time since the `limit`-th request before it. */
	private admittedAt(now: number): void {
		const window = this.window as Window;
		if (!this.bounds || this.sent.length < window.limit) return;
		const gapMs = now - this.sent[this.sent.length - window.limit];
		if (gapMs <= this.bounds.shortMs || (this.bounds.enoughMs !== undefined && gapMs >= this.bounds.enoughMs)) return;
		const bounds = { ...this.bounds, enoughMs: gapMs };
		const windowMs = this.between(bounds.shortMs, gapMs);
		if (windowMs !== window.windowMs) this.learn({ ...window, windowMs });
		this.bounds = bounds;
	}

	/** The next estimate between a time proven too short and one proven enough: halfway, or the latter once they are within the margin. */
	private between(shortMs: number, enoughMs: number): number {
		return enoughMs - shortMs <= marginMs(enoughMs) ? enoughMs : Math.ceil((shortMs + enoughMs) / 2);
	}

	private learn(window: Window): void {
		this.window = window;
		this.bounds = undefined;
		this.generation += 1;
	}

	private forget(): void {
		this.window = undefined;
		this.bounds = undefined;
		this.generation += 1;
	}

	private insert(at: number): void {
		let index = this.sent.length;
		while (index > 0 && this.sent[index - 1] > at) index -= 1;
		this.sent.splice(index, 0, at);
	}

	private removeStamp(at: number): void {
		const index = this.sent.lastIndexOf(at);
		if (index >= 0) this.sent.splice(index, 1);
	}
}

// One registry per copy of this module: n8n loads each node from a bundle of its own, and n8n's
// rules for community nodes forbid the process-wide globals that could join them.
const pacers = new Map<string, RequestPacer>();

/** This module copy's pacer for one Halo credential (`identity`: see `haloTokenIdentity`). */
export function pacerFor(identity: string, sleep: (ms: number) => Promise<void>): RequestPacer {
	let pacer = pacers.get(identity);
	if (!pacer) {
		pacer = new RequestPacer(sleep);
		pacers.set(identity, pacer);
		if (pacers.size > PACER_LIMIT) pacers.delete(pacers.keys().next().value as string);
	}
	return pacer;
}
