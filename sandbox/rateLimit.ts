import { booleanSetting, integerSetting, objectSetting } from './validation';

/**
 * `announce` (default true): the 429 names the window, as hosted Halo's does ("Rate Limit Reached -
 * 300 Requests per rolling 5 minute window"); false answers "Rate Limit Reached" alone, for a
 * client that must learn the window without being told (a tenant's wording is not documented).
 */
export type RateLimitSettings = { limit: number; windowMs: number; announce?: boolean } | false;

/** Checks `{ limit, windowMs }` (or `{ enabled: false }` / `false` to switch it off): 400 naming what is wrong. */
export function validateRateLimit(input: unknown): RateLimitSettings {
	if (input === false) return false;
	const fields = objectSetting(input, 'rate limit', ['limit', 'windowMs', 'enabled', 'announce']);
	if (fields.enabled !== undefined && !booleanSetting(fields.enabled, 'enabled')) return false;
	return {
		limit: integerSetting(fields.limit, 'limit', 1, 1000000000),
		windowMs: integerSetting(fields.windowMs, 'windowMs', 1, 24 * 3600 * 1000),
		announce: fields.announce === undefined ? true : booleanSetting(fields.announce, 'announce'),
	};
}

/** Hosted Halo's rolling-window limit: at most `limit` requests in any `windowMs`. */
export class RateLimiter {
	private stamps: number[] = [];
	private head = 0;
	limit = 0;
	windowMs = 0;
	enabled = false;
	announce = true;

	configure(settings: RateLimitSettings): void {
		this.stamps = [];
		this.head = 0;
		if (settings === false) {
			this.enabled = false;
			return;
		}
		this.enabled = true;
		this.limit = settings.limit;
		this.windowMs = settings.windowMs;
		this.announce = settings.announce ?? true;
	}

	/** Counts a request; false when it is over the limit (refused requests do not count). */
	admit(now: number): boolean {
		if (!this.enabled) return true;
		while (this.head < this.stamps.length && this.stamps[this.head] <= now - this.windowMs) this.head += 1;
		if (this.head > 1024) {
			this.stamps = this.stamps.slice(this.head);
			this.head = 0;
		}
		if (this.stamps.length - this.head >= this.limit) return false;
		this.stamps.push(now);
		return true;
	}

	/** Halo's wording, with the configured numbers. */
	message(): string {
		if (!this.announce) return 'Rate Limit Reached';
		const window =
			this.windowMs % 60000 === 0
				? `${this.windowMs / 60000} minute`
				: `${Math.round(this.windowMs / 1000) || 1} second`;
		return `Rate Limit Reached - ${this.limit} Requests per rolling ${window} window`;
	}
}
