import type { HaloSandbox } from '../../sandbox';
import { startHaloSandbox } from '../../sandbox';
import { TriggerHarness } from '../helpers/n8n-trigger-harness';
import { FuzzPayloads, type FuzzPayload } from './fuzz';
import { flushDeliveries, sandboxControl } from './support';

const PAYLOADS = 10_000;
const CONCURRENCY = 8;

/**
 * 10,000 payloads sent with Halo's own Basic credentials to a published trigger (n8n-core's
 * contexts behind real HTTP, registered in the sandbox): Halo events start exactly one execution
 * each; nothing else starts one, gets a 5xx, or makes the node call Halo's API.
 */
describe('HaloPSA Trigger receiver under fuzzing', () => {
	let sandbox: HaloSandbox;
	let trigger: TriggerHarness;

	beforeAll(async () => {
		sandbox = await startHaloSandbox();
		trigger = await TriggerHarness.start({
			credentials: {
				url: sandbox.baseUrl,
				clientId: 'sandbox-ticketing-client',
				clientSecret: 'sandbox-ticketing-secret',
				scope: 'all:standard all:teams admin:webhooks',
			},
			parameters: { registration: 'automatic', events: ['ticketStatusChanged'], options: {} },
		});
		await trigger.publish();
	});

	afterAll(async () => {
		await trigger.stop();
		await sandbox.stop();
	});

	it(`answers ${PAYLOADS.toLocaleString('en')} payloads with valid credentials: Halo events start one execution each, the rest 400 or 415, no 5xx, no API call`, async () => {
		// One real delivery gives the Authorization header only Halo knows.
		await sandboxControl(sandbox, 'POST', '/simulate/status-change', { ticket_id: 1, status_id: 3 });
		await flushDeliveries(sandbox);
		const authorization = trigger.calls.find((call) => call.status === 200)?.authorization;
		expect(authorization).toBeDefined();
		const startedBefore = trigger.executionsStarted;
		const apiRequestsBefore = (await sandboxControl(sandbox, 'GET', '/stats')).requests as number;

		const fuzz = new FuzzPayloads(20250301, trigger.nodeStaticData.webhookId as string, 1);
		const payloads: FuzzPayload[] = Array.from({ length: PAYLOADS }, () => fuzz.next());
		const statuses = new Array<number>(PAYLOADS);
		let next = 0;
		const worker = async () => {
			for (let index = next++; index < PAYLOADS; index = next++) {
				const { body, contentType } = payloads[index];
				const answer = await fetch(trigger.webhookUrl, { method: 'POST', headers: { 'Content-Type': contentType, Authorization: authorization! }, body });
				await answer.arrayBuffer();
				statuses[index] = answer.status;
			}
		};
		await Promise.all(Array.from({ length: CONCURRENCY }, worker));
		await trigger.settled();

		const expected = (payload: FuzzPayload) => (payload.halo ? 200 : /json/.test(payload.contentType) ? 400 : 415);
		const wrong = payloads
			.map((payload, index) => ({ status: statuses[index], expected: expected(payload), defect: payload.defect, body: payload.body.slice(0, 200) }))
			.filter((answer) => answer.status !== answer.expected);
		expect(wrong.slice(0, 5)).toEqual([]);
		const halo = payloads.filter((payload) => payload.halo).length;
		expect(halo).toBeGreaterThan(500);
		expect(payloads.filter((payload) => !payload.halo).length).toBeGreaterThan(8000);
		expect(statuses.filter((status) => status >= 500)).toEqual([]);
		expect(trigger.calls.filter((call) => call.error !== undefined)).toEqual([]);
		expect(trigger.executionsStarted - startedBefore).toBe(halo);
		expect((await sandboxControl(sandbox, 'GET', '/stats')).requests).toBe(apiRequestsBefore);
		// Ten thousand HTTP calls take 20 s or so alone; more on a machine shared with other work.
	}, 180_000);
});
