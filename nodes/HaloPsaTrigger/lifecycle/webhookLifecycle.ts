import type { IDataObject, IHookFunctions, IHttpRequestMethods, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { haloApiRequest } from '../../HaloPsa/transport';
import type { BasicCredentials } from '../authentication';
import { generateBasicCredentials, sha256Hex } from '../authentication';
import { readFilters } from '../delivery/filters';
import { isManual, readManualWebhookAuth } from '../manualAuth';
import { clearRegistration, readRegistration, writeRegistration } from './registrationState';
import type { HaloWebhookEvent } from '../selection';
import { chosenEvents } from '../selection';

const MISSING_SCOPE_DESCRIPTION =
	'Creating and deleting HaloPSA webhooks needs the admin:webhooks permission. In HaloPSA open Configuration > Integrations > Halo API, select the API application this credential uses, and under Permissions allow "admin:webhooks" (or "admin"); if the credential\'s Scope field lists scopes, add admin:webhooks there too. Then publish the workflow again. Alternatively set Registration to Manual and create the webhook in HaloPSA yourself.';

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
		// The transport's NodeApiError carries Halo's HTTP status.
		const status = Number((error as NodeApiError).httpCode);
		if ((status === 401 || status === 403) && (await credentialWorksElsewhere.call(this))) {
			throw new NodeOperationError(
				this.getNode(),
				`HaloPSA refused to manage webhooks (HTTP ${status}): the API application is missing the admin:webhooks scope`,
				{ description: MISSING_SCOPE_DESCRIPTION },
			);
		}
		if (status === 404 && options.notFoundIsEmpty) return undefined;
		// Hands the transport's NodeApiError back unchanged (n8n-workflow returns a NodeApiError it is given).
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

function webhookDefinition(
	this: IHookFunctions,
	url: string,
	events: HaloWebhookEvent[],
	credentials: BasicCredentials,
): IDataObject {
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

/** Keeps what the receiver needs; the password goes to Halo and is not kept. */
function rememberRegistration(this: IHookFunctions, webhookId: string, url: string, credentials: BasicCredentials): void {
	writeRegistration(this.getWorkflowStaticData('node'), {
		webhookId,
		url,
		username: credentials.username,
		passwordDigest: sha256Hex(credentials.password),
	});
}

/** Writes the whole definition, with fresh credentials, onto an existing Halo webhook (Halo updates when the element has an id). */
async function rewriteWebhook(this: IHookFunctions, webhookId: string, url: string, events: HaloWebhookEvent[]) {
	const credentials = generateBasicCredentials();
	const definition = { id: webhookId, ...webhookDefinition.call(this, url, events, credentials) };
	await webhookRequest.call(this, 'POST', '/Webhook', { body: [definition] });
	rememberRegistration.call(this, webhookId, url, credentials);
}

/**
 * Runs on every activation (publish, n8n start, listening for a test event). Halo never hands
 * the Basic password back, so a password changed in Halo cannot be seen: when the webhook is
 * there, the whole definition is written again with fresh credentials, which also repairs a
 * changed URL, events, payload type or active flag (one GET and one POST that updates).
 */
export async function webhookExists(this: IHookFunctions): Promise<boolean> {
	// A typo in a filter fails the publish instead of silently keeping every event.
	readFilters.call(this);
	if (isManual.call(this)) {
		// The user owns the Halo webhook: there is nothing to create, but a credential that would
		// refuse every delivery fails the publish.
		await readManualWebhookAuth.call(this);
		return true;
	}
	const events = requireEvents.call(this);
	const url = this.getNodeWebhookUrl('default') as string;
	const staticData = this.getWorkflowStaticData('node');
	const stored = readRegistration(staticData);
	const remoteWebhooks = await listWebhooks.call(this);

	const registered = stored && remoteWebhooks.find((webhook) => String(webhook.id) === stored.webhookId);
	if (stored && !registered) clearRegistration(staticData);
	// A webhook for this URL whose id was lost (static data not saved) is taken over, not duplicated.
	const target = registered ?? remoteWebhooks.find((webhook) => webhook.url === url);
	if (!target) return false;
	await rewriteWebhook.call(this, String(target.id), url, events);
	return true;
}

export async function createWebhook(this: IHookFunctions): Promise<boolean> {
	if (isManual.call(this)) return true;
	const events = requireEvents.call(this);
	const url = this.getNodeWebhookUrl('default') as string;
	const credentials = generateBasicCredentials();
	const created = (await webhookRequest.call(this, 'POST', '/Webhook', {
		body: [webhookDefinition.call(this, url, events, credentials)],
		// After an ambiguous failure, a webhook with our URL means Halo did create it.
		verifyWrite: async () => (await listWebhooks.call(this)).find((webhook) => webhook.url === url),
	})) as IDataObject | IDataObject[];
	const webhook = Array.isArray(created) ? created[0] : created;
	if (!webhook?.id) {
		throw new NodeOperationError(this.getNode(), 'HaloPSA did not return an id for the webhook it created');
	}
	rememberRegistration.call(this, String(webhook.id), url, credentials);
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
