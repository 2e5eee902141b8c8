import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { toHtmlBody } from '../../helpers/html';
import { mapHaloIds, toCustomFields, withoutEmpty } from '../../helpers/values';

/** Ticket fields shared by Create (additional fields) and Update (update fields). */
export const ticketFieldOptions: INodeProperties[] = [
	{
		displayName: 'Agent Name or ID',
		name: 'agentId',
		type: 'options',
		typeOptions: { loadOptionsMethod: 'getAgents' },
		default: '',
		description:
			'The agent the ticket is assigned to. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
	},
	{
		displayName: 'Custom Fields',
		name: 'customFields',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		default: {},
		placeholder: 'Add Custom Field',
		options: [
			{
				displayName: 'Field',
				name: 'field',
				values: [
					{
						displayName: 'Field ID or Name',
						name: 'id',
						type: 'string',
						default: '',
						description: 'The custom field\'s ID (a number) or its name (e.g. CFExternalRef)',
					},
					{ displayName: 'Value', name: 'value', type: 'string', default: '' },
				],
			},
		],
	},
	{
		displayName: 'Details',
		name: 'details',
		type: 'string',
		typeOptions: { rows: 4 },
		default: '',
		description: 'The ticket\'s body; HTML is allowed',
	},
	{
		displayName: 'Priority Name or ID',
		name: 'priorityId',
		type: 'options',
		typeOptions: { loadOptionsMethod: 'getPriorities' },
		default: '',
		description:
			'Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
	},
	{
		displayName: 'Status Name or ID',
		name: 'statusId',
		type: 'options',
		typeOptions: { loadOptionsMethod: 'getStatuses' },
		default: '',
		description:
			'Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
	},
	{
		displayName: 'Summary',
		name: 'summary',
		type: 'string',
		default: '',
	},
	{
		displayName: 'Team Name or ID',
		name: 'teamId',
		type: 'options',
		typeOptions: { loadOptionsMethod: 'getTeams' },
		default: '',
		description:
			'Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
	},
];

/** Extra fields only Create offers. */
export const createOnlyFieldOptions: INodeProperties[] = [
	{
		displayName: 'Site ID',
		name: 'siteId',
		type: 'number',
		default: 0,
		description: 'The client\'s site; 0 leaves it to Halo (the client\'s main site)',
	},
	{
		displayName: 'Ticket Type Name or ID',
		name: 'ticketTypeId',
		type: 'options',
		typeOptions: { loadOptionsMethod: 'getTicketTypes' },
		default: '',
		description:
			'Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
	},
	{
		displayName: 'User ID',
		name: 'userId',
		type: 'number',
		default: 0,
		description: 'The end user (contact) the ticket is for; 0 leaves it to Halo',
	},
];

const ID_FIELDS: Record<string, string> = {
	agentId: 'agent_id',
	priorityId: 'priority_id',
	siteId: 'site_id',
	statusId: 'status_id',
	teamId: 'team_id',
	ticketTypeId: 'tickettype_id',
	userId: 'user_id',
};

/**
 * Maps the node's ticket fields to Halo's ticket body (ids as integers, 0/empty = not set). Details
 * go to both `details` and `details_html`, so the body Halo shows never keeps an older text.
 */
export function toTicketBody(fields: IDataObject): IDataObject {
	const body = mapHaloIds(fields, ID_FIELDS);
	Object.assign(body, withoutEmpty({ summary: fields.summary, details: fields.details }));
	if (typeof body.details === 'string') body.details_html = toHtmlBody(body.details);
	const customFields = toCustomFields(fields.customFields as IDataObject | undefined);
	if (customFields) body.customfields = customFields;
	return body;
}
