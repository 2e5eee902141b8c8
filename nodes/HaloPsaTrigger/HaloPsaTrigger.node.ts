import type { IHookFunctions, INodeType, INodeTypeDescription, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { triggerProperties } from './description';
import { receiveDeliveries } from './delivery/receive';
import { createWebhook, deleteWebhook, webhookExists } from './lifecycle/webhookLifecycle';
import { getTicketTypes } from './methods/loadOptions';

const WITH_PATH_SECRET = '$parameter["registration"] === "manual" && !!$parameter["pathSecret"]';

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
		credentials: [{ name: 'haloPsaAutomationApi', required: true }],
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

	methods = { loadOptions: { getTicketTypes } };

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
