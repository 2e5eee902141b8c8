/**
 * Injected faults for the node's tests and the fault bench: every kind of failure a request can meet,
 * the node's retry policy with short waits, and many notes posted through the HaloPSA Automation node
 * (n8n-core harness, one execution, Continue On Fail) under faults of every kind, then every ticket's
 * notes counted: the integration test asserts on the tally, the fault bench reports it.
 */
import type { IDataObject } from 'n8n-workflow';

import { DEFAULT_RETRY_POLICY, type RetryPolicy } from '../../halo-client';
import type { FaultRule, HaloSandbox } from '../../sandbox';
import { locator, makeCredentials, runNode } from './n8n-harness';

/** Every kind of failure a write can meet, by the name the tally reports it under. */
export const FAULT_KINDS: Record<string, Omit<FaultRule, 'route'>> = {
	'500': { kind: 'status', status: 500 },
	'502': { kind: 'status', status: 502 },
	'503': { kind: 'status', status: 503 },
	'504': { kind: 'status', status: 504 },
	reset: { kind: 'drop' },
	timeout: { kind: 'timeout' },
	'processed-then-500': { kind: 'processed-then-fail', status: 500 },
	'processed-then-reset': { kind: 'processed-then-fail', failWith: 'drop' },
	'processed-then-cut-answer': { kind: 'processed-then-fail', failWith: 'cut' },
};

/**
 * One rule per kind on `route`, together hitting `share` of its requests in equal parts. The sandbox
 * tries the rules in order, each with its own draw, so rule k gets share/n divided by what the rules
 * before it left over.
 */
export function faultsOfEveryKind(route: string, share: number): FaultRule[] {
	const kinds = Object.values(FAULT_KINDS);
	const each = share / kinds.length;
	return kinds.map((fault, index) => ({ route, ...fault, probability: each / (1 - each * index) }));
}

/** Runs `task` with the node's retry policy changed (shorter delays and timeout), then restores it. */
export async function withRetryPolicy<T>(changes: Partial<RetryPolicy>, task: () => Promise<T>): Promise<T> {
	const saved = { ...DEFAULT_RETRY_POLICY };
	Object.assign(DEFAULT_RETRY_POLICY, changes);
	try {
		return await task();
	} finally {
		Object.assign(DEFAULT_RETRY_POLICY, saved);
	}
}

export interface NoteFaultRun {
	notes: number;
	/** input items that ask for a status Halo does not have: Halo refuses those notes (400) */
	refused: number[];
	/** requests each fault kind hit */
	faultsByKind: Record<string, number>;
	/** notes Halo should hold that it holds not at all */
	lost: number[];
	/** notes Halo holds more than once (refused ones included) */
	duplicated: number[];
	/** input items that ended as error items */
	errorItems: number[];
	/** error items whose note Halo holds (reported failed although written) */
	errorButWritten: number[];
	/** POST /api/actions requests, and every API request (verifications included) */
	posts: number;
	apiRequests: number;
	wallMs: number;
}

/** Every `refusedEvery`-th input item (the last of each group) asks for a status Halo does not have. */
const isRefused = (index: number, refusedEvery: number) => refusedEvery > 0 && index % refusedEvery === refusedEvery - 1;

/**
 * Posts `notes` customer notes spread over `tickets`, under faults of every kind hitting `share` of
 * the note posts (seeded), and counts what Halo holds afterwards. The sandbox is reset first and its
 * faults are cleared afterwards; it keeps the notes.
 */
export async function postNotesUnderFaults(
	sandbox: HaloSandbox,
	options: { notes: number; tickets: number[]; share: number; refusedEvery: number; seed: number },
): Promise<NoteFaultRun> {
	const { notes, tickets, share, refusedEvery, seed } = options;
	const run = `fault run ${Date.now().toString(36)}`;
	const textOf = (index: number) => `${run}: note ${index}`;
	const inputItems: IDataObject[] = Array.from({ length: notes }, (_, index) => ({
		ticket: tickets[index % tickets.length],
		text: textOf(index),
		status: isRefused(index, refusedEvery) ? 999_999 : '',
	}));
	const credentials = makeCredentials(sandbox);
	// The token first, so the faults and the counts are about the notes alone.
	await runNode({ parameters: { resource: 'agent', operation: 'getMe' }, credentials });
	sandbox.reset();
	const rules = faultsOfEveryKind('POST /api/actions', share);
	sandbox.setFaults(rules, seed);

	const started = performance.now();
	const { items, error } = await runNode({
		parameters: {
			resource: 'note',
			operation: 'addCustomerNote',
			ticketId: locator('={{ $json.ticket }}'),
			note: '={{ $json.text }}',
			options: { newStatusId: '={{ $json.status }}' },
		},
		credentials,
		continueOnFail: true,
		inputItems,
	});
	const wallMs = performance.now() - started;
	const fired = sandbox.state.faults.list();
	sandbox.clearFaults();
	if (error) throw new Error(`the run stopped: ${error.message}`);
	if (items.length !== notes) throw new Error(`${items.length} items came out for ${notes} notes`);

	const held = new Map<string, number>();
	for (const ticket of new Set(tickets)) {
		for (const action of sandbox.state.store.actions.bucket('ticket', ticket)) held.set(action.note, (held.get(action.note) ?? 0) + 1);
	}
	const indexes = Array.from({ length: notes }, (_, index) => index);
	const errorItems = indexes.filter((index) => items[index].json.error !== undefined);
	const stats = sandbox.stats();
	return {
		notes,
		refused: indexes.filter((index) => isRefused(index, refusedEvery)),
		faultsByKind: Object.fromEntries(Object.keys(FAULT_KINDS).map((name, index) => [name, fired[index]?.fired ?? 0])),
		lost: indexes.filter((index) => !isRefused(index, refusedEvery) && !held.has(textOf(index))),
		duplicated: indexes.filter((index) => (held.get(textOf(index)) ?? 0) > 1),
		errorItems,
		errorButWritten: errorItems.filter((index) => held.has(textOf(index))),
		posts: stats.requestsByRoute['POST /api/actions'] ?? 0,
		apiRequests: Object.entries(stats.requestsByRoute)
			.filter(([route]) => route.includes(' /api/'))
			.reduce((sum, [, count]) => sum + count, 0),
		wallMs,
	};
}
