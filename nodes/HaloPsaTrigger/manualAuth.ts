import type { ICredentialDataDecryptedObject, IHookFunctions, IWebhookFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { ExpectedCredentials } from './authentication';
import { isDigestForm, secretDigestOf } from './authentication';

/** The credential type holding what HaloPSA sends to a manually registered trigger. */
export const WEBHOOK_AUTH_CREDENTIAL = 'haloPsaAutomationWebhookAuthApi';

const CREDENTIAL_NAME = 'HaloPSA Automation Webhook Auth API';

/** What a call to a manually registered trigger must carry, as digests. */
export interface ManualWebhookAuth {
	expected: ExpectedCredentials;
	/** hex SHA-256 of the path secret; empty when the credential sets none */
	pathSecretDigest: string;
}

/** One path segment, so n8n's `:secret` route can match it and no URL character changes its meaning. */
const PATH_SECRET_PATTERN = /^[A-Za-z0-9._~-]+$/;

/**
 * What is wrong with the credential's values, said so the user can fix it; undefined when nothing
 * is. Shared by the credential test and by publishing.
 */
export function webhookAuthProblem(values: ICredentialDataDecryptedObject): string | undefined {
	const username = String(values.username ?? '');
	const password = String(values.password ?? '');
	const pathSecret = String(values.pathSecret ?? '');
	if (username === '' || password === '') {
		return `The ${CREDENTIAL_NAME} credential has no ${username === '' ? 'Username' : 'Password'}: enter the same username and password as in the HaloPSA webhook`;
	}
	for (const [field, value] of [
		['Password', password],
		['Path Secret', pathSecret],
	]) {
		// A truncated or mistyped digest would otherwise be taken as a literal secret and refuse every call.
		if (/^sha256:/i.test(value.trim()) && !isDigestForm(value)) {
			return `The ${field} starts with "sha256:" but is not followed by the 64 hex digits of a SHA-256: enter the ${field.toLowerCase()} itself, or "sha256:" and its full digest`;
		}
	}
	if (pathSecret !== '' && !isDigestForm(pathSecret) && !PATH_SECRET_PATTERN.test(pathSecret)) {
		return 'The Path Secret may hold only letters, digits and - . _ ~ (it becomes the last segment of the URL HaloPSA calls)';
	}
	return undefined;
}

export function isManual(this: IHookFunctions | IWebhookFunctions): boolean {
	return this.getNodeParameter('registration', 'automatic') === 'manual';
}

/** Whether the URL ends in a `:secret` segment (the webhook's path expression reads the same parameter). */
export function usesPathSecret(this: IHookFunctions | IWebhookFunctions): boolean {
	return isManual.call(this) && this.getNodeParameter('usePathSecret', false) === true;
}

/**
 * Reads and checks the credential of a manually registered trigger. Throws, with what to do, when
 * it is not selected, lacks the username or password, or disagrees with Use Path Secret: any of
 * these would make every delivery a 401 (or leave a path secret unchecked).
 */
export async function readManualWebhookAuth(this: IHookFunctions | IWebhookFunctions): Promise<ManualWebhookAuth> {
	const node = this.getNode();
	if (!node.credentials?.[WEBHOOK_AUTH_CREDENTIAL]) {
		throw new NodeOperationError(node, `Manual registration needs a ${CREDENTIAL_NAME} credential`, {
			description: `Under "Credential for ${CREDENTIAL_NAME}" create one with the username and password (and the optional path secret) entered in the HaloPSA webhook (Configuration > Integrations > Webhooks > Authentication: Basic).`,
		});
	}
	const values = await this.getCredentials(WEBHOOK_AUTH_CREDENTIAL);
	const problem = webhookAuthProblem(values);
	if (problem) {
		throw new NodeOperationError(node, problem, { description: `Open the ${CREDENTIAL_NAME} credential selected in the trigger and correct it.` });
	}
	const pathSecret = String(values.pathSecret ?? '');
	const withPathSecret = usesPathSecret.call(this);
	if (withPathSecret && pathSecret === '') {
		throw new NodeOperationError(node, `Use Path Secret is on but the ${CREDENTIAL_NAME} credential has no Path Secret`, {
			description: 'Enter a Path Secret in the credential, or turn Use Path Secret off.',
		});
	}
	if (!withPathSecret && pathSecret !== '') {
		throw new NodeOperationError(node, `The ${CREDENTIAL_NAME} credential has a Path Secret but Use Path Secret is off, so it would not be checked`, {
			description: 'Turn Use Path Secret on (the Production URL then ends in :secret; put the secret there in HaloPSA), or clear the credential\'s Path Secret.',
		});
	}
	return {
		expected: { username: String(values.username), passwordDigest: secretDigestOf(String(values.password)) },
		pathSecretDigest: secretDigestOf(pathSecret),
	};
}
