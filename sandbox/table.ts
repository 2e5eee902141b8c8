/**
 * An in-memory table kept in id order, with secondary indexes whose buckets are also in id
 * order, so a filtered page is a slice of a precomputed array instead of a scan and a sort.
 */
export interface Row {
	id: number;
}

/** Returns the index key(s) of a row; several keys put the row in several buckets. */
export type IndexKey<T> = (row: T) => number | readonly number[] | null | undefined;

interface Index<T> {
	keyOf: IndexKey<T>;
	buckets: Map<number, T[]>;
}

function positionOf<T extends Row>(rows: readonly T[], id: number): number {
	let low = 0;
	let high = rows.length;
	while (low < high) {
		const middle = (low + high) >>> 1;
		if (rows[middle].id < id) low = middle + 1;
		else high = middle;
	}
	return low;
}

function insertSorted<T extends Row>(rows: T[], row: T): void {
	if (rows.length === 0 || rows[rows.length - 1].id < row.id) {
		rows.push(row);
		return;
	}
	rows.splice(positionOf(rows, row.id), 0, row);
}

function removeSorted<T extends Row>(rows: T[], id: number): void {
	const position = positionOf(rows, id);
	if (rows[position]?.id === id) rows.splice(position, 1);
}

function keysOf<T>(keyOf: IndexKey<T>, row: T): readonly number[] {
	const key = keyOf(row);
	if (key === null || key === undefined) return [];
	return typeof key === 'number' ? [key] : key;
}

const noRows: readonly never[] = [];

export class Table<T extends Row> {
	private readonly rows = new Map<number, T>();
	private readonly ordered: T[] = [];
	private readonly indexes = new Map<string, Index<T>>();
	private lastId = 0;

	constructor(indexes: Record<string, IndexKey<T>> = {}) {
		for (const [name, keyOf] of Object.entries(indexes)) {
			this.indexes.set(name, { keyOf, buckets: new Map() });
		}
	}

	get size(): number {
		return this.rows.size;
	}

	get(id: number): T | undefined {
		return this.rows.get(id);
	}

	/** Every row in id order. Do not mutate. */
	all(): readonly T[] {
		return this.ordered;
	}

	/** Rows whose index `name` has `key`, in id order. Do not mutate. */
	bucket(name: string, key: number): readonly T[] {
		const index = this.indexes.get(name);
		if (!index) throw new Error(`No index ${name}`);
		return index.buckets.get(key) ?? noRows;
	}

	nextId(): number {
		return this.lastId + 1;
	}

	insert(row: T): T {
		if (this.rows.has(row.id)) throw new Error(`Duplicate id ${row.id}`);
		this.rows.set(row.id, row);
		insertSorted(this.ordered, row);
		this.lastId = Math.max(this.lastId, row.id);
		for (const index of this.indexes.values()) {
			for (const key of keysOf(index.keyOf, row)) {
				let bucket = index.buckets.get(key);
				if (!bucket) {
					bucket = [];
					index.buckets.set(key, bucket);
				}
				insertSorted(bucket, row);
			}
		}
		return row;
	}

	/**
	 * Applies a change atomically: `change` edits a shallow copy (so it must assign fields, not
	 * mutate nested values in place); only when it returns is the copy written to the row and the
	 * row moved between index buckets. A change that throws leaves the row and indexes untouched.
	 */
	update(row: T, change: (draft: T) => void): T {
		const draft = this.preview(row, change);
		const before = [...this.indexes.values()].map((index) => keysOf(index.keyOf, row));
		Object.assign(row, draft);
		[...this.indexes.values()].forEach((index, position) => {
			const after = keysOf(index.keyOf, row);
			const previous = before[position];
			if (after.length === previous.length && after.every((key, i) => key === previous[i])) return;
			for (const key of previous) removeSorted(index.buckets.get(key) ?? [], row.id);
			for (const key of after) {
				let bucket = index.buckets.get(key);
				if (!bucket) {
					bucket = [];
					index.buckets.set(key, bucket);
				}
				insertSorted(bucket, row);
			}
		});
		return row;
	}

	/** Runs `change` on a throwaway copy of the row: validates an update without writing it. */
	preview(row: T, change: (draft: T) => void): T {
		const draft = { ...row };
		change(draft);
		return draft;
	}

	remove(id: number): T | undefined {
		const row = this.rows.get(id);
		if (!row) return undefined;
		this.rows.delete(id);
		removeSorted(this.ordered, id);
		for (const index of this.indexes.values()) {
			for (const key of keysOf(index.keyOf, row)) removeSorted(index.buckets.get(key) ?? [], id);
		}
		return row;
	}
}
