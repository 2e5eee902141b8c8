import { DateTime } from 'luxon';

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
 * Reads ISO 8601 (`2025-06-15`, `2025-06-15T09:00:00`, with or without an offset) and the SQL-like
 * `2025-06-15 09:00:00` some Halo answers carry. Text without an offset is wall-clock time in `timeZone`.
 */
function parseDateText(text: string, timeZone: string): DateTime {
	const iso = DateTime.fromISO(text, { zone: timeZone });
	return iso.isValid ? iso : DateTime.fromSQL(text, { zone: timeZone });
}

/** What a Halo date field says: no date (empty or Halo's 1900 placeholder), a day, or text that is not a date. */
export type HaloDay = { kind: 'none' } | { kind: 'day'; day: string } | { kind: 'unreadable'; text: string };

/** No date: what {@link readHaloDay} reads from an empty field or Halo's 1900 placeholder. */
export const NO_DATE: HaloDay = { kind: 'none' };

/**
 * The calendar day (`yyyy-MM-dd`) a Halo date falls on in `timeZone`. Timestamps without an offset
 * are wall-clock times in that zone (Halo's usual form); timestamps with one are converted.
 */
export function readHaloDay(raw: string | null | undefined, timeZone: string): HaloDay {
	const text = raw?.trim();
	if (!text) return NO_DATE;
	const parsed = parseDateText(text, timeZone);
	if (!parsed.isValid) return { kind: 'unreadable', text };
	if (parsed.year < FIRST_REAL_YEAR) return NO_DATE;
	return { kind: 'day', day: parsed.toISODate() as string };
}

/** The day of a Halo date in `timeZone`, or null when there is none or it cannot be read (see {@link readHaloDay}). */
export function calendarDate(raw: string | null | undefined, timeZone: string): string | null {
	const read = readHaloDay(raw, timeZone);
	return read.kind === 'day' ? read.day : null;
}

/** The plan's day in `timeZone`: today when no date is given. */
export function resolvePlanDate(date: string | Date | undefined, timeZone: string): string {
	assertTimeZone(timeZone);
	if (date === undefined || date === '') return DateTime.now().setZone(timeZone).toISODate() as string;
	const parsed = date instanceof Date ? DateTime.fromJSDate(date).setZone(timeZone) : parseDateText(date.trim(), timeZone);
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
