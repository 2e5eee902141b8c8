import type { Browser, Page } from 'playwright-core';

import { launchChromium, screenshot, signIn } from './helpers/browser';
import { N8nApi, SandboxControl } from './helpers/n8n';
import { loadState } from './helpers/state';

/** Closes (or, failing that, hides) the "Production Checklist" popover n8n shows on published workflows. */
async function closeProductionChecklist(page: Page): Promise<void> {
	const heading = page.getByText('Production Checklist', { exact: true }).first();
	if (!(await heading.isVisible().catch(() => false))) return;
	for (const levels of ['xpath=..', 'xpath=../..']) {
		await heading.locator(levels).locator('button').first().click({ timeout: 2000 }).catch(() => undefined);
		if (!(await heading.isVisible().catch(() => false))) return;
	}
	// Runs in the page (the test's tsconfig has no DOM types).
	await heading.evaluate((element: any) => {
		const style = (node: any) => (globalThis as any).getComputedStyle(node).position as string;
		let box = element;
		while (box && !['fixed', 'absolute'].includes(style(box))) box = box.parentElement;
		(box ?? element).style.display = 'none';
	});
}

/** The sandbox's log of `GET /api/Outcome` requests, oldest first. */
const outcomeListRequests = async () => await new SandboxControl(loadState().sandboxUrl).requests('GET /api/outcome');

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
		await signIn(page, state);
	});
	afterAll(async () => {
		await browser?.close();
	});

	it('signs in with the owner account from the environment and lists the sample workflows', async () => {
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
			// docs/screenshots/<workflow>.png, for the README: without n8n's "Production Checklist" popover over the canvas.
			await closeProductionChecklist(page);
			await screenshot(page, state, wf.file.replace(/\.json$/, ''));
		},
	);

	it('screenshots the technician tab page at a Halo custom-tab width', async () => {
		const tab = await browser.newPage({ viewport: { width: 420, height: 900 } });
		try {
			const answer = await tab.goto(`${state.n8nUrl}/webhook/technician-tab?ticket_id=2&key=${state.tabKey}`);
			expect(answer?.status()).toBe(200);
			await tab.getByText('Deployment targets').first().waitFor({ timeout: 30_000 });
			await screenshot(tab, state, 'technician-tab-page');
		} finally {
			await tab.close();
		}
	});

	it('adds the HaloPSA node from the node panel ("Halo"), chooses Add Internal Note and lists the outcomes live from the sandbox', async () => {
		// A workflow with only a Manual Trigger, so the node panel opens for a regular (action) node.
		const created = await api.request<{ id: string }>('POST', '/workflows', {
			name: 'E2E node panel',
			active: false,
			nodes: [
				{ id: 'm1', name: 'When clicking Execute workflow', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
			],
			connections: {},
			settings: {},
		});
		await page.goto(`${state.n8nUrl}/workflow/${created.id}`);
		await page.locator('[data-test-id="canvas-node"]').first().waitFor({ timeout: 30_000 });
		await page.locator('[data-test-id="canvas-handle-plus"]').first().click();
		const search = page.locator('[data-test-id="node-creator-search-bar"]').locator('xpath=descendant-or-self::input').first();
		await search.waitFor({ timeout: 15_000 });
		await search.fill('Halo');
		const ours = page.locator('[data-test-id="node-creator-item-name"]').filter({ hasText: /^HaloPSA Automation$/ });
		await ours.first().waitFor({ timeout: 15_000 });
		await screenshot(page, state, 'node-panel-search-halo');
		await ours.first().click();
		// n8n lists our action node and trigger as one "HaloPSA Automation" entry; its actions come next.
		await page.waitForTimeout(1000);
		const action = page.getByText(/add an internal note/i);
		await action.first().waitFor({ timeout: 15_000 });
		await action.first().click();

		const ndv = page.locator('[data-test-id="ndv"]');
		await ndv.waitFor({ timeout: 30_000 });
		// The only haloPsaAutomationApi credential is picked automatically.
		const credentialSelect = ndv.locator('[data-test-id="node-credentials-select"]').first();
		await credentialSelect.waitFor({ timeout: 15_000 });
		await screenshot(page, state, 'add-internal-note');
		const chosen = await credentialSelect.evaluate(
			(el) => (el.querySelector('input') as HTMLInputElement | null)?.value || el.textContent || '',
		);
		expect(chosen).toContain('HaloPSA (sandbox)');
		// Outcome: switch the resource locator to "From List" and open it.
		const outcome = ndv.locator('[data-test-id="resource-locator-outcome"], [data-test-id="parameter-input-outcome"]').first();
		const locator = (await outcome.count()) > 0 ? outcome : ndv;
		// Other tests read outcomes too: count the sandbox's outcome list requests from here on.
		const before = await outcomeListRequests();
		await locator.locator('[data-test-id="rlc-mode-selector"]').first().click();
		await page.getByRole('option', { name: 'From List' }).first().click();
		await locator.locator('[data-test-id="rlc-input"]').first().click();
		const items = page.locator('[data-test-id="rlc-item"]');
		await items.first().waitFor({ timeout: 30_000 });
		const names = (await items.allInnerTexts()).map((t) => t.trim());
		await screenshot(page, state, 'add-internal-note-outcomes');
		// The list is Halo's: the tenant's own outcome names ("Chat Internal Remark" is no Halo default),
		// fetched live from the sandbox through the credential while the list opened.
		expect(names).toEqual(expect.arrayContaining(['Private Note', 'Chat Internal Remark']));
		const during = (await outcomeListRequests()).slice(before.length);
		expect(during).toEqual(expect.arrayContaining([expect.objectContaining({ method: 'GET', status: 200 })]));
		await api.request('DELETE', `/workflows/${created.id}`).catch(() => undefined);
	});
});
