import { createDecipheriv, createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { N8nApi, queryN8nDatabase } from './helpers/n8n';

/** n8n's credential encryption: base64 of "Salted__", an 8-byte salt and AES-256-CBC with an MD5-derived key and IV. */
function decryptWithInstanceKey(data: string, key: string): string {
	const input = Buffer.from(data, 'base64');
	expect(input.subarray(0, 8).toString('latin1')).toBe('Salted__');
	const password = Buffer.concat([Buffer.from(key, 'binary'), input.subarray(8, 16)]);
	const first = createHash('md5').update(password).digest();
	const second = createHash('md5').update(Buffer.concat([first, password])).digest();
	const iv = createHash('md5').update(Buffer.concat([second, password])).digest();
	const decipher = createDecipheriv('aes-256-cbc', Buffer.concat([first, second]), iv);
	return Buffer.concat([decipher.update(input.subarray(16)), decipher.final()]).toString('utf8');
}

/** The package is loaded the way users load it (npm pack -> <user folder>/.n8n/nodes). */
describe('package loaded into n8n 2.41.1 as a community package', () => {
	const api = new N8nApi();
	beforeAll(() => api.login());

	it('is installed in <user folder>/.n8n/nodes/node_modules, and the install added no package but ours', () => {
		const modules = path.join(api.state.userFolder, '.n8n', 'nodes', 'node_modules');
		const pkg = JSON.parse(fs.readFileSync(path.join(modules, 'n8n-nodes-halopsa-automation', 'package.json'), 'utf8'));
		expect(pkg.name).toBe('n8n-nodes-halopsa-automation');
		expect(pkg.dependencies).toBeUndefined();
		// npm's own bookkeeping (.package-lock.json, a .bin folder) aside, node_modules holds our package alone.
		expect(fs.readdirSync(modules).filter((entry) => !entry.startsWith('.'))).toEqual(['n8n-nodes-halopsa-automation']);
		// Only the built package is shipped: no sources, tests or sandbox.
		const shipped = path.join(modules, 'n8n-nodes-halopsa-automation');
		expect(fs.existsSync(path.join(shipped, 'dist', 'sandbox'))).toBe(false);
		expect(fs.existsSync(path.join(shipped, 'nodes'))).toBe(false);
	});

	it('registers every node as n8n-nodes-halopsa-automation.<node>', async () => {
		const names = await api.nodeTypeNames();
		const ours = names.filter((n) => n.startsWith('n8n-nodes-halopsa-automation.')).sort();
		expect(ours).toEqual(
			expect.arrayContaining([
				'n8n-nodes-halopsa-automation.deploymentTargets',
				'n8n-nodes-halopsa-automation.haloPsa',
				'n8n-nodes-halopsa-automation.haloPsaCustomTabTrigger',
				'n8n-nodes-halopsa-automation.haloPsaTrigger',
			]),
		);
		expect(names.some((n) => n.startsWith('CUSTOM.'))).toBe(false);
		// n8n's own HaloPSA node is there too (the peer users compare against).
		expect(names).toContain('n8n-nodes-base.haloPSA');
	});

	it('registers the credential type with its fields', async () => {
		const credentials = await api.request<Array<{ id: string; type: string; name: string }>>('GET', '/credentials');
		const halo = credentials.find((c) => c.id === api.state.credentialId);
		expect(halo).toMatchObject({ type: 'haloPsaAutomationApi' });
		const types = await api.types('credentials');
		const type = types.find((t) => t.name === 'haloPsaAutomationApi');
		expect(type?.properties.map((p) => p.name)).toEqual(
			expect.arrayContaining(['url', 'tenant', 'authUrl', 'clientId', 'clientSecret', 'scope']),
		);
	});

	it('keeps the imported sandbox credential encrypted at rest (no client secret in n8n\'s database)', () => {
		const rows = queryN8nDatabase<{ type: string; data: string }>(
			api.state,
			'SELECT type, data FROM credentials_entity WHERE id = ?',
			api.state.credentialId,
		);
		expect(rows).toEqual([expect.objectContaining({ type: 'haloPsaAutomationApi' })]);
		const stored = rows[0].data;
		expect(stored).not.toContain(api.state.sandboxClientSecret);
		expect(stored).not.toContain('clientSecret');
		// It is the credential, encrypted with the instance key (n8n's AES-256-CBC "Salted__" format).
		expect(JSON.parse(decryptWithInstanceKey(stored, api.state.encryptionKey))).toMatchObject({
			url: api.state.sandboxUrl,
			clientId: api.state.sandboxClientId,
			clientSecret: api.state.sandboxClientSecret,
		});
	});

	it('keeps the technician tab\'s key out of the workflow and encrypted at rest', () => {
		const [workflow] = queryN8nDatabase<{ nodes: string }>(api.state, 'SELECT nodes FROM workflow_entity WHERE id = ?', 'TechnicianTab001');
		expect(JSON.parse(workflow.nodes).find((node: { name: string }) => node.name === 'Tab request').credentials).toEqual({
			haloPsaCustomTabKeyApi: { id: 'TechnicianTabKey1', name: 'Technician tab key' },
		});
		expect(workflow.nodes).not.toContain(api.state.tabKey);
		const [credential] = queryN8nDatabase<{ type: string; data: string }>(api.state, 'SELECT type, data FROM credentials_entity WHERE id = ?', 'TechnicianTabKey1');
		expect(credential.type).toBe('haloPsaCustomTabKeyApi');
		expect(credential.data).not.toContain(api.state.tabKey);
		expect(JSON.parse(decryptWithInstanceKey(credential.data, api.state.encryptionKey))).toEqual({ secretKey: api.state.tabKey });
	});

	it('tests the imported credential against the sandbox (token + GET /api/Agent/me)', async () => {
		const credential = await api.request<any>('GET', `/credentials/${api.state.credentialId}?includeData=true`);
		const result = await api.request<{ status: string; message: string }>('POST', '/credentials/test', {
			credentials: { ...credential, data: credential.data },
		});
		expect(result).toMatchObject({ status: 'OK' });
	});

	it('loads every sample workflow with only known node types', async () => {
		const names = new Set(await api.nodeTypeNames());
		expect(api.state.workflows.length).toBeGreaterThanOrEqual(3);
		for (const { id } of api.state.workflows) {
			const wf = await api.getWorkflow(id);
			const unknown = wf.nodes.filter((n: { type: string }) => !names.has(n.type)).map((n: { type: string }) => n.type);
			expect({ workflow: wf.name, unknown }).toEqual({ workflow: wf.name, unknown: [] });
		}
	});
});
