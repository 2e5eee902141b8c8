import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { DateTime } from 'luxon';

import { isContractInForce } from '../../../../engine/coverage';
import { resolvePlanDate } from '../../../../engine/dates';
import { normalizeContract } from '../../../../engine/snapshot';

/**
 * The In Force On filter, with the deployment planner's own rule and date reading, so a
 * contract this filter keeps is one the planner counts as coverage on that day. Days are
 * read in the workflow's time zone.
 */
export function inForceTest(
	this: IExecuteFunctions,
	value: unknown,
	label: string,
	itemIndex: number,
): (contract: IDataObject) => boolean {
	const timeZone = this.getTimezone();
	// n8n expressions may hand over a Luxon DateTime; the planner reads ISO text or a JS Date.
	const date = DateTime.isDateTime(value) ? value.toISO() ?? '' : value instanceof Date ? value : String(value);
	let day: string;
	try {
		day = resolvePlanDate(date, timeZone);
	} catch {
		throw new NodeOperationError(this.getNode(), `${label} is not a valid date: "${String(value)}"`, {
			itemIndex,
			description: 'Use a date like 2025-01-31, or an expression such as {{ $now }}.',
		});
	}
	return (row) => {
		const contract = normalizeContract(row);
		return contract !== null && isContractInForce(contract, day, timeZone);
	};
}
