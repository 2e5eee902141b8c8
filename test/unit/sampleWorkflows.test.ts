import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { readSampleWorkflows, sandboxSinkUrls, WORKFLOW_SANDBOX_PLACEHOLDER } from '../../scripts/n8n-env';

/** The sink URLs the samples hold after the import rewrite. */
const sinkUrlsIn = (workflows: ReturnType<typeof readSampleWorkflows>) =>
	workflows.flatMap((workflow) => JSON.stringify(workflow.json).match(/http:\/\/127\.0\.0\.1:\d+\/_sandbox\/sink\/[a-z-]+/g) ?? []).sort();

describe('sample workflows as npm start imports them', () => {
	it('imports the samples with a sandbox on the default port 5680, the placeholder\'s own (the sink URLs stay as they are)', () => {
		expect(WORKFLOW_SANDBOX_PLACEHOLDER).toBe('http://127.0.0.1:5680');
		const workflows = readSampleWorkflows(undefined, sandboxSinkUrls('http://127.0.0.1:5680'));
		expect(workflows.map((workflow) => workflow.file)).toEqual([
			'contract-deployments.json',
			'note-routing-inbound.json',
			'note-routing-outbound.json',
			'technician-tab.json',
		]);
		expect(sinkUrlsIn(workflows)).toEqual([
			'http://127.0.0.1:5680/_sandbox/sink/chat-customer',
			'http://127.0.0.1:5680/_sandbox/sink/chat-internal',
			'http://127.0.0.1:5680/_sandbox/sink/rmm',
		]);
	});

	it('points the sink URLs at a sandbox on another port', () => {
		expect(sinkUrlsIn(readSampleWorkflows(undefined, sandboxSinkUrls('http://127.0.0.1:6111')))).toEqual([
			'http://127.0.0.1:6111/_sandbox/sink/chat-customer',
			'http://127.0.0.1:6111/_sandbox/sink/chat-internal',
			'http://127.0.0.1:6111/_sandbox/sink/rmm',
		]);
	});

	it.each([5680, 6111])('refuses a sample that uses the placeholder address for something else (sandbox on %i)', (port) => {
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'halopsa-samples-'));
		try {
			const workflow = { id: 'X', name: 'x', nodes: [{ type: 'n8n-nodes-base.httpRequest', parameters: { url: 'http://127.0.0.1:5680/_sandbox/emails' } }] };
			fs.writeFileSync(path.join(dir, 'stray.json'), JSON.stringify(workflow));
			expect(() => readSampleWorkflows(dir, sandboxSinkUrls(`http://127.0.0.1:${port}`))).toThrow(
				'workflows/stray.json uses http://127.0.0.1:5680 for something other than the sinks rmm, chat-customer, chat-internal',
			);
		} finally {
			fs.rmSync(dir, { recursive: true, force: true });
		}
	});

	it('publishes the HaloPSA-to-chat sample against the sandbox only: its Action Added is the sandbox\'s own event number', () => {
		const workflows = readSampleWorkflows(undefined, sandboxSinkUrls('http://127.0.0.1:5680'), ['webhook', 'haloTrigger', 'other']);
		const kinds = Object.fromEntries(workflows.map((workflow) => [workflow.file, { triggers: workflow.triggers, publish: workflow.publish }]));
		expect(kinds).toEqual({
			'contract-deployments.json': { triggers: ['schedule'], publish: false },
			'note-routing-inbound.json': { triggers: ['webhook'], publish: true },
			'note-routing-outbound.json': { triggers: ['sandboxEventTrigger'], publish: false },
			'technician-tab.json': { triggers: ['other'], publish: true },
		});
	});
});
