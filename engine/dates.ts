import { DateTime } from 'luxon';

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
/** Halo writes "no date" as 1900-01-01 (and sometimes 0001-01-01). */
const FIRST_REAL_YEAR = 1902;

export class PlanDateError extends Error {}

/** Checks a time zone name the way luxon will read it; throws a readable error when it is not known. */
export function assertTimeZone(timeZone: string): void {
	if (!DateTime.now().setZone(timeZone).isValid) {
		throw new PlanDateError(`The time zone "${timeZone}" is not known: use an IANA name such as "UTC" or "Europe/London"`);
	}
}

/**
 * The calendar day a Halo date falls on in `timeZone`, as `yyyy-MM-dd`. Timestamps without an
 * offset are wall-clock times in that zone (Halo's usual form); timestamps with one are converted.
 * Returns null for empty and placeholder dates.
 */
export function calendarDate(raw: string | null | undefined, timeZone: string): string | null {
	if (!raw) return null;
	const text = raw.trim();
	const parsed = DATE_ONLY.test(text)
		? DateTime.fromISO(text, { zone: timeZone })
		: DateTime.fromISO(text, { zone: timeZone, setZone: false });
	if (!parsed.isValid || parsed.year < FIRST_REAL_YEAR) return null;
	return parsed.setZone(timeZone).toISODate();
}

/** The plan's day in `timeZone`: today when no date is given. */
export function resolvePlanDate(date: string | Date | undefined, timeZone: string): string {
	assertTimeZone(timeZone);
	if (date === undefined || date === '') return DateTime.now().setZone(timeZone).toISODate() as string;
	const parsed =
		date instanceof Date
			? DateTime.fromJSDate(date).setZone(timeZone)
			: DateTime.fromISO(date.trim(), { zone: timeZone, setZone: false }).setZone(timeZone);
	if (!parsed.isValid) {
		throw new PlanDateError(`The plan date "${String(date)}" is not a date: use yyyy-MM-dd or an ISO 8601 timestamp`);
	}
	return parsed.toISODate() as string;
}

/** `yyyy-MM-dd` plus a whole number of days. */
export function addDays(isoDate: string, days: number): string {
	return DateTime.fromISO(isoDate, { zone: 'UTC' }).plus({ days }).toISODate() as string;
}

/** Whether the day `date` lies within [start, end], open ends allowed. Dates compare as strings. */
export function isWithin(date: string, start: string | null, end: string | null): boolean {
	return (start === null || start <= date) && (end === null || end >= date);
}
