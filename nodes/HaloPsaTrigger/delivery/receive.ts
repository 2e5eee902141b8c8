import type { IDataObject, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import type { ExpectedCredentials } from '../authentication';
import { basicCredentialsMatch, matchesDigest, readBasicCredentials } from '../authentication';
import { isObject } from '../../transport';
import { readRegistration } from '../lifecycle/registrationState';
import { isManual, readManualWebhookAuth, usesPathSecret } from '../manualAuth';
import { deliveryEvent, isEmptySelection, readEventSelection } from '../selection';
import { LookupBudget, resolveEvent } from './completion';
import { claimNewDeliveries, persistDeliveries, releaseDeliveries } from './deduplication';
import { passesFilters, readFilters } from './filters';
import { toOutputItem } from './output';
import { parseDeliveries } from './payload';

/**
 * Answers the call itself. n8n saves the static data the node changed when it is handed the
 * answer: an answer left to n8n comes after n8n prepared the execution, which marks the static
 * data unchanged again (n8n 2.41), so the delivery ids would never be saved.
 */
function answer(this: IWebhookFunctions, status: 200 | 400 | 401 | 415, body: IDataObject): void {
	const response = this.getResponseObject();
	if (status === 401) response.setHeader('WWW-Authenticate', 'Basic realm="HaloPSA webhook"');
	response.status(status).json(body);
}

function reject(this: IWebhookFunctions, status: 400 | 401 | 415, message: string): IWebhookResponseData {
	answer.call(this, status, { message });
	return { noWebhookResponse: true };
}

/**
 * Halo POSTs `application/json`, the one JSON type n8n parses; n8n would hand the node a form or a
 * multipart body as fields, which the node must not take for an event.
 */
function isJson(this: IWebhookFunctions): boolean {
	const contentType = String(this.getHeaderData()['content-type'] ?? '');
	return contentType.split(';')[0].trim().toLowerCase() === 'application/json';
}

/**
 * Whether the call carries the right Basic credentials and, in manual mode with a path secret, the
 * right last URL segment. A manual trigger whose credential became unusable after publishing (unset,
 * emptied, out of step with Use Path Secret) refuses every call: nothing unchecked gets through.
 */
async function callIsAuthentic(this: IWebhookFunctions): Promise<boolean> {
	let expected: ExpectedCredentials | undefined;
	let pathSecretDigest = '';
	if (isManual.call(this)) {
		try {
			({ expected, pathSecretDigest } = await readManualWebhookAuth.call(this));
		} catch (error) {
			this.logger.warn('HaloPSA Trigger: refused a call because the webhook credential cannot be used', {
				reason: (error as Error).message,
			});
			return false;
		}
	} else {
		const registration = readRegistration(this.getWorkflowStaticData('node'));
		expected = registration && { username: registration.username, passwordDigest: registration.passwordDigest };
	}
	let secretMatches = true;
	if (usesPathSecret.call(this)) {
		const received = (this.getParamsData() as IDataObject).secret;
		secretMatches = matchesDigest(typeof received === 'string' ? received : '', pathSecretDigest);
	}
	const credentialsMatch = expected !== undefined && basicCredentialsMatch(readBasicCredentials(this.getHeaderData()), expected);
	return secretMatches && credentialsMatch;
}

export async function receiveDeliveries(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	if (!(await callIsAuthentic.call(this))) return reject.call(this, 401, 'Authorization is required');
	if (!isJson.call(this)) return reject.call(this, 415, 'HaloPSA webhooks send JSON: the Content-Type must be application/json');

	const parsed = parseDeliveries(this.getBodyData());
	if ('problem' in parsed) return reject.call(this, 400, `The body is not a HaloPSA webhook payload: ${parsed.problem}`);
	const { deliveries } = parsed;

	const staticData = this.getWorkflowStaticData('node');
	const registration = isManual.call(this) ? undefined : readRegistration(staticData);
	// With automatic registration the node knows its webhook: an event from any other is not for it.
	if (registration && deliveries.some((delivery) => String(delivery.webhook_id ?? '').toLowerCase() !== registration.webhookId.toLowerCase())) {
		return reject.call(this, 400, 'The body is not a HaloPSA webhook payload: an event does not come from the webhook this trigger registered');
	}

	const nodeKey = `${this.getWorkflow().id ?? ''}:${this.getNode().id ?? this.getNode().name}`;
	const selection = readEventSelection.call(this);
	// The webhook the node registered sends only the events it chose; a webhook made by hand may
	// send more, so there the chosen events filter (none chosen keeps all).
	const filterByEvent = registration === undefined && !isEmptySelection(selection);
	const filters = readFilters.call(this);
	const options = this.getNodeParameter('options', {}) as { completeEventOnly?: boolean; includeRawPayload?: boolean };

	// Claimed before the look-ups await anything: a retry of a delivery still being handled here is a duplicate.
	const claimed = claimNewDeliveries(staticData, nodeKey, deliveries);
	const claimedIds = claimed.map((delivery) => delivery.id);
	const budget = new LookupBudget();
	const items: IDataObject[] = [];
	let handled = false;
	try {
		for (const delivery of claimed) {
			const named = deliveryEvent(selection, delivery.event, isObject(delivery.action) ? delivery.action : undefined);
			if (filterByEvent && !named.chosen) continue;
			const event = await resolveEvent.call(this, delivery, named, {
				completeEventOnly: options.completeEventOnly !== false,
				budget,
			});
			if (passesFilters(event, filters)) items.push(toOutputItem(event, options.includeRawPayload === true));
		}
		handled = true;
	} finally {
		// On a failure n8n answers 500; giving the ids back lets Halo's retry have another go.
		if (!handled) releaseDeliveries(nodeKey, claimedIds);
	}
	persistDeliveries(staticData, nodeKey, claimedIds);

	const started = items.length > 0;
	answer.call(this, 200, { received: deliveries.length, started });
	return started ? { workflowData: [this.helpers.returnJsonArray(items)], noWebhookResponse: true } : { noWebhookResponse: true };
}
