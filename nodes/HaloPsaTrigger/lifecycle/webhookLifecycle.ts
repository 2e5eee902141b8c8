import type { IDataObject, IHookFunctions, IHttpRequestMethods, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { haloApiRequest } from '../../HaloPsa/transport';
import type { BasicCredentials } from '../authentication';
import { generateBasicCredentials } from '../authentication';
import { clearRegistration, readRegistration, writeRegistration } from './registrationState';
import type { HaloWebhookEvent } from '../selection';
import { chosenEvents } from '../selection';

const MISSING_SCOPE_DESCRIPTION =
	'Creating and deleting HaloPSA webhooks needs the admin:webhooks permission. In HaloPSA open Configuration > Integrations > Halo API, select the API application this credential uses, and under Permissions allow "admin:webhooks" (or "admin"); if the credential\'s Scope field lists scopes, add admin:webhooks there too. Then publish the workflow again. Alternatively set Registration to Manual and create the webhook in HaloPSA yourself.';

function httpStatusOf(error: unknown): number | undefined {
	const candidate = error as { httpCode?: unknown; statusCode?: unknown; response?: { status?: unknown } };
	const status = Number(candidate?.httpCode ?? candidate?.statusCode ?? candidate?.response?.status);
	return Number.isFinite(status) ? status : undefined;
}

/** Tells a missing webhook scope apart from a credential that fails everywhere (bad secret, disabled agent). */
async function credentialWorksElsewhere(this: IHookFunctions): Promise<boolean> {
	try {
		await haloApiRequest.call(this, 'GET', '/Agent/me');
		return true;
	} catch (error) {
		this.logger.debug('HaloPSA credential check after a refused webhook call failed', { error });
		return false;
	}
}

/** Every Halo call the lifecycle makes; turns Halo's 401/403 on /Webhook into the missing-scope explanation. */
async function webhookRequest(
	this: IHookFunctions,
	method: IHttpRequestMethods,
	path: string,
	options: { body?: IDataObject[]; notFoundIsEmpty?: boolean; verifyWrite?: () => Promise<IDataObject | undefined> } = {},
): Promise<unknown> {
	try {
		return await haloApiRequest.call(this, method, path, { body: options.body, verifyWrite: options.verifyWrite });
	} catch (error) {
		const status = httpStatusOf(error);
		if ((status === 401 || status === 403) && (await credentialWorksElsewhere.call(this))) {
			throw new NodeOperationError(
				this.getNode(),
				`HaloPSA refused to manage webhooks (HTTP ${status}): the API application is missing the admin:webhooks scope`,
				{ description: MISSING_SCOPE_DESCRIPTION },
			);
		}
		if (status === 404 && options.notFoundIsEmpty) return undefined;
		throw new NodeApiError(this.getNode(), error as JsonObject);
	}
}

async function listWebhooks(this: IHookFunctions): Promise<IDataObject[]> {
	const response = (await webhookRequest.call(this, 'GET', '/Webhook')) as IDataObject[] | { webhooks?: IDataObject[] };
	if (Array.isArray(response)) return response;
	return Array.isArray(response?.webhooks) ? response.webhooks : [];
}

function requireEvents(this: IHookFunctions): HaloWebhookEvent[] {
	const events = chosenEvents.call(this);
	if (events.length === 0) {
		throw new NodeOperationError(this.getNode(), 'Choose at least one event to register the HaloPSA webhook', {
			description: 'Pick events under Events, or add a Custom Event.',
		});
	}
	return events;
}

function webhookDefinition(this: IHookFunctions, url: string, credentials: BasicCredentials): IDataObject {
	const events = requireEvents.call(this);
	const workflowName = this.getWorkflow().name ?? this.getWorkflow().id ?? '';
	return {
		name: `n8n: ${workflowName} / ${this.getNode().name}`.slice(0, 100),
		url,
		method: 'POST',
		active: true,
		authentication_type: 'Basic',
		basic_username: credentials.username,
		basic_password: credentials.password,
		payload_type: 'Full',
		events,
	};
}

function eventNamesOf(webhook: IDataObject): string {
	const events = Array.isArray(webhook.events) ? (webhook.events as IDataObject[]) : [];
	return events
		.map((event) => String(event.name ?? '').toLowerCase())
		.sort()
		.join('\n');
}

/** Halo does not hand the Basic password back, so everything else that decides delivery is compared. */
function remoteMatches(remote: IDataObject, wanted: IDataObject): boolean {
	return (
		remote.url === wanted.url &&
		remote.active !== false &&
		String(remote.authentication_type ?? '').toLowerCase() === 'basic' &&
		remote.basic_username === wanted.basic_username &&
		String(remote.payload_type ?? '').toLowerCase() === 'full' &&
		eventNamesOf(remote) === eventNamesOf(wanted)
	);
}

/** Writes the whole definition onto an existing Halo webhook (Halo updates when the element has an id). */
async function rewriteWebhook(this: IHookFunctions, webhookId: string, url: string, credentials: BasicCredentials) {
	const definition = { id: webhookId, ...webhookDefinition.call(this, url, credentials) };
	await webhookRequest.call(this, 'POST', '/Webhook', { body: [definition] });
	writeRegistration(this.getWorkflowStaticData('node'), { webhookId, url, ...credentials });
}

function isAutomatic(this: IHookFunctions): boolean {
	return this.getNodeParameter('registration', 'automatic') === 'automatic';
}

export async function webhookExists(this: IHookFunctions): Promise<boolean> {
	// With manual registration the user owns the Halo webhook: there is nothing to create.
	if (!isAutomatic.call(this)) return true;
	requireEvents.call(this);
	const url = this.getNodeWebhookUrl('default') as string;
	const staticData = this.getWorkflowStaticData('node');
	const stored = readRegistration(staticData);
	const remoteWebhooks = await listWebhooks.call(this);

	const registered = stored && remoteWebhooks.find((webhook) => String(webhook.id) === stored.webhookId);
	if (stored && registered) {
		const credentials = { username: stored.username, password: stored.password };
		if (!remoteMatches(registered, webhookDefinition.call(this, url, credentials))) {
			await rewriteWebhook.call(this, stored.webhookId, url, credentials);
		}
		return true;
	}
	if (stored) clearRegistration(staticData);

	// A webhook for this URL whose id was lost (static data not saved) is taken over, not duplicated.
	const orphan = remoteWebhooks.find((webhook) => webhook.url === url);
	if (orphan) {
		await rewriteWebhook.call(this, String(orphan.id), url, generateBasicCredentials());
		return true;
	}
	return false;
}

export async function createWebhook(this: IHookFunctions): Promise<boolean> {
	if (!isAutomatic.call(this)) return true;
	const url = this.getNodeWebhookUrl('default') as string;
	const credentials = generateBasicCredentials();
	const definition = webhookDefinition.call(this, url, credentials);
	const created = (await webhookRequest.call(this, 'POST', '/Webhook', {
		body: [definition],
		// After an ambiguous failure, a webhook with our URL means Halo did create it.
		verifyWrite: async () => (await listWebhooks.call(this)).find((webhook) => webhook.url === url),
	})) as IDataObject | IDataObject[];
	const webhook = Array.isArray(created) ? created[0] : created;
	if (!webhook?.id) {
		throw new NodeOperationError(this.getNode(), 'HaloPSA did not return an id for the webhook it created');
	}
	writeRegistration(this.getWorkflowStaticData('node'), { webhookId: String(webhook.id), url, ...credentials });
	return true;
}

export async function deleteWebhook(this: IHookFunctions): Promise<boolean> {
	// Also runs in manual mode: it cleans up a webhook registered before the switch to manual.
	const staticData = this.getWorkflowStaticData('node');
	const stored = readRegistration(staticData);
	if (!stored) return true;
	// A webhook already deleted in Halo answers 404, which is the outcome wanted anyway.
	await webhookRequest.call(this, 'DELETE', `/Webhook/${encodeURIComponent(stored.webhookId)}`, {
		notFoundIsEmpty: true,
	});
	clearRegistration(staticData);
	return true;
}
