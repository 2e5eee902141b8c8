import { startHaloSandbox, type HaloSandbox } from '../../sandbox';
import { api, control, requestToken, tokenFor } from './http';

const demoToken = { grant_type: 'client_credentials', client_id: 'sandbox-demo-client', client_secret: 'sandbox-demo-secret' };

/** Milliseconds `call` took to resolve. */
async function timed(call: () => Promise<unknown>): Promise<number> {
	const started = performance.now();
	await call();
	return performance.now() - started;
}

// A timer may fire a fraction of a millisecond before its delay as performance.now() counts it.
const TIMER_SLACK_MS = 2;

/**
 * The latency of a hosted tenant: a wait before every API and token answer (never before a control
 * answer), set by option, control API or method. Only floors are asserted: an answer can never come
 * sooner than the latency, however loaded the machine.
 */
describe('sandbox latency', () => {
	let sandbox: HaloSandbox;
	let token: string;

	beforeAll(async () => {
		sandbox = await startHaloSandbox({ latencyMs: 120, tokenLatencyMs: 300 });
		token = await tokenFor(sandbox);
	});
	afterAll(async () => await sandbox.stop());

	it('waits the API latency before an API answer and the token latency before a token answer', async () => {
		expect(await timed(() => api(sandbox, token, 'GET', '/Agent/me'))).toBeGreaterThanOrEqual(120 - TIMER_SLACK_MS);
		expect(await timed(() => requestToken(sandbox, demoToken))).toBeGreaterThanOrEqual(300 - TIMER_SLACK_MS);
		// A refusal is as far away as an answer.
		expect(await timed(() => api(sandbox, 'not-a-token', 'GET', '/Tickets/1'))).toBeGreaterThanOrEqual(120 - TIMER_SLACK_MS);
		expect((await control(sandbox, 'GET', '/config')).json).toMatchObject({ latencyMs: 120, tokenLatencyMs: 300 });
	});

	it('answers control calls while an API request is still waiting, and keeps the latency over a reset', async () => {
		await control(sandbox, 'POST', '/config', { latencyMs: 1500 });
		let apiAnswered = false;
		const slow = api(sandbox, token, 'GET', '/Agent/me').then((answer) => {
			apiAnswered = true;
			return answer;
		});
		expect((await control(sandbox, 'POST', '/reset')).status).toBe(200);
		expect((await control(sandbox, 'GET', '/config')).json.latencyMs).toBe(1500);
		expect(apiAnswered).toBe(false);
		expect((await slow).status).toBe(200);
	});

	it('takes the API latency for tokens once the token latency is cleared, and can be switched off', async () => {
		const cleared = await control(sandbox, 'POST', '/config', { latencyMs: 200, tokenLatencyMs: null });
		expect(cleared.json).toMatchObject({ latencyMs: 200, tokenLatencyMs: null });
		expect(await timed(() => requestToken(sandbox, demoToken))).toBeGreaterThanOrEqual(200 - TIMER_SLACK_MS);
		sandbox.setLatency({ latencyMs: 0 });
		expect((await control(sandbox, 'GET', '/config')).json).toMatchObject({ latencyMs: 0, tokenLatencyMs: null });
		expect((await requestToken(sandbox, demoToken)).status).toBe(200);
	});
});
