/** Halo writes UTC timestamps without a zone suffix: `2025-03-01T09:30:00`. */
export function haloDate(time: number): string {
	return new Date(time).toISOString().slice(0, 19);
}

/** Reads a Halo timestamp (zone-less means UTC) or any ISO date; NaN when unreadable. */
export function parseHaloDate(value: string): number {
	return Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(value) || !value.includes('T') ? value : `${value}Z`);
}

export const dayMs = 24 * 60 * 60 * 1000;

/** Midnight UTC of the day of `time`. */
export function startOfDay(time: number): number {
	return Math.floor(time / dayMs) * dayMs;
}
