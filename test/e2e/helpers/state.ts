import * as fs from 'node:fs';

/** What globalSetup hands to the test files (a JSON file named by E2E_STATE_FILE). */
export interface E2eState {
	n8nUrl: string;
	port: number;
	userFolder: string;
	runtimeDir: string;
	logFile: string;
	encryptionKey: string;
	sandboxUrl: string;
	sandboxClientId: string;
	sandboxClientSecret: string;
	owner: { email: string; password: string; firstName: string; lastName: string };
	credentialId: string;
	chatSecretHeader: string;
	chatSecret: string;
	/** The key the technician tab's URL carries (`&key=`). */
	tabKey: string;
	workflows: Array<{ id: string; name: string; file: string; publish: boolean }>;
	screenshotsDir: string;
}

export function loadState(): E2eState {
	const file = process.env.E2E_STATE_FILE;
	if (!file || !fs.existsSync(file)) throw new Error('E2E_STATE_FILE is not set: run the suite with scripts/e2e.sh');
	return JSON.parse(fs.readFileSync(file, 'utf8')) as E2eState;
}
