import { createN8nUserFolder } from './n8n-user-folder';

/**
 * `npm run test:unit`: one n8n user folder for every test file (jest's workers inherit the
 * environment), and n8n-core's logger silenced: the tests assert on the errors n8n would log.
 */
export default function globalSetup(): void {
	process.env.N8N_USER_FOLDER = createN8nUserFolder();
	process.env.N8N_LOG_LEVEL ??= 'silent';
}
