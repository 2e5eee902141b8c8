import type { IDataObject, IWebhookFunctions } from 'n8n-workflow';
import { deepCopy, sleep } from 'n8n-workflow';

import type { HaloRequestOptions } from '../../transport';
import { haloApiRequest, isObject, memoisedPromise } from '../../transport';
import type { DeliveryEvent } from '../selection';
import type { ResolvedEvent } from './output';
import { actionIdOf, embeddedRecord, ticketIdOf } from './output';
import type { HaloDelivery } from './payload';
import { isEventOnly } from './payload';

/**
 * n8n answers Halo only once the node's webhook() returns, and Halo retries a delivery it waited
 * too long for. So the look-ups for event-only payloads of one call share this budget; when it
 * is spent the item goes out as it came (`completedFromApi: false`) instead of holding Halo.
 */
export const LOOKUP_BUDGET_MS = 3000;

/** Short waits for the webhook-time look-ups (the node's operations keep the transport's long ones). */
const LOOKUP_REQUEST_OPTIONS: HaloRequestOptions = {
	maxRateLimitWaitSeconds: 1,
	retryPolicy: { maxTransientRetries: 1, transientBaseDelayMs: 200, rateLimitBaseDelayMs: 1000 },
};

class LookupBudgetSpent extends Error {
	constructor() {
		super(`the look-ups took longer than the ${LOOKUP_BUDGET_MS / 1000} s the trigger allows before answering HaloPSA`);
	}
}

/** The time left for one webhook call's look-ups, and the answers they already got. */
export class LookupBudget {
	private readonly deadline = Date.now() + LOOKUP_BUDGET_MS;

	private readonly answers = new Map<string, Promise<IDataObject>>();

	/**
	 * One look-up per key in this call: two events on one ticket fetch it once (each gets its own
	 * copy). A look-up that failed is forgotten, so a later event tries again, as it did alone.
	 */
	async once(key: string, lookup: () => Promise<IDataObject>): Promise<IDataObject> {
		return deepCopy(await memoisedPromise(this.answers, key, lookup));
	}

	/** Runs one look-up, giving up (and leaving it to finish unseen) when the budget runs out. */
	async run<T>(lookup: (timeoutMs: number) => Promise<T>): Promise<T> {
		const remaining = this.deadline - Date.now();
		if (remaining <= 0) throw new LookupBudgetSpent();
		const pending = lookup(remaining);
		// An abandoned look-up may still fail later; that must not become an unhandled rejection.
		pending.catch(() => undefined);
		const budgetSpent = sleep(remaining).then(() => {
			throw new LookupBudgetSpent();
		});
		return await Promise.race([pending, budgetSpent]);
	}
}

async function lookup(this: IWebhookFunctions, budget: LookupBudget, path: string, qs?: IDataObject): Promise<IDataObject> {
	return await budget.once(
		`${path}?${JSON.stringify(qs ?? {})}`,
		async () =>
			(await budget.run(
				async (timeoutMs) => await haloApiRequest.call(this, 'GET', path, { ...LOOKUP_REQUEST_OPTIONS, qs, timeoutMs }),
			)) as IDataObject,
	);
}

/**
 * Fills an event-only delivery from the API so the item looks like one from a full payload: the
 * action (and its ticket) when the delivery names an action, else the ticket. A delivery that
 * names neither (a custom or unknown event with only `object_id`) has nothing the node can fetch.
 */
async function completeFromApi(this: IWebhookFunctions, event: ResolvedEvent, budget: LookupBudget): Promise<void> {
	const { delivery, named } = event;
	const ticket = async (ticketId: number) => await lookup.call(this, budget, `/Tickets/${ticketId}`, { includedetails: true });
	const actionId = actionIdOf(delivery);
	let ticketId = ticketIdOf(delivery, named);
	if (actionId !== null) {
		event.action = await lookup.call(this, budget, `/Actions/${actionId}`, ticketId === null ? undefined : { ticket_id: ticketId });
		const fromAction = Number(event.action.ticket_id);
		if (Number.isSafeInteger(fromAction) && fromAction > 0) ticketId = fromAction;
	}
	if (ticketId !== null) event.ticket = await ticket(ticketId);
	else if (actionId === null) throw new Error('the delivery names no ticket or action the node could fetch (only its object_id, whose kind the event does not tell)');
	event.completedFromApi = true;
}

/**
 * Builds the event from a delivery, completing an event-only payload through the API when asked.
 * A look-up that fails or runs out of budget leaves the item as far as it got, with the reason in
 * `completionError`: the event still starts the workflow, and Halo gets its answer in time.
 */
export async function resolveEvent(
	this: IWebhookFunctions,
	delivery: HaloDelivery,
	named: DeliveryEvent,
	options: { completeEventOnly: boolean; budget: LookupBudget },
): Promise<ResolvedEvent> {
	const event: ResolvedEvent = {
		delivery,
		named,
		eventOnly: isEventOnly(delivery),
		completedFromApi: false,
		ticket: isObject(delivery.ticket) ? delivery.ticket : undefined,
		action: isObject(delivery.action) ? delivery.action : undefined,
		record: embeddedRecord(delivery),
	};
	if (event.eventOnly && options.completeEventOnly) {
		try {
			await completeFromApi.call(this, event, options.budget);
		} catch (error) {
			event.completionError = (error as Error).message;
			this.logger.warn('HaloPSA Trigger: an event-only delivery starts the workflow without its HaloPSA record', {
				deliveryId: delivery.id,
				event: delivery.event,
				reason: event.completionError,
			});
		}
	}
	return event;
}
