import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

/** The ticket fields people use in later nodes; the full record has well over a hundred. */
export const TICKET_SIMPLE_FIELDS = [
	'id',
	'summary',
	'details',
	'client_id',
	'client_name',
	'site_id',
	'site_name',
	'user_id',
	'user_name',
	'user_email',
	'status_id',
	'tickettype_id',
	'priority_id',
	'agent_id',
	'team_id',
	'team',
	'dateoccurred',
	'last_update',
	'hasbeenclosed',
	'customfields',
];

export const ACTION_SIMPLE_FIELDS = [
	'id',
	'ticket_id',
	'outcome',
	'outcome_id',
	'note',
	'hiddenfromuser',
	'who',
	'who_type',
	'who_agentid',
	'datetime',
	'sendemail',
	'emailto',
	'emailcc',
	'emailsubject',
	'important',
	'timetaken',
	'new_status',
];

/**
 * Keeps the listed fields that the record has, in the listed order. Built with Object.fromEntries:
 * V8 turns an object given more than a dozen properties by computed key (`simple[field] = ...`)
 * into a slow dictionary, which made 10k simplified tickets take twice the memory of the raw ones.
 */
export function pickFields(record: IDataObject, fields: string[]): IDataObject {
	const entries: Array<[string, unknown]> = [];
	for (const field of fields) {
		const value = record[field];
		if (value !== undefined) entries.push([field, value]);
	}
	return Object.fromEntries(entries) as IDataObject;
}

/**
 * The operation's Simplify switch (on by default) as a row mapper, undefined when it is off. Lists
 * pass it to the pager, so each page is simplified as it arrives and its raw rows are let go.
 */
export function simplifier(
	this: IExecuteFunctions,
	itemIndex: number,
	fields: string[],
): ((record: IDataObject) => IDataObject) | undefined {
	const simplify = this.getNodeParameter('simplify', itemIndex, true) as boolean;
	return simplify ? (record) => pickFields(record, fields) : undefined;
}

/** Applies the operation's Simplify switch (on by default): each record keeps only `fields`. */
export function simplifyOutput(this: IExecuteFunctions, itemIndex: number, records: IDataObject[], fields: string[]): IDataObject[] {
	const simplify = simplifier.call(this, itemIndex, fields);
	return simplify ? records.map(simplify) : records;
}
