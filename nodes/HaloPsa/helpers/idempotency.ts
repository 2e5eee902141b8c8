import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { asNodeError } from '../../itemLoop';
import { toHaloId } from './values';

export const MAX_IDEMPOTENCY_KEY_LENGTH = 200;

/**
 * The item's idempotency key (Options > Idempotency Key), or undefined when the option is not
 * set. A key that is set must be usable: an empty one would silently write again.
 */
export function readIdempotencyKey(this: IExecuteFunctions, itemIndex: number): string | undefined {
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	if (!('idempotencyKey' in options)) return undefined;
	const raw = options.idempotencyKey;
	const refuse = (message: string, description: string) => new NodeOperationError(this.getNode(), message, { itemIndex, description });
	const fix = `Set it to an ID that stays the same when the write is repeated, like {{ $json.deliveryId }}, or remove the option.`;
	if (typeof raw !== 'string' && typeof raw !== 'number') {
		throw refuse(`The Idempotency Key must be a text or a number, not ${raw === null ? 'null' : typeof raw}`, fix);
	}
	const key = String(raw).trim();
	if (!key) throw refuse('The Idempotency Key is empty', fix);
	if (key.length > MAX_IDEMPOTENCY_KEY_LENGTH) {
		throw refuse(`The Idempotency Key is ${key.length} characters long; at most ${MAX_IDEMPOTENCY_KEY_LENGTH} are allowed`, `${fix} A long text can be shortened to its hash.`);
	}
	try {
		encodeURIComponent(key); // the marker carries it encoded
	} catch {
		throw refuse('The Idempotency Key contains a broken Unicode character', fix);
	}
	return key;
}

export interface KeyedWrite {
	/** the write already in Halo with this key (the lowest id when there are several), if any */
	find: () => Promise<IDataObject | undefined>;
	/** the write itself, through the transport's one write path */
	write: () => Promise<IDataObject>;
	/**
	 * Removes a record this run wrote when an earlier one with the same key turned up after it (the
	 * same write running at the same moment elsewhere). Absent for writes that cannot be undone
	 * (an email has gone out): those keep both.
	 */
	remove?: (record: IDataObject) => Promise<unknown>;
}

/**
 * One write under an optional idempotency key. Without a key it is `write()`. With one, `find()`
 * runs first: found, that record is the answer and nothing is written. Otherwise the write goes
 * out, and when it can be undone `find()` runs again: if a record with the same key and a lower id
 * is there, this run's record is removed and the lower one is the answer. The lowest id is never
 * removed (no run sees one below it), so of writes racing with one key exactly one stays.
 */
export async function writeOnce(this: IExecuteFunctions, itemIndex: number, key: string | undefined, steps: KeyedWrite): Promise<WriteOutcome> {
	if (key === undefined) return { record: await steps.write() };
	const earlier = await steps.find();
	if (earlier) return { record: earlier, alreadyWritten: true };
	const written = await steps.write();
	if (!steps.remove) return { record: written, alreadyWritten: false };
	const first = await steps.find();
	const firstId = toHaloId(first?.id);
	const writtenId = toHaloId(written.id);
	if (first === undefined || firstId === undefined || writtenId === undefined || firstId >= writtenId) {
		return { record: written, alreadyWritten: false };
	}
	try {
		await steps.remove(written);
	} catch (error) {
		// Removed already, by a run that found the same lower record.
		if (!(error instanceof NodeApiError && error.httpCode === '404')) throw asNodeError(this.getNode(), error, itemIndex);
	}
	return { record: first, alreadyWritten: true };
}

export interface WriteOutcome {
	record: IDataObject;
	/** with a key: whether the record was there before this run (nothing of this run stays in Halo) */
	alreadyWritten?: boolean;
}

/** The output rows of a write: `alreadyWritten` added after Simplify, so it is always there with a key. */
export function withWriteOutcome(rows: IDataObject[], outcome: WriteOutcome): IDataObject[] {
	return outcome.alreadyWritten === undefined ? rows : rows.map((row) => ({ ...row, alreadyWritten: outcome.alreadyWritten }));
}
