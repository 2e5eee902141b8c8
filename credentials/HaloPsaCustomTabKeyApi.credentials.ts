import type { ICredentialType, INodeProperties, Icon } from 'n8n-workflow';

/**
 * The key a HaloPSA custom tab puts in the URL it loads (`&key=...`), checked by the HaloPSA Custom
 * Tab Trigger. A credential so n8n keeps it encrypted, out of the workflow; only the trigger reads it
 * (it signs no outgoing request), and the trigger's `haloPsaCustomTabKeyTest` checks it.
 *
 * Named with the "Api" suffix n8n's credential rules require of every community credential, though
 * it authenticates calls HaloPSA's tab makes to n8n rather than an API n8n calls.
 */
export class HaloPsaCustomTabKeyApi implements ICredentialType {
	name = 'haloPsaCustomTabKeyApi';

	displayName = 'HaloPSA Custom Tab Key API';

	// A community credential links to its README (n8n's rule set for community packages does not ask for a docs-site slug).
	documentationUrl = 'https://www.npmjs.com/package/n8n-nodes-halopsa-automation#technician-tab';

	icon: Icon = { light: 'file:halopsa.svg', dark: 'file:halopsa.dark.svg' };

	properties: INodeProperties[] = [
		{
			displayName:
				'For a HaloPSA Custom Tab Trigger. In HaloPSA (Configuration > Tickets > Custom Tabs) the tab\'s URL ends in &key= followed by this key.',
			name: 'notice',
			type: 'notice',
			default: '',
		},
		{
			displayName: 'Key',
			name: 'secretKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				'A long random value (at least 16 of the characters letters, digits, - . _ ~, which a URL carries as they are). You may enter "sha256:" followed by the key\'s SHA-256 in hex instead; HaloPSA\'s tab URL still carries the key itself.',
		},
	];
}
