import * as fs from 'node:fs';
import * as path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

import type { E2eState } from './state';

/** Debian's Chromium, never a downloaded one; flags keep it off the (closed) network. */
export async function launchChromium(): Promise<Browser> {
	return chromium.launch({
		executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
		args: [
			'--headless',
			'--no-sandbox',
			'--disable-gpu',
			'--disable-background-networking',
			'--disable-component-update',
			'--disable-sync',
			'--no-first-run',
			'--disable-dev-shm-usage',
		],
	});
}

export async function signIn(page: Page, state: E2eState): Promise<void> {
	await page.goto(`${state.n8nUrl}/signin`);
	await page.locator('input[type=email], input[name=emailOrLdapLoginId]').first().fill(state.owner.email);
	await page.locator('input[type=password]').first().fill(state.owner.password);
	await page.keyboard.press('Enter');
	await page.waitForURL((url) => !url.pathname.includes('/signin'), { timeout: 60_000 });
}

export async function screenshot(page: Page, state: E2eState, name: string): Promise<string> {
	fs.mkdirSync(state.screenshotsDir, { recursive: true });
	const file = path.join(state.screenshotsDir, `${name}.png`);
	await page.screenshot({ path: file });
	return file;
}
