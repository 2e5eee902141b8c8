import type { ICredentialDataDecryptedObject, IHookFunctions, IWebhookFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

// Shared with the HaloPSA Automation Trigger: secrets kept and compared as SHA-256 digests.
import { isDigestForm, matchesDigest, secretDigestOf } from '../HaloPsaTrigger/authentication';

export const TAB_KEY_CREDENTIAL = 'haloPsaCustomTabKeyApi';

const CREDENTIAL_NAME = 'HaloPSA Custom Tab Key API';
/** Characters a URL query carries as they are, so the key Halo sends is the key entered. */
const KEY_PATTERN = /^[A-Za-z0-9._~-]+$/;
/** Wrong keys cost nothing from Halo and are not bounded: a short key could be guessed. */
const MIN_KEY_LENGTH = 16;

/** What is wrong with the credential, said so the user can fix it; undefined when nothing is. */
export function tabKeyProblem(values: ICredentialDataDecryptedObject): string | undefined {
	const key = String(values.secretKey ?? '');
	if (isDigestForm(key)) return undefined;
	if (/^sha256:/i.test(key.trim())) {
		return 'The Key starts with "sha256:" but is not followed by the 64 hex digits of a SHA-256: enter the key itself, or "sha256:" and its full digest';
	}
	if (key.length < MIN_KEY_LENGTH) {
		return `The ${CREDENTIAL_NAME} credential's Key ${key === '' ? 'is empty' : `has ${key.length} characters`}: enter a random key of at least ${MIN_KEY_LENGTH}`;
	}
	if (!KEY_PATTERN.test(key)) return 'The Key may hold only letters, digits and - . _ ~ (it goes into the tab\'s URL as it is)';
	return undefined;
}

/** The digest a call's key must match. Throws, with what to do, when the credential cannot be used. */
export async function expectedKeyDigest(this: IHookFunctions | IWebhookFunctions): Promise<string> {
	const node = this.getNode();
	if (!node.credentials?.[TAB_KEY_CREDENTIAL]) {
		throw new NodeOperationError(node, `The trigger needs a ${CREDENTIAL_NAME} credential`, {
			description: `Under "Credential for ${CREDENTIAL_NAME}" create one with a long random key, and end the tab's URL in HaloPSA with &key= and that key.`,
		});
	}
	const values = await this.getCredentials(TAB_KEY_CREDENTIAL);
	const problem = tabKeyProblem(values);
	if (problem) {
		throw new NodeOperationError(node, problem, { description: `Open the ${CREDENTIAL_NAME} credential selected in the trigger and correct it.` });
	}
	return secretDigestOf(String(values.secretKey));
}

/** Whether `received` (the call's `key` query value) is the key, compared in constant time. */
export function keyMatches(received: unknown, expectedDigest: string): boolean {
	return typeof received === 'string' && matchesDigest(received, expectedDigest);
}
