import type { ICredentialType, INodeProperties, Icon } from 'n8n-workflow';

/**
 * The key a HaloPSA custom tab puts in the URL it loads (`&key=...`), checked by the HaloPSA Custom
 * Tab Trigger. A credential so n8n keeps it encrypted, out of the workflow; only the trigger reads it
 * (it signs no outgoing request), and the trigger's `haloPsaCustomTabKeyTest` checks it.
 *
 * Named without the "Api" suffix the older n8n-nodes-base rules ask for: it authenticates calls
 * HaloPSA's tab makes to n8n, not an API n8n calls.
 */
// eslint-disable-next-line n8n-nodes-base/cred-class-name-unsuffixed
export class HaloPsaCustomTabKey implements ICredentialType {
	// eslint-disable-next-line n8n-nodes-base/cred-class-field-name-unsuffixed
	name = 'haloPsaCustomTabKey';

	// eslint-disable-next-line n8n-nodes-base/cred-class-field-display-name-missing-api
	displayName = 'HaloPSA Custom Tab Key';

	// The camelCase rule is for slugs of n8n's own docs site; a community credential links to its README.
	// eslint-disable-next-line n8n-nodes-base/cred-class-field-documentation-url-miscased
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
