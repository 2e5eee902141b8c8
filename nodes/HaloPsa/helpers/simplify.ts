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

/** Keeps the listed fields that the record has, in the listed order. */
export function pickFields(record: IDataObject, fields: string[]): IDataObject {
	const simple: IDataObject = {};
	for (const field of fields) if (record[field] !== undefined) simple[field] = record[field];
	return simple;
}

/** Applies the operation's Simplify switch (on by default): each record keeps only `fields`. */
export function simplifyOutput(this: IExecuteFunctions, itemIndex: number, records: IDataObject[], fields: string[]): IDataObject[] {
	const simplify = this.getNodeParameter('simplify', itemIndex, true) as boolean;
	return simplify ? records.map((record) => pickFields(record, fields)) : records;
}
