/**
 * The request pacer through the core's request loop, against the sandbox's own rolling-window
 * limiter on a virtual clock: each request takes 5 ms, every wait moves the clock on. Counts only
 * (requests refused, requests failed); the times are the rate-limit bench's.
 */
import { AheadRequestDeferred, callHalo, DEFAULT_RETRY_POLICY, DEFAULT_WINDOW_MS, parseRateLimitWindow, RequestPacer, unannouncedRefusalBound } from '../../halo-client';
import type { HaloHttp } from '../../halo-client';
import { RateLimiter } from '../../sandbox/rateLimit';

function virtualHalo(limit: number, windowMs: number, announce: boolean) {
	let now = 1_000_000;
	const limiter = new RateLimiter();
	limiter.configure({ limit, windowMs, announce });
	const counts = { admitted: 0, refused: 0 };
	const http: HaloHttp = async () => {
		now += 5;
		if (!limiter.admit(now)) {
			counts.refused += 1;
			return { status: 429, headers: {}, body: limiter.message() };
		}
		counts.admitted += 1;
		return { status: 200, headers: {}, body: { id: 1 } };
	};
	const clock = () => now;
	const sleep = async (ms: number) => {
		now += ms;
	};
	return { http, clock, sleep, counts, limiter };
}

async function runJob(requests: number, limit: number, windowMs: number, announce: boolean) {
	const halo = virtualHalo(limit, windowMs, announce);
	const pacer = new RequestPacer(halo.sleep, halo.clock);
	let failed = 0;
	for (let index = 0; index < requests; index++) {
		await callHalo(halo.http, { method: 'GET', url: 'https://halo.example/api/Tickets/1', timeoutMs: 1000 }, {
			policy: { ...DEFAULT_RETRY_POLICY, maxRateLimitWaitMs: 2 * windowMs },
			sleep: halo.sleep,
			pacer,
		}).catch(() => (failed += 1));
	}
	return { ...halo.counts, failed, learned: pacer.learned };
}

describe('parseRateLimitWindow', () => {
	it.each([
		['Rate Limit Reached - 300 Requests per rolling 5 minute window', { limit: 300, windowMs: 300_000 }],
		['Rate Limit Reached - 450 Requests per rolling 5 minutes window', { limit: 450, windowMs: 300_000 }],
		['Rate Limit Reached - 30 Requests per rolling 10 second window', { limit: 30, windowMs: 10_000 }],
		[{ Message: 'Rate Limit Reached - 300 Requests per rolling 5 minute window' }, { limit: 300, windowMs: 300_000 }],
	])('reads %j', (body, expected) => {
		expect(parseRateLimitWindow(body)).toEqual(expected);
	});

	it.each(['Rate Limit Reached', '', undefined, 'Too many requests'])('finds no window in %j', (body) => {
		expect(parseRateLimitWindow(body)).toBeUndefined();
	});
});

describe('a job paced under a rolling window', () => {
	it.each([
		[300, 30, 10_000],
		[300, 45, 10_000],
		[1000, 300, DEFAULT_WINDOW_MS],
	])('%i requests under an announced %i per %i ms: 0 failed, 1 refused (the one that teaches the window)', async (requests, limit, windowMs) => {
		const outcome = await runJob(requests, limit, windowMs, true);
		expect(outcome).toMatchObject({ failed: 0, refused: 1, admitted: requests, learned: { limit, windowMs, estimated: false } });
	});

	it.each([
		[300, 30, 10_000],
		[300, 45, 10_000],
		[300, 30, 7_300],
		[1000, 300, DEFAULT_WINDOW_MS],
	])('%i requests under an unannounced %i per %i ms: 0 failed, refusals bounded, the window learned to within the jitter margin', async (requests, limit, windowMs) => {
		const outcome = await runJob(requests, limit, windowMs, false);
		expect(outcome.failed).toBe(0);
		expect(outcome.admitted).toBe(requests);
		// The first refusal, one per growth step from 1 s until the estimate passes the window, one per halving after.
		expect(outcome.refused).toBeLessThanOrEqual(unannouncedRefusalBound(windowMs));
		expect(outcome.learned).toMatchObject({ limit, estimated: true });
		// Never shorter than the window (an admission proved it), and no longer than it by more than the 2% jitter margin.
		expect(outcome.learned!.windowMs).toBeGreaterThanOrEqual(windowMs);
		expect(outcome.learned!.windowMs).toBeLessThanOrEqual(windowMs * 1.02 + 50);
	});

	it('makes no request wait before Halo refused one', async () => {
		const outcome = await runJob(30, 30, 10_000, true);
		expect(outcome).toMatchObject({ failed: 0, refused: 0, admitted: 30, learned: undefined });
	});

	it('fails a request at once when its slot lies past the wait allowed, without sending it twice', async () => {
		const halo = virtualHalo(2, 60_000, true);
		const pacer = new RequestPacer(halo.sleep, halo.clock);
		const send = async () =>
			await callHalo(halo.http, { method: 'GET', url: 'https://halo.example/api/Tickets/1', timeoutMs: 1000 }, {
				policy: { ...DEFAULT_RETRY_POLICY, maxRateLimitWaitMs: 5_000 },
				sleep: halo.sleep,
				pacer,
			});
		await send();
		await send();
		await expect(send()).rejects.toMatchObject({ reason: expect.stringMatching(/no free slot within the wait allowed/) });
		expect(halo.counts).toEqual({ admitted: 2, refused: 1 });
		// The next one's slot is 60 s away, past the 5 s allowed: sent once anyway (the limit may have grown), refused, failed.
		await expect(send()).rejects.toMatchObject({ reason: expect.stringMatching(/no free slot/) });
		expect(halo.counts).toEqual({ admitted: 2, refused: 2 });
	});

	it('defers a request sent ahead of need rather than wait: not sent while the window is full, not sent again after a 429', async () => {
		const halo = virtualHalo(2, 60_000, true);
		const pacer = new RequestPacer(halo.sleep, halo.clock);
		const budget = { waitedMs: 0 };
		const request = { method: 'GET' as const, url: 'https://halo.example/api/Tickets?page_no=2', timeoutMs: 1000 };
		const send = async (ahead: boolean) =>
			await callHalo(halo.http, request, { policy: { ...DEFAULT_RETRY_POLICY, maxRateLimitWaitMs: 120_000 }, sleep: halo.sleep, pacer, budget, ahead });
		await send(true);
		await send(true);
		// Nothing learned yet: the third goes out, is refused (teaching the window), and is not sent again.
		await expect(send(true)).rejects.toBeInstanceOf(AheadRequestDeferred);
		expect(halo.counts).toEqual({ admitted: 2, refused: 1 });
		expect(pacer.learned).toMatchObject({ limit: 2, windowMs: 60_000 });
		// The window is full: not even sent.
		await expect(send(true)).rejects.toBeInstanceOf(AheadRequestDeferred);
		expect(halo.counts).toEqual({ admitted: 2, refused: 1 });
		expect(budget.waitedMs).toBe(0);
		// Asked again in the ordinary way, it waits for its slot (from the budget) and passes.
		await send(false);
		expect(halo.counts).toEqual({ admitted: 3, refused: 1 });
		expect(budget.waitedMs).toBeGreaterThan(50_000);
	});

	it('forgets a window Halo no longer enforces: a request sent past the pacer\'s count and admitted', async () => {
		const halo = virtualHalo(2, 60_000, true);
		const pacer = new RequestPacer(halo.sleep, halo.clock);
		const options = { policy: { ...DEFAULT_RETRY_POLICY, maxRateLimitWaitMs: 1_000 }, sleep: halo.sleep, pacer };
		const request = { method: 'GET' as const, url: 'https://halo.example/api/Tickets/1', timeoutMs: 1000 };
		for (let index = 0; index < 3; index++) await callHalo(halo.http, request, options).catch(() => undefined);
		expect(pacer.learned).toMatchObject({ limit: 2, windowMs: 60_000 });
		halo.limiter.configure({ limit: 100, windowMs: 60_000, announce: true });
		await callHalo(halo.http, request, options);
		expect(pacer.learned).toBeUndefined();
		expect(halo.counts).toEqual({ admitted: 3, refused: 1 });
	});
});
