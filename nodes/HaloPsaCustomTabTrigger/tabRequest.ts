import type { IDataObject, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { LoadBound } from './loadBound';
import { expectedKeyDigest, keyMatches } from './tabKey';

const loadBound = new LoadBound();

/** Answers the call itself with a page that is never cached, and tells n8n to start nothing. */
function answer(this: IWebhookFunctions, status: 401 | 429, html: string, headers: Record<string, string> = {}): IWebhookResponseData {
	const response = this.getResponseObject();
	response.setHeader('Cache-Control', 'no-store');
	response.setHeader('Content-Type', 'text/html; charset=utf-8');
	for (const [name, value] of Object.entries(headers)) response.setHeader(name, value);
	response.status(status).send(html);
	return { noWebhookResponse: true };
}

/**
 * One tab load. Without the right key (or with a credential that cannot be used): 401 and an empty
 * page. Past the per-minute bound: 429 and a short page. Neither starts the workflow, so neither
 * reaches HaloPSA. Otherwise one item: `ticketId` and the query without the key (the key stays out of
 * the execution data n8n saves).
 */
export async function receiveTabLoad(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	const query = { ...(this.getQueryData() as IDataObject) };
	let expected: string;
	try {
		expected = await expectedKeyDigest.call(this);
	} catch (error) {
		this.logger.warn('HaloPSA Custom Tab Trigger: refused a tab load because the tab key credential cannot be used', {
			reason: (error as Error).message,
		});
		return answer.call(this, 401, '');
	}
	if (!keyMatches(query.key, expected)) return answer.call(this, 401, '');

	const limit = this.getNodeParameter('maxLoadsPerMinute', 10) as number;
	const decision = loadBound.admit(`${this.getWorkflow().id ?? ''}:${this.getNode().id ?? this.getNode().name}`, limit);
	if (!decision.admitted) {
		const page =
			'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Too many tab loads</title></head>' +
			'<body style="font:14px/1.45 system-ui,sans-serif;margin:12px">' +
			`<p>This tab was loaded ${limit} times in the last minute, as many as it may be. Reload it in ${decision.retryAfterSeconds} s.</p></body></html>`;
		return answer.call(this, 429, page, { 'Retry-After': String(decision.retryAfterSeconds) });
	}

	delete query.key;
	const ticketId = String(query.ticket_id ?? '').trim();
	return { workflowData: [[{ json: { ticketId: /^\d+$/.test(ticketId) ? Number(ticketId) : ticketId, query } }]] };
}
