import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { finished } from 'node:stream/promises';

// The build's own asset step (gulpfile.js), run into a temporary folder instead of dist/.
const { copyAssets } = require('../../gulpfile.js') as { copyAssets: (destination: string) => NodeJS.ReadableStream };

const root = path.join(__dirname, '..', '..');
// The folders under nodes/ that hold a node (nodes/transport holds what they share).
const nodeFolders = readdirSync(path.join(root, 'nodes'), { withFileTypes: true })
	.filter((entry) => entry.isDirectory() && existsSync(path.join(root, 'nodes', entry.name, `${entry.name}.node.ts`)))
	.map((entry) => entry.name);

describe('build assets (gulp build:assets)', () => {
	let out: string;
	beforeAll(async () => {
		out = mkdtempSync(path.join(os.tmpdir(), 'halo-assets-'));
		await finished(copyAssets(out) as unknown as NodeJS.WritableStream);
	});
	afterAll(() => rmSync(out, { recursive: true, force: true }));

	it('covers the four nodes of the package', () => {
		expect(nodeFolders.sort()).toEqual(['DeploymentTargets', 'HaloPsa', 'HaloPsaCustomTabTrigger', 'HaloPsaTrigger']);
	});

	it.each(nodeFolders)('copies the codex of %s next to its compiled node, unchanged', (folder) => {
		const codexName = `${folder}.node.json`;
		const source = path.join(root, 'nodes', folder, codexName);
		const copied = path.join(out, 'nodes', folder, codexName);
		expect(existsSync(copied)).toBe(true);
		expect(readFileSync(copied, 'utf8')).toBe(readFileSync(source, 'utf8'));
		// n8n pairs the codex with the node by its `node` key: <package name>.<node name>.
		const codex = JSON.parse(readFileSync(copied, 'utf8')) as { node: string; categories: string[] };
		expect(codex.node).toMatch(/^n8n-nodes-halopsa-automation\.[a-zA-Z]+$/);
		expect(codex.categories.length).toBeGreaterThan(0);
	});

	it.each(nodeFolders)('copies the light and dark icons of %s', (folder) => {
		const icons = readdirSync(path.join(root, 'nodes', folder)).filter((name) => name.endsWith('.svg'));
		expect(icons.length).toBe(2);
		for (const icon of icons) expect(existsSync(path.join(out, 'nodes', folder, icon))).toBe(true);
	});

	it('copies the credential icons', () => {
		for (const icon of ['halopsa.svg', 'halopsa.dark.svg']) expect(existsSync(path.join(out, 'credentials', icon))).toBe(true);
	});
});
