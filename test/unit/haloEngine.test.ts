import {
	AheadRequestDeferred,
	DEFAULT_RETRY_POLICY,
	decideRetry,
	extractHaloError,
	hasMoreRows,
	initialRetryState,
	isDeleteAlreadyDone,
	normalizeHaloBaseUrl,
	paginate,
	parseRetryAfter,
	readHaloPage,
	recordWait,
	redactObject,
	redactSecrets,
	resolveAuthUrl,
	resolveTokenUrl,
} from '../../halo-client';
import type { HaloPage } from '../../halo-client';

describe('normalizeHaloBaseUrl', () => {
	it.each([
		['https://x.halopsa.com', 'https://x.halopsa.com'],
		['https://x.halopsa.com/', 'https://x.halopsa.com'],
		['https://x.halopsa.com/api', 'https://x.halopsa.com'],
		['https://x.halopsa.com/API/', 'https://x.halopsa.com'],
		['  x.halopsa.com  ', 'https://x.halopsa.com'],
		['http://127.0.0.1:8080/api', 'http://127.0.0.1:8080'],
		['https://halo.example.com/halo/api', 'https://halo.example.com/halo'],
	])('%s -> %s', (input, expected) => {
		expect(normalizeHaloBaseUrl(input)).toBe(expected);
	});

	it.each(['', 'not a url', 'ftp://x.halopsa.com', 'https://', 'https://user:pw@x.halopsa.com'])('rejects %p clearly', (input) => {
		expect(() => normalizeHaloBaseUrl(input)).toThrow(/Halo URL/);
	});
});

describe('auth URL helpers', () => {
	it('prefers the entered URL, then the discovered one, then {base}/auth', () => {
		expect(resolveAuthUrl({ baseUrl: 'https://x.halopsa.com/api', authUrl: 'https://auth.example.com/auth/' })).toBe(
			'https://auth.example.com/auth',
		);
		expect(resolveAuthUrl({ baseUrl: 'https://x.halopsa.com', discoveredAuthUrl: 'https://y.halopsa.com/auth' })).toBe(
			'https://y.halopsa.com/auth',
		);
		expect(resolveAuthUrl({ baseUrl: 'https://x.halopsa.com/api/' })).toBe('https://x.halopsa.com/auth');
	});

	it('adds the tenant to the token URL', () => {
		expect(resolveTokenUrl('https://x.halopsa.com/auth', 'my tenant')).toBe('https://x.halopsa.com/auth/token?tenant=my%20tenant');
		expect(resolveTokenUrl('https://x.halopsa.com/auth/token', '')).toBe('https://x.halopsa.com/auth/token');
	});
});

describe('paginate', () => {
	const rows = Array.from({ length: 250 }, (_, index) => ({ id: index + 1 }));
	function server(cap: number, options: { withCount?: boolean } = {}) {
		const calls: Array<[number, number]> = [];
		const fetchPage = async (pageNo: number, pageSize: number): Promise<HaloPage<{ id: number }>> => {
			calls.push([pageNo, pageSize]);
			const size = Math.min(pageSize, cap);
			return {
				rows: rows.slice((pageNo - 1) * size, pageNo * size),
				recordCount: options.withCount === false ? undefined : rows.length,
			};
		};
		return { calls, fetchPage };
	}

	it('reads 250 rows in 3 pages of 100', async () => {
		const { calls, fetchPage } = server(100);
		expect(await paginate(fetchPage, { pageSize: 100 })).toEqual(rows);
		expect(calls).toHaveLength(3);
	});

	it('does not lose rows when the server caps the page size below what was asked', async () => {
		const { calls, fetchPage } = server(40);
		expect(await paginate(fetchPage, { pageSize: 100 })).toEqual(rows);
		expect(calls).toHaveLength(7);
	});

	it('stops at the limit and asks no more than needed', async () => {
		const { calls, fetchPage } = server(100);
		expect(await paginate(fetchPage, { limit: 120, pageSize: 100 })).toHaveLength(120);
		expect(calls).toHaveLength(2);
		expect((await paginate(server(100).fetchPage, { limit: 5 })).map((row) => row.id)).toEqual([1, 2, 3, 4, 5]);
	});

	it('stops on an empty page and, without record_count, on a short page', async () => {
		const { calls, fetchPage } = server(100, { withCount: false });
		expect(await paginate(fetchPage, {})).toHaveLength(250);
		expect(calls).toHaveLength(3);
		expect(await paginate(async () => ({ rows: [], recordCount: 999 }), {})).toEqual([]);
	});

	it('maps each page as it arrives, with at most two pages asked ahead once record_count is known; limit and record_count count rows', async () => {
		const { calls, fetchPage } = server(40);
		let mapped = 0;
		const mappedWhenAsked: number[] = [];
		const result = await paginate(
			async (pageNo, pageSize) => {
				mappedWhenAsked.push(mapped);
				return await fetchPage(pageNo, pageSize);
			},
			{
				limit: 130,
				mapRow: (row) => {
					mapped += 1;
					return { key: `#${row.id}` };
				},
			},
		);
		expect(result).toEqual(rows.slice(0, 130).map((row) => ({ key: `#${row.id}` })));
		// page 1 alone; its record_count and the limit need 4 pages of 40: pages 2 and 3 go out before page 1 is mapped, page 4 once page 2 has been mapped
		expect(mappedWhenAsked).toEqual([0, 0, 0, 80]);
		expect(mapped).toBe(130);
		expect(calls).toHaveLength(4);
		// all rows with a cap below the page size: record_count (raw rows) ends the list, not the mapped rows
		expect(await paginate(server(40).fetchPage, { mapRow: (row) => ({ key: row.id }) })).toHaveLength(250);
	});

	it('stops when a server ignores page_no and repeats page 1', async () => {
		let calls = 0;
		const result = await paginate(async () => {
			calls += 1;
			return { rows: rows.slice(0, 100), recordCount: 250 };
		});
		expect(result).toHaveLength(100);
		// pages 2 and 3 were asked together after page 1; page 2 repeats page 1 and ends the list
		expect(calls).toBe(3);
	});

	/** `fetchPage` answering after 5 ms, counting the most requests open at once. */
	function slow(fetchPage: ReturnType<typeof server>['fetchPage']) {
		const counter = { open: 0, mostOpen: 0 };
		const slowFetch = async (pageNo: number, pageSize: number) => {
			counter.open += 1;
			counter.mostOpen = Math.max(counter.mostOpen, counter.open);
			await new Promise((resolve) => setTimeout(resolve, 5));
			counter.open -= 1;
			return await fetchPage(pageNo, pageSize);
		};
		return { counter, slowFetch };
	}

	it('keeps at most two page requests open, asks pages in order, and asks none the list does not need', async () => {
		const { calls, fetchPage } = server(10);
		const { counter, slowFetch } = slow(fetchPage);
		expect(await paginate(slowFetch)).toEqual(rows);
		expect(counter.mostOpen).toBe(2);
		expect(calls.map(([pageNo]) => pageNo)).toEqual(Array.from({ length: 25 }, (_, index) => index + 1));
	});

	it('asks one page at a time without record_count', async () => {
		const { calls, fetchPage } = server(100, { withCount: false });
		const { counter, slowFetch } = slow(fetchPage);
		expect(await paginate(slowFetch)).toEqual(rows);
		expect(counter.mostOpen).toBe(1);
		expect(calls).toHaveLength(3);
	});

	it('asks a page again, not ahead, in its turn when Halo\'s rate limit deferred it', async () => {
		const { fetchPage } = server(100);
		const asks: Array<[number, boolean]> = [];
		const result = await paginate(async (pageNo, pageSize, ahead) => {
			asks.push([pageNo, ahead]);
			if (ahead && pageNo === 3) throw new AheadRequestDeferred();
			return await fetchPage(pageNo, pageSize);
		});
		expect(result).toEqual(rows);
		// page 2 goes alone after page 1 (nothing else on its way), page 3 ahead of it; deferred, page 3 is asked again in its turn
		expect(asks).toEqual([
			[1, false],
			[2, false],
			[3, true],
			[3, false],
		]);
	});

	it('fails with the first failing page in page order, and a page asked ahead that fails unread goes unnoticed', async () => {
		const unhandled: unknown[] = [];
		const onUnhandled = (reason: unknown) => unhandled.push(reason);
		process.on('unhandledRejection', onUnhandled);
		try {
			// page 3 fails at once while page 2 is still coming: the list fails with page 3's error after reading page 2
			const { fetchPage } = server(100);
			const failing = paginate(async (pageNo, pageSize) => {
				if (pageNo === 3) throw new Error('page 3 failed');
				await new Promise((resolve) => setTimeout(resolve, 10));
				return await fetchPage(pageNo, pageSize);
			});
			await expect(failing).rejects.toThrow('page 3 failed');
			// page 2 empty ends the list; page 3, asked with it, fails and is never read
			const ended = await paginate(async (pageNo) => {
				if (pageNo === 3) throw new Error('page 3 failed');
				return pageNo === 1 ? { rows: rows.slice(0, 100), recordCount: 250 } : { rows: [], recordCount: 250 };
			});
			expect(ended).toHaveLength(100);
			await new Promise((resolve) => setImmediate(resolve));
			expect(unhandled).toEqual([]);
		} finally {
			process.off('unhandledRejection', onUnhandled);
		}
	});

	it('tells whether a list goes on from record_count and the rows seen, not from the page size asked', () => {
		expect(hasMoreRows({ rows: [{}, {}], recordCount: 5 }, 4, 50)).toBe(true);
		expect(hasMoreRows({ rows: [{}, {}], recordCount: 5 }, 5, 50)).toBe(false);
		expect(hasMoreRows({ rows: [], recordCount: 5 }, 0, 50)).toBe(false);
		expect(hasMoreRows({ rows: new Array(50).fill({}) }, 50, 50)).toBe(true);
		expect(hasMoreRows({ rows: new Array(20).fill({}) }, 20, 50)).toBe(false);
	});

	it('reads envelopes and bare arrays', () => {
		expect(readHaloPage({ record_count: 3, Tickets: [{ id: 1 }] }, 'tickets')).toEqual({ rows: [{ id: 1 }], recordCount: 3 });
		expect(readHaloPage([{ id: 1 }], 'items')).toEqual({ rows: [{ id: 1 }] });
		expect(readHaloPage(null, 'tickets')).toEqual({ rows: [] });
	});
});

describe('decideRetry', () => {
	const policy = { ...DEFAULT_RETRY_POLICY, maxRateLimitWaitMs: 10_000, rateLimitBaseDelayMs: 1_000 };

	it('retries 429 for every method with growing delays, within the total bound', () => {
		let state = initialRetryState();
		const delays: number[] = [];
		for (;;) {
			const decision = decideRetry('POST', { status: 429 }, state, policy);
			if (decision.action !== 'retry') {
				expect(decision.action).toBe('fail');
				break;
			}
			delays.push(decision.delayMs);
			state = recordWait(state, decision.kind, decision.delayMs);
		}
		expect(delays).toEqual([1000, 2000, 4000, 3000]);
	});

	it('honours Retry-After (seconds or date) but never beyond the bound', () => {
		expect(decideRetry('GET', { status: 429, retryAfter: '3' }, initialRetryState(), policy)).toMatchObject({ delayMs: 3000 });
		expect(decideRetry('GET', { status: 429, retryAfter: '60' }, initialRetryState(), policy)).toMatchObject({ delayMs: 10_000 });
		expect(parseRetryAfter(new Date(Date.now() + 5000).toUTCString())).toBeGreaterThan(3000);
	});

	it('retries gateway errors and dropped or timed-out connections for GET and DELETE; a POST only after its verification', () => {
		for (const failure of [{ status: 502 }, { status: 503 }, { status: 504 }, { code: 'ECONNRESET' }, { code: 'ECONNABORTED' }, { code: 'ETIMEDOUT' }]) {
			expect(decideRetry('GET', failure, initialRetryState(), policy).action).toBe('retry');
			expect(decideRetry('DELETE', failure, initialRetryState(), policy).action).toBe('retry');
			expect(decideRetry('POST', failure, initialRetryState(), policy).action).toBe('fail');
			expect(decideRetry('POST', failure, initialRetryState(), policy, { canVerifyWrite: true })).toMatchObject({
				action: 'verify',
				retryIfNotLanded: true,
			});
		}
	});

	it('treats PUT like POST: never resent blindly after a 502 or a dropped connection', () => {
		for (const failure of [{ status: 502 }, { code: 'ECONNRESET' }]) {
			expect(decideRetry('PUT', failure, initialRetryState(), policy).action).toBe('fail');
		}
	});

	it('takes a DELETE answered 404 after an ambiguous attempt as done, but not after a refused connection', () => {
		const afterGateway = recordWait(initialRetryState(), 'gateway', 0);
		expect(isDeleteAlreadyDone('DELETE', { status: 404 }, afterGateway)).toBe(true);
		expect(isDeleteAlreadyDone('DELETE', { status: 404 }, recordWait(initialRetryState(), 'connectionDropped', 0))).toBe(true);
		expect(isDeleteAlreadyDone('DELETE', { status: 404 }, initialRetryState())).toBe(false);
		expect(isDeleteAlreadyDone('DELETE', { status: 404 }, recordWait(initialRetryState(), 'connectionRefused', 0))).toBe(false);
		expect(isDeleteAlreadyDone('GET', { status: 404 }, afterGateway)).toBe(false);
		expect(isDeleteAlreadyDone('DELETE', { status: 403 }, afterGateway)).toBe(false);
	});

	it('starts a request with the wait its item already spent, so the bound is per item', () => {
		const decision = decideRetry('GET', { status: 429 }, initialRetryState(9_500), policy);
		expect(decision).toMatchObject({ action: 'retry', delayMs: 500 });
		expect(decideRetry('GET', { status: 429 }, initialRetryState(10_000), policy).action).toBe('fail');
	});

	it('retries a refused connection for every method, a bounded number of times', () => {
		let state = initialRetryState();
		for (let attempt = 0; attempt < policy.maxTransientRetries; attempt++) {
			const decision = decideRetry('POST', { code: 'ECONNREFUSED' }, state, policy);
			expect(decision.action).toBe('retry');
			state = recordWait(state, decision.kind, 0);
		}
		expect(decideRetry('POST', { code: 'ECONNREFUSED' }, state, policy).action).toBe('fail');
	});

	it('never retries client errors or a read answered 500; a POST answered 500 is verified, never resent blindly', () => {
		for (const status of [400, 401, 403, 404]) {
			expect(decideRetry('GET', { status }, initialRetryState(), policy).action).toBe('fail');
			expect(decideRetry('POST', { status }, initialRetryState(), policy, { canVerifyWrite: true }).action).toBe('fail');
		}
		expect(decideRetry('GET', { status: 500 }, initialRetryState(), policy).action).toBe('fail');
		expect(decideRetry('POST', { status: 500 }, initialRetryState(), policy).action).toBe('fail');
		expect(decideRetry('POST', { status: 500 }, initialRetryState(), policy, { canVerifyWrite: true })).toMatchObject({
			action: 'verify',
			retryIfNotLanded: true,
		});
	});

	it.each([{ status: 500 }, { status: 503 }, { code: 'ECONNRESET' }])(
		'a write failing with %p is verified after every attempt, resent with growing delays, and verified once more when the retries are spent',
		(failure) => {
			let state = initialRetryState();
			const decisions: Array<{ delayMs: number; retryIfNotLanded: boolean }> = [];
			for (;;) {
				const decision = decideRetry('POST', failure, state, policy, { canVerifyWrite: true });
				if (decision.action !== 'verify') throw new Error(`expected verify, got ${decision.action}`);
				decisions.push({ delayMs: decision.delayMs, retryIfNotLanded: decision.retryIfNotLanded });
				if (!decision.retryIfNotLanded) {
					expect(decision.reason).toMatch(/nothing was saved, so it is safe to run again/);
					break;
				}
				state = recordWait(state, decision.kind, decision.delayMs);
			}
			expect(decisions).toEqual([
				...[500, 1000, 2000, 4000, 8000].map((delayMs) => ({ delayMs, retryIfNotLanded: true })),
				{ delayMs: 16_000, retryIfNotLanded: false },
			]);
			expect(policy.maxTransientRetries).toBe(5);
		},
	);
});

describe('extractHaloError', () => {
	it('reads .NET exceptions', () => {
		expect(extractHaloError({ ClassName: 'System.Exception', Message: 'An Outcome must be entered for this Action' })).toMatchObject({
			shape: 'dotnet',
			message: 'An Outcome must be entered for this Action',
		});
	});

	it('reads ASP.NET model errors keyed by field, bare or under errors', () => {
		const bare = extractHaloError({ '[0].id': ['The value is not valid.'] });
		expect(bare).toMatchObject({ shape: 'modelState', message: 'id: The value is not valid.' });
		const nested = extractHaloError({ title: 'Validation failed', errors: { summary: ['Required'] } });
		expect(nested.message).toBe('Validation failed (summary: Required)');
	});

	it('reads OAuth errors', () => {
		expect(extractHaloError({ error: 'invalid_client', error_description: 'The client credentials are invalid.' })).toMatchObject({
			shape: 'oauth',
			oauthError: 'invalid_client',
			message: 'invalid_client: The client credentials are invalid.',
		});
	});

	it('reads plain strings, JSON strings and HTML pages', () => {
		expect(extractHaloError('Ticket not found')).toMatchObject({ shape: 'text', message: 'Ticket not found' });
		expect(extractHaloError('{"Message":"nope"}')).toMatchObject({ shape: 'dotnet', message: 'nope' });
		expect(extractHaloError('<!DOCTYPE html><html><body>Login</body></html>')).toMatchObject({ shape: 'html' });
		expect(extractHaloError(undefined)).toMatchObject({ shape: 'empty' });
	});
});

describe('redaction', () => {
	it('removes known secrets and token-looking assignments', () => {
		const text = 'client_secret=s3cr3t-value&x=1 Authorization: Bearer abc.def.ghi {"access_token":"tok123456"}';
		const redacted = redactSecrets(text, ['s3cr3t-value']);
		expect(redacted).not.toMatch(/s3cr3t-value|abc\.def\.ghi|tok123456/);
	});

	it('redacts secret-named keys deeply', () => {
		expect(redactObject({ a: { clientSecret: 'x', accessToken: 'y', keep: 'z' } })).toEqual({
			a: { clientSecret: '[redacted]', accessToken: '[redacted]', keep: 'z' },
		});
	});
});
