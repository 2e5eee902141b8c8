import type { IDataObject, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import type { ExpectedCredentials } from '../authentication';
import { basicCredentialsMatch, matchesDigest, readBasicCredentials, secretDigestOf } from '../authentication';
import { findEventByName } from '../events';
import { readRegistration } from '../lifecycle/registrationState';
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

function expectedCredentials(this: IWebhookFunctions): ExpectedCredentials | undefined {
	if (this.getNodeParameter('registration') === 'manual') {
		return {
			username: this.getNodeParameter('basicUsername') as string,
			passwordDigest: secretDigestOf(this.getNodeParameter('basicPassword') as string),
		};
	}
	const registration = readRegistration(this.getWorkflowStaticData('node'));
	return registration && { username: registration.username, passwordDigest: registration.passwordDigest };
}

function pathSecretMatches(this: IWebhookFunctions): boolean {
	if (this.getNodeParameter('registration') !== 'manual') return true;
	const expected = this.getNodeParameter('pathSecret', '') as string;
	if (expected === '') return true;
	const received = (this.getParamsData() as IDataObject).secret;
	return matchesDigest(typeof received === 'string' ? received : '', secretDigestOf(expected));
}

export async function receiveDeliveries(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	const expected = expectedCredentials.call(this);
	const secretMatches = pathSecretMatches.call(this);
	const credentialsMatch = expected !== undefined && basicCredentialsMatch(readBasicCredentials(this.getHeaderData()), expected);
	if (!secretMatches || !credentialsMatch) return reject.call(this, 401, 'Authorization is required');

	const deliveries = parseDeliveries(this.getBodyData());
	if (!deliveries) return reject.call(this, 400, 'The body is not a HaloPSA webhook payload');

	const staticData = this.getWorkflowStaticData('node');
	const nodeKey = `${this.getWorkflow().id ?? ''}:${this.getNode().id ?? this.getNode().name}`;
	const wanted = chosenEventNames.call(this);
	const filters = readFilters.call(this);
	const options = this.getNodeParameter('options', {}) as { completeEventOnly?: boolean; includeRawPayload?: boolean };

	// Claimed before the first await: a retry of a delivery still being handled here is a duplicate.
	const claimedIds = claimNewDeliveries(staticData, nodeKey, deliveries.map((delivery) => delivery.id));
	const budget = new LookupBudget();
	const items: IDataObject[] = [];
	let handled = false;
	try {
		for (const id of claimedIds) {
			const delivery = deliveries.find((candidate) => candidate.id === id)!;
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
