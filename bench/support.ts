/**
 * What every benchmark returns and the small helpers they share. A measure is "ours" (`value`)
 * and, when the peer can do the same job, the peer's figure taken in the same run.
 */

export interface Measure {
	measure: string;
	/** our figure */
	value: number;
	unit: string;
	/** the peer's figure for the same job, or why it has none */
	peer?: number | string;
	/** the physical limit or the goal the figure is held against */
	limit?: string;
	/** which way is better; with a numeric peer figure it tells whether we trail the peer */
	better?: 'lower' | 'higher';
	/** why we trail the peer on this measure, when we do (BENCHMARKS.md lists such rows first) */
	trailsBecause?: string;
}

/** Whether our figure is worse than the peer's on a measure that says which way is better. */
export function trailsPeer(measure: Measure): boolean {
	if (typeof measure.peer !== 'number' || !measure.better) return false;
	return measure.better === 'lower' ? measure.value > measure.peer : measure.value < measure.peer;
}

export interface BenchResult {
	name: string;
	/** who `peer` is in this bench's measures */
	peer?: string;
	measures: Measure[];
	/** what the reader must know to read the figures honestly */
	notes?: string[];
}

export const log = (message: string): void => {
	process.stderr.write(`[bench] ${message}\n`);
};

export function percentile(values: number[], fraction: number): number {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(sorted.length * fraction) - 1))];
}

/** Requests to Halo's API proper, without the token endpoint and the auth discovery call. */
export function apiRequestCount(requestsByRoute: Record<string, number>): number {
	return Object.entries(requestsByRoute)
		.filter(([route]) => / \/api\//i.test(route) && !/\/api\/authinfo$/i.test(route))
		.reduce((sum, [, count]) => sum + count, 0);
}

export const megabytes = (bytes: number): number => Math.round((bytes / 1024 / 1024) * 10) / 10;

/** Runs `task` for every entry with at most `concurrency` at a time, keeping the order of results. */
export async function mapWithConcurrency<T, R>(entries: T[], concurrency: number, task: (entry: T) => Promise<R>): Promise<R[]> {
	const results: R[] = new Array(entries.length);
	let next = 0;
	const worker = async () => {
		while (next < entries.length) {
			const index = next++;
			results[index] = await task(entries[index]);
		}
	};
	await Promise.all(Array.from({ length: Math.min(concurrency, entries.length) }, worker));
	return results;
}
