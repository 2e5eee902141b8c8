import type { IHookFunctions, INodeType, INodeTypeDescription, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { triggerProperties } from './description';
import { receiveDeliveries } from './delivery/receive';
import { createWebhook, deleteWebhook, webhookExists } from './lifecycle/webhookLifecycle';
import { haloPsaAutomationWebhookAuthTest } from './methods/credentialTest';
import { getTicketTypes } from './methods/loadOptions';

// The path secret itself is in the webhook credential, which a webhook path expression cannot read.
const WITH_PATH_SECRET = '$parameter["registration"] === "manual" && $parameter["usePathSecret"] === true';

export class HaloPsaTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'HaloPSA Automation Trigger',
		name: 'haloPsaTrigger',
		icon: { light: 'file:halopsaTrigger.svg', dark: 'file:halopsaTrigger.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{$parameter["registration"] + " registration"}}',
		description: 'Starts the workflow when HaloPSA reports a ticket, note, email, client, user, asset or contract event',
		defaults: { name: 'HaloPSA Automation Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			// Also in manual mode: the Ticket Type list, event-only completion and removing a webhook an
			// earlier automatic registration left all call the API.
			{ name: 'haloPsaAutomationApi', required: true },
			{
				// It checks HaloPSA's calls rather than signing ours (see the credential's class).
				name: 'haloPsaAutomationWebhookAuthApi',
				required: true,
				testedBy: 'haloPsaAutomationWebhookAuthTest',
				displayOptions: { show: { registration: ['manual'] } },
			},
		],
		webhooks: [
			{
				name: 'default',
				httpMethod: 'POST',
				// Halo waits for no workflow, and a slow answer only makes it retry.
				responseMode: 'onReceived',
				// A path secret becomes a `:secret` segment, so a wrong secret still reaches the node and gets a 401.
				path: `={{${WITH_PATH_SECRET} ? ":secret" : "webhook"}}`,
				// n8n routes a path with a `:name` segment as <webhookId>/<path>, so that path must be registered
				// without the webhook id in front (a "full path"); a plain path keeps it. n8n evaluates this
				// field as an expression like the path, although its type only says boolean.
				isFullPath: `={{${WITH_PATH_SECRET}}}` as unknown as boolean,
			},
		],
		properties: triggerProperties,
	};

	methods = { loadOptions: { getTicketTypes }, credentialTest: { haloPsaAutomationWebhookAuthTest } };

	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				return await webhookExists.call(this);
			},
			async create(this: IHookFunctions): Promise<boolean> {
				return await createWebhook.call(this);
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				return await deleteWebhook.call(this);
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await receiveDeliveries.call(this);
	}
}
