import type { ICredentialType, INodeProperties, Icon } from 'n8n-workflow';

/**
 * The Basic credentials (and optional path secret) HaloPSA sends to a HaloPSA Automation Trigger
 * set to Manual registration. A credential rather than node parameters so n8n keeps them
 * encrypted, out of the workflow. Only the trigger reads it: it signs no outgoing request, and the
 * trigger's `haloPsaAutomationWebhookAuthTest` checks it (HaloPSA is not asked: it calls us).
 *
 * Named with the "Api" suffix n8n's credential rules require of every community credential, though
 * it authenticates calls HaloPSA makes to n8n rather than an API n8n calls.
 */
export class HaloPsaAutomationWebhookAuthApi implements ICredentialType {
	name = 'haloPsaAutomationWebhookAuthApi';

	displayName = 'HaloPSA Automation Webhook Auth API';

	// A community credential links to its README (n8n's rule set for community packages does not ask for a docs-site slug).
	documentationUrl = 'https://www.npmjs.com/package/n8n-nodes-halopsa-automation#halopsa-automation-trigger';

	icon: Icon = { light: 'file:halopsa.svg', dark: 'file:halopsa.dark.svg' };

	properties: INodeProperties[] = [
		{
			displayName:
				'For a HaloPSA Automation Trigger with Manual registration. In HaloPSA (Configuration > Integrations > Webhooks > your webhook) set Authentication to Basic and enter the same Username and Password as here.',
			name: 'notice',
			type: 'notice',
			default: '',
		},
		{
			displayName: 'Username',
			name: 'username',
			type: 'string',
			default: '',
			required: true,
			description: 'The Basic username HaloPSA sends with every delivery. Enter the same in the HaloPSA webhook.',
		},
		{
			displayName: 'Password',
			name: 'password',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				'The Basic password HaloPSA sends with every delivery; use a long random value and enter the same in the HaloPSA webhook. You may enter "sha256:" followed by the password\'s SHA-256 in hex instead (HaloPSA still gets the password itself).',
		},
		{
			displayName: 'Path Secret',
			name: 'pathSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'Optional secret HaloPSA must put at the end of the URL it calls (letters, digits, - . _ ~). Turn on Use Path Secret in the trigger, and in HaloPSA use the Production URL with :secret replaced by this value. Also accepts "sha256:" followed by the secret\'s SHA-256 in hex.',
		},
	];
}
