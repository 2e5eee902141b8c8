import type { IDataObject, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import type { BasicCredentials } from '../authentication';
import { basicCredentialsMatch, constantTimeEquals, readBasicCredentials } from '../authentication';
import { findEventByName } from '../events';
import { readRegistration } from '../lifecycle/registrationState';
import { chosenEventNames } from '../selection';
import { resolveEvent } from './completion';
import { isDuplicateDelivery, rememberDeliveries } from './deduplication';
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

function expectedCredentials(this: IWebhookFunctions): BasicCredentials | undefined {
	if (this.getNodeParameter('registration') === 'manual') {
		return {
			username: this.getNodeParameter('basicUsername') as string,
			password: this.getNodeParameter('basicPassword') as string,
		};
	}
	const registration = readRegistration(this.getWorkflowStaticData('node'));
	return registration && { username: registration.username, password: registration.password };
}

function pathSecretMatches(this: IWebhookFunctions): boolean {
	if (this.getNodeParameter('registration') !== 'manual') return true;
	const expected = this.getNodeParameter('pathSecret', '') as string;
	if (expected === '') return true;
	const received = (this.getParamsData() as IDataObject).secret;
	return constantTimeEquals(typeof received === 'string' ? received : '', expected);
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
	const filters = readFilters(this.getNodeParameter('filters', {}) as IDataObject);
	const options = this.getNodeParameter('options', {}) as { completeEventOnly?: boolean; includeRawPayload?: boolean };

	const newDeliveries = deliveries.filter(
		(delivery, index) =>
			!isDuplicateDelivery(staticData, nodeKey, delivery.id) &&
			deliveries.findIndex((other) => other.id === delivery.id) === index,
	);
	const items: IDataObject[] = [];
	for (const delivery of newDeliveries) {
		if (!wanted.has(delivery.event.trim().toLowerCase())) continue;
		const event = await resolveEvent.call(
			this,
			delivery,
			findEventByName(delivery.event),
			options.completeEventOnly !== false,
		);
		if (passesFilters(event, filters)) items.push(toOutputItem(event, options.includeRawPayload === true));
	}
	// Remembered only once every look-up worked: a failed call answers 500 and Halo's retry gets another go.
	rememberDeliveries(staticData, nodeKey, newDeliveries.map((delivery) => delivery.id));

	if (items.length === 0) {
		return { webhookResponse: { received: deliveries.length, started: false } };
	}
	return { workflowData: [this.helpers.returnJsonArray(items)] };
}
