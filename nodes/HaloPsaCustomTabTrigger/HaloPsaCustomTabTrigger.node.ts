import type {
	ICredentialTestFunctions,
	ICredentialsDecrypted,
	IHookFunctions,
	INodeCredentialTestResult,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { expectedKeyDigest, tabKeyProblem } from './tabKey';
import { receiveTabLoad } from './tabRequest';

export class HaloPsaCustomTabTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'HaloPSA Custom Tab Trigger',
		name: 'haloPsaCustomTabTrigger',
		icon: { light: 'file:haloPsaCustomTab.svg', dark: 'file:haloPsaCustomTab.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{"/" + $parameter["path"]}}',
		description: 'Serves a HaloPSA custom tab (a page inside a ticket) from a workflow, to HaloPSA\'s key only',
		defaults: { name: 'HaloPSA Custom Tab' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{
				// It checks the tab's calls rather than signing ours (see the credential's class).
				name: 'haloPsaCustomTabKeyApi',
				required: true,
				testedBy: 'haloPsaCustomTabKeyTest',
			},
		],
		webhooks: [
			{
				name: 'default',
				httpMethod: 'GET',
				path: '={{$parameter["path"]}}',
				isFullPath: true,
				// The page is the `html` of the first item of the node that ran last.
				responseMode: 'lastNode',
				responseData: 'firstEntryJson',
				responsePropertyName: 'html',
				responseContentType: 'text/html; charset=utf-8',
				responseHeaders: '={{ { "entries": [{ "name": "Cache-Control", "value": "no-store" }] } }}',
			},
		],
		properties: [
			{
				displayName:
					'In HaloPSA add a custom tab (Configuration > Tickets > Custom Tabs) that loads this trigger\'s Production URL followed by ?ticket_id=$FAULTID&key= and the key of the credential. A load without that key gets 401 and an empty page and starts nothing. The page shown is the "html" field of the first item of the workflow\'s last node.',
				name: 'notice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Path',
				name: 'path',
				type: 'string',
				default: 'halo-tab',
				required: true,
				description: 'The end of the tab\'s URL, after /webhook/',
			},
			{
				displayName: 'Max Loads per Minute',
				name: 'maxLoadsPerMinute',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 10,
				description:
					'How many tab loads in the last minute may start the workflow (and call HaloPSA). Loads past it get 429 and a page asking to reload shortly, and start nothing.',
			},
		],
	};

	methods = {
		credentialTest: {
			async haloPsaCustomTabKeyTest(
				this: ICredentialTestFunctions,
				credential: ICredentialsDecrypted,
			): Promise<INodeCredentialTestResult> {
				const problem = tabKeyProblem(credential.data ?? {});
				if (problem) return { status: 'Error', message: problem };
				return { status: 'OK', message: 'End the tab\'s URL in HaloPSA with &key= and this key' };
			},
		},
	};

	webhookMethods = {
		default: {
			// Publishing checks the credential, so a tab that would refuse every load does not go live.
			async checkExists(this: IHookFunctions): Promise<boolean> {
				return false;
			},
			async create(this: IHookFunctions): Promise<boolean> {
				await expectedKeyDigest.call(this);
				return true;
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await receiveTabLoad.call(this);
	}
}
