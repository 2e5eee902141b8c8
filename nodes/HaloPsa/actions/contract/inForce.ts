import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { DateTime } from 'luxon';

/** The calendar day (yyyy-mm-dd) of a Halo date; Halo writes "no date" as 1900-01-01 or earlier. */
function haloDay(value: unknown): string | undefined {
	if (typeof value !== 'string') return undefined;
	const day = /^\d{4}-\d{2}-\d{2}/.exec(value)?.[0];
	return day && day > '1900-01-01' ? day : undefined;
}

/**
 * Reads the In Force On date as a calendar day in the workflow's time zone. Accepts what n8n
 * expressions produce: ISO text, a JS Date or a Luxon DateTime.
 */
export function readDay(this: IExecuteFunctions, value: unknown, label: string, itemIndex: number): string {
	const zone = this.getTimezone();
	const parsed =
		value instanceof Date
			? DateTime.fromJSDate(value, { zone })
			: DateTime.isDateTime(value)
				? value.setZone(zone)
				: DateTime.fromISO(String(value).trim(), { zone });
	if (!parsed.isValid) {
		throw new NodeOperationError(this.getNode(), `${label} is not a valid date: "${String(value)}"`, {
			itemIndex,
			description: 'Use a date like 2025-01-31, or an expression such as {{ $now }}.',
		});
	}
	return parsed.toISODate() as string;
}

/**
 * Whether a contract is in force on a day: not flagged expired or inactive, started on or
 * before that day (if it has a start) and not ended before it (if it has an end).
 */
export function isContractInForce(contract: IDataObject, day: string): boolean {
	if (contract.expired === true || contract.active === false) return false;
	const start = haloDay(contract.start_date);
	const end = haloDay(contract.end_date);
	return (start === undefined || start <= day) && (end === undefined || end >= day);
}
