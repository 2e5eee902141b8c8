import type { ICredentialTestFunctions, ICredentialsDecrypted, INodeCredentialTestResult } from 'n8n-workflow';

import { webhookAuthProblem } from '../manualAuth';

/**
 * The Test button of the Webhook Auth credential. HaloPSA calls n8n, not the other way round, so
 * there is no request to try: it checks what publishing would refuse.
 */
export async function haloPsaAutomationWebhookAuthTest(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	const problem = webhookAuthProblem(credential.data ?? {});
	if (problem) return { status: 'Error', message: problem };
	return { status: 'OK', message: 'Enter the same username and password in the HaloPSA webhook (Authentication: Basic)' };
}
