import type { IDataObject, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import type { ExpectedCredentials } from '../authentication';
import { basicCredentialsMatch, matchesDigest, readBasicCredentials } from '../authentication';
import { findEventByName } from '../events';
import { readRegistration } from '../lifecycle/registrationState';
import { isManual, readManualWebhookAuth, usesPathSecret } from '../manualAuth';
import { chosenEventNames } from '../selection';
import { LookupBudget, resolveEvent } from './completion';
import { claimNewDeliveries, persistDeliveries, releaseDeliveries } from './deduplication';
import { passesFilters, readFilters } from './filters';
import { toOutputItem } from './output';
import { parseDeliveries } from './payload';

/** Answers the call itself and tells n8n to start nothing. */
function reject(this: IWebhookFunctions, status: 400 | 401, message: string): IWebhookResponseData {
	const response = this.getResponseObject();
	if (status === 401) response.setHeader('WWW-Authenticate', 'Basic realm="HaloPSA webhook"');
	response.status(status).json({ message });
	return { noWebhookResponse: true };
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

	const deliveries = parseDeliveries(this.getBodyData());
	if (!deliveries) return reject.call(this, 400, 'The body is not a HaloPSA webhook payload');

	const staticData = this.getWorkflowStaticData('node');
	const nodeKey = `${this.getWorkflow().id ?? ''}:${this.getNode().id ?? this.getNode().name}`;
	const wanted = chosenEventNames.call(this);
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
			if (!wanted.has(delivery.event.trim().toLowerCase())) continue;
			const event = await resolveEvent.call(this, delivery, findEventByName(delivery.event), {
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
	persistDeliveries(staticData, claimedIds);

	if (items.length === 0) {
		return { webhookResponse: { received: deliveries.length, started: false } };
	}
	return { workflowData: [this.helpers.returnJsonArray(items)] };
}
