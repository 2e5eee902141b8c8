import type { Browser, Page } from 'playwright-core';

import { launchChromium, screenshot, signIn } from './helpers/browser';
import { N8nApi } from './helpers/n8n';
import { loadState } from './helpers/state';

/** The editor in Debian's Chromium: sign in, open the samples, add our node from the node panel. */
describe('n8n editor in Chromium', () => {
	const state = loadState();
	const api = new N8nApi(state);
	let browser: Browser;
	let page: Page;

	beforeAll(async () => {
		await api.login();
		browser = await launchChromium();
		page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
	});
	afterAll(async () => {
		await browser?.close();
	});

	it('signs in with the owner account from the environment', async () => {
		await signIn(page, state);
		await page.goto(`${state.n8nUrl}/home/workflows`);
		for (const wf of state.workflows) {
			await page.getByText(wf.name, { exact: true }).first().waitFor({ timeout: 30_000 });
		}
		await screenshot(page, state, 'workflows-list');
	});

	it.each(loadState().workflows.map((w) => [w.name, w] as const))(
		'opens "%s" with every node known (no unknown-node placeholders)',
		async (_name, wf) => {
			const stored = await api.getWorkflow(wf.id);
			await page.goto(`${state.n8nUrl}/workflow/${wf.id}`);
			const nodes = page.locator('[data-test-id="canvas-node"]');
			await nodes.first().waitFor({ timeout: 30_000 });
			await page.waitForTimeout(1500); // let the canvas fit the view and draw the icons
			expect(await nodes.count()).toBe(stored.nodes.filter((n) => !/stickyNote$/.test(n.type)).length);
			expect(await page.locator('[data-test-id="node-not-installed"]').count()).toBe(0);
			const types = await nodes.evaluateAll((els) => els.map((e) => e.getAttribute('data-node-type')));
			expect(types.some((t) => t?.startsWith('n8n-nodes-halopsa-automation.'))).toBe(true);
			await screenshot(page, state, `workflow-${wf.file.replace(/\.json$/, '')}`);
		},
	);
});
