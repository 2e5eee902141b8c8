import type { IDataObject, IHookFunctions, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import type { HaloHttpMethod } from '../../transport';
import { haloApiRequest } from '../../transport';
import type { BasicCredentials } from '../authentication';
import { generateBasicCredentials, sha256Hex } from '../authentication';
import { readFilters } from '../delivery/filters';
import { isManual, readManualWebhookAuth } from '../manualAuth';
import type { StoredRegistration } from './registrationState';
import { clearRegistration, readRegistration, writeRegistration } from './registrationState';
import type { EventSelection, HaloWebhookEvent } from '../selection';
import { isEmptySelection, readEventSelection, webhookEvents } from '../selection';

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
	method: HaloHttpMethod,
	path: string,
	options: {
		body?: IDataObject[];
		notFoundIsEmpty?: boolean;
		/** A 400 answers `{ refusal: <Halo's message> }` instead of failing (the caller has another way). */
		badRequestIsRefusal?: boolean;
		verifyWrite?: () => Promise<IDataObject | undefined>;
	} = {},
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
		if (status === 400 && options.badRequestIsRefusal) return { refusal: (error as Error).message };
		// Hands the transport's NodeApiError back unchanged (n8n-workflow returns a NodeApiError it is given).
		throw new NodeApiError(this.getNode(), error as JsonObject);
	}
}

async function listWebhooks(this: IHookFunctions): Promise<IDataObject[]> {
	const response = (await webhookRequest.call(this, 'GET', '/Webhook')) as IDataObject[] | { webhooks?: IDataObject[] };
	if (Array.isArray(response)) return response;
	return Array.isArray(response?.webhooks) ? response.webhooks : [];
}

function requireEvents(this: IHookFunctions): EventSelection {
	const selection = readEventSelection.call(this);
	if (isEmptySelection(selection)) {
		throw new NodeOperationError(this.getNode(), 'Choose at least one event to register the HaloPSA webhook', {
			description: 'Pick events under Events, or add a Custom Event.',
		});
	}
	return selection;
}

/**
 * The webhook the node registers. Halo's enumerations are integers (Halo is ASP.NET: a string
 * where it has an Int32 answers 400 "The JSON value could not be converted to System.Int32").
 */
function webhookDefinition(this: IHookFunctions, url: string, credentials: BasicCredentials): IDataObject {
	const workflowName = this.getWorkflow().name ?? this.getWorkflow().id ?? '';
	return {
		name: `n8n: ${workflowName} / ${this.getNode().name}`.slice(0, 100),
		url,
		type: 0, // outbound webhook
		method: 0, // POST
		active: true,
		authentication_type: 1, // Basic
		basic_username: credentials.username,
		basic_password: credentials.password,
		payload_type: 0, // the default payload: the ticket and action come with the event
		batch_method: 0, // one event per POST
	};
}

/**
 * One `/Notification` row: the other way Halo ties an event to a webhook. `eventno` goes as a
 * string, as the live client sends it: the form that works whether Halo reads it as text or number.
 */
function notificationFor(webhookId: string, eventNumber: number): IDataObject {
	return { webhook_id: webhookId, delivery_method: 6, eventno: String(eventNumber), type: -2, filter_type: 2, conditions: [] };
}

const asList = (answer: unknown): IDataObject[] => (Array.isArray(answer) ? answer : answer ? [answer as IDataObject] : []);

/** Whether Halo stored every event on the webhook. An answer without `events` cannot tell, and counts as stored. */
function storedEvents(webhook: IDataObject, events: HaloWebhookEvent[]): boolean {
	if (!Array.isArray(webhook.events)) return true;
	const stored = new Set((webhook.events as IDataObject[]).map((event) => Number(event.eventno)));
	return events.every((event) => stored.has(event.eventno));
}

/** Deletes notifications; one already gone (404) is what was wanted. */
async function deleteNotifications(this: IHookFunctions, ids: number[]): Promise<void> {
	for (const id of ids) await webhookRequest.call(this, 'DELETE', `/Notification/${id}`, { notFoundIsEmpty: true });
}

/**
 * Writes the webhook (new, or over `existing`) with fresh credentials and ties the events to it:
 * on the webhook (`events[]`), the form Halo's guides show; when Halo refuses that (400) or stores
 * the webhook without them, as one `/Notification` per event. Returns what the node keeps.
 */
async function registerWebhook(
	this: IHookFunctions,
	url: string,
	selection: EventSelection,
	existing?: { webhookId: string; notificationIds: number[] },
): Promise<StoredRegistration> {
	const credentials = generateBasicCredentials();
	const events = webhookEvents(selection);
	const definition = { ...(existing ? { id: existing.webhookId } : {}), ...webhookDefinition.call(this, url, credentials) };
	const save = async (body: IDataObject, badRequestIsRefusal = false) =>
		asList(
			await webhookRequest.call(this, 'POST', '/Webhook', {
				body: [body],
				badRequestIsRefusal,
				// After an ambiguous failure, a webhook with our URL means Halo did create it.
				verifyWrite: existing ? undefined : async () => (await listWebhooks.call(this)).find((webhook) => webhook.url === url),
			}),
		)[0];
	let webhook = await save({ ...definition, events }, true);
	const refusal = typeof webhook?.refusal === 'string' ? webhook.refusal : undefined;
	// Refused with the events: saved without them, the events go as notifications below.
	if (refusal !== undefined) webhook = await save({ ...definition, events: [] });
	if (!webhook?.id) throw new NodeOperationError(this.getNode(), 'HaloPSA did not return an id for the webhook it saved');
	const webhookId = String(webhook.id);
	// The notifications of the previous registration go first: kept, they would deliver events twice.
	if (existing) await deleteNotifications.call(this, existing.notificationIds);
	const registration: StoredRegistration = {
		webhookId,
		url,
		username: credentials.username,
		passwordDigest: sha256Hex(credentials.password),
		subscription: 'webhookEvents',
		notificationIds: [],
	};
	if (refusal === undefined && storedEvents(webhook, events)) {
		this.logger.info('HaloPSA Trigger: HaloPSA took the events on the webhook (events[])', { webhookId, events: events.map((event) => event.eventno) });
		return registration;
	}
	let tied = false;
	try {
		const rows = asList(
			await webhookRequest.call(this, 'POST', '/Notification', { body: events.map((event) => notificationFor(webhookId, event.eventno)) }),
		);
		registration.notificationIds = rows.map((row) => Number(row.id)).filter((id) => Number.isSafeInteger(id));
		tied = true;
	} finally {
		// A new webhook that gets no events would stay in Halo unused.
		if (!tied && !existing) await webhookRequest.call(this, 'DELETE', `/Webhook/${encodeURIComponent(webhookId)}`, { notFoundIsEmpty: true });
	}
	registration.subscription = 'notifications';
	this.logger.info('HaloPSA Trigger: HaloPSA took the events as notifications (POST /Notification), not on the webhook', {
		webhookId,
		reason: refusal ?? 'the webhook was saved without its events',
		notificationIds: registration.notificationIds,
	});
	return registration;
}

/**
 * Runs on activations n8n makes for a trigger it has no webhook for (the first publish, listening
 * for a test event; n8n 2.x keeps a registered webhook across restarts and does not call this
 * then). Halo never hands the Basic password back, so a password changed in Halo cannot be seen:
 * when the webhook is there, the whole definition is written again with fresh credentials, which
 * also repairs a changed URL, events, payload type or active flag.
 */
export async function webhookExists(this: IHookFunctions): Promise<boolean> {
	// A typo in a filter or an event fails the publish instead of silently keeping every event.
	readFilters.call(this);
	if (isManual.call(this)) {
		readEventSelection.call(this);
		// The user owns the Halo webhook: there is nothing to create, but a credential that would
		// refuse every delivery fails the publish.
		await readManualWebhookAuth.call(this);
		return true;
	}
	const selection = requireEvents.call(this);
	const url = this.getNodeWebhookUrl('default') as string;
	const staticData = this.getWorkflowStaticData('node');
	const stored = readRegistration(staticData);
	const remoteWebhooks = await listWebhooks.call(this);

	const registered = stored && remoteWebhooks.find((webhook) => String(webhook.id) === stored.webhookId);
	if (stored && !registered) {
		// Its webhook was deleted in Halo; its notifications would stay behind, tied to nothing.
		await deleteNotifications.call(this, stored.notificationIds);
		clearRegistration(staticData);
	}
	// A webhook for this URL whose id was lost (static data not saved) is taken over, not duplicated.
	const target = registered ?? remoteWebhooks.find((webhook) => webhook.url === url);
	if (!target) return false;
	const notificationIds = registered && stored ? stored.notificationIds : [];
	writeRegistration(staticData, await registerWebhook.call(this, url, selection, { webhookId: String(target.id), notificationIds }));
	return true;
}

export async function createWebhook(this: IHookFunctions): Promise<boolean> {
	if (isManual.call(this)) return true;
	const selection = requireEvents.call(this);
	const url = this.getNodeWebhookUrl('default') as string;
	writeRegistration(this.getWorkflowStaticData('node'), await registerWebhook.call(this, url, selection));
	return true;
}

export async function deleteWebhook(this: IHookFunctions): Promise<boolean> {
	// Also runs in manual mode: it cleans up a webhook registered before the switch to manual.
	const staticData = this.getWorkflowStaticData('node');
	const stored = readRegistration(staticData);
	if (!stored) return true;
	await deleteNotifications.call(this, stored.notificationIds);
	// A webhook already deleted in Halo answers 404, which is the outcome wanted anyway.
	await webhookRequest.call(this, 'DELETE', `/Webhook/${encodeURIComponent(stored.webhookId)}`, {
		notFoundIsEmpty: true,
	});
	clearRegistration(staticData);
	return true;
}
