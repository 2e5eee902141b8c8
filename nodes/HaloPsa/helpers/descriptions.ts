import type { INodeProperties } from 'n8n-workflow';

import { DEFAULT_MAX_RATE_LIMIT_WAIT_SECONDS } from '../../transport';

/**
 * Reusable field descriptions. They carry no resource/operation display options: each operation
 * adds its own with n8n's `updateDisplayOptions`.
 */

/** Goes into an operation's "Options" collection; the transport reads `options.maxRateLimitWaitSeconds`. */
export const maxRateLimitWaitOption: INodeProperties = {
	displayName: 'Max Rate-Limit Wait (Seconds)',
	name: 'maxRateLimitWaitSeconds',
	type: 'number',
	typeOptions: { minValue: 0 },
	default: DEFAULT_MAX_RATE_LIMIT_WAIT_SECONDS,
	description:
		"How long in total to wait for Halo's rate limit (300 requests per 5 minutes on hosted instances) to clear before failing. The budget is per input item and covers all of its requests (every page of a list, the checks after a failed write).",
};

/** The "Options" collection of operations whose only option is the rate-limit wait. */
export const rateLimitOptions: INodeProperties = {
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	options: [maxRateLimitWaitOption],
};

/** Goes into the "Options" of every write; read with helpers/idempotency.ts's readIdempotencyKey. */
export const idempotencyKeyOption: INodeProperties = {
	displayName: 'Idempotency Key',
	name: 'idempotencyKey',
	type: 'string',
	default: '',
	placeholder: 'e.g. {{ $json.deliveryId }}',
	description:
		'An ID that stays the same when this write is repeated (a Halo delivery ID, a chat message ID). The node first looks for a write with this key and, when it finds one, returns it and writes nothing. Give each write its own key.',
};

/** The "Options" collection of the ticket writes: the idempotency key and the rate-limit wait. */
export const writeOptions: INodeProperties = { ...rateLimitOptions, options: [idempotencyKeyOption, maxRateLimitWaitOption] };

export const returnAllAndLimit: INodeProperties[] = [
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 50,
		description: 'Max number of results to return',
		displayOptions: { show: { returnAll: [false] } },
	},
];

/** A required record ID typed by the user, e.g. the asset to get. */
export function recordIdField(name: string, displayName: string, description: string): INodeProperties {
	return {
		displayName,
		name,
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. 12',
		description,
	};
}

export const simplifyField: INodeProperties = {
	displayName: 'Simplify',
	name: 'simplify',
	type: 'boolean',
	default: true,
	description: 'Whether to return a simplified version of the response instead of the raw data',
};

/** The ticket resource locator: from the list, by ID, or by a ticket URL copied from Halo. */
export function ticketLocator(name = 'ticketId'): INodeProperties {
	return {
		displayName: 'Ticket',
		name,
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				typeOptions: { searchListMethod: 'searchTickets', searchable: true },
			},
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: '1234',
				validation: [
					{ type: 'regex', properties: { regex: '^\\s*\\d+\\s*$', errorMessage: 'A ticket ID is a whole number' } },
				],
			},
			{
				displayName: 'By URL',
				name: 'url',
				type: 'string',
				placeholder: 'https://yourcompany.halopsa.com/ticket?id=1234',
				validation: [
					{
						type: 'regex',
						properties: {
							regex: '^https?://.+[?&]id=\\d+.*$',
							errorMessage: 'Paste a ticket URL like https://yourcompany.halopsa.com/ticket?id=1234',
						},
					},
				],
				extractValue: { type: 'regex', regex: '[?&]id=(\\d+)' },
			},
		],
	};
}

/** The client resource locator: from the list or by ID. */
export function clientLocator(options: { name?: string; required?: boolean } = {}): INodeProperties {
	return {
		displayName: 'Client',
		name: options.name ?? 'clientId',
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: options.required ?? false,
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				typeOptions: { searchListMethod: 'searchClients', searchable: true },
			},
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: '12',
				validation: [
					{ type: 'regex', properties: { regex: '^\\s*\\d+\\s*$', errorMessage: 'A client ID is a whole number' } },
				],
			},
		],
	};
}

/** The outcome (Halo action type) picker: from the tenant's live list, by name or by ID. */
export function outcomeLocator(defaultName: string): INodeProperties {
	return {
		displayName: 'Outcome',
		name: 'outcome',
		type: 'resourceLocator',
		default: { mode: 'name', value: defaultName },
		description: `The Halo action (outcome) to record. Empty means the outcome named "${defaultName}".`,
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				typeOptions: { searchListMethod: 'searchOutcomes', searchable: true },
			},
			{ displayName: 'By Name', name: 'name', type: 'string', placeholder: defaultName },
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: '21',
				validation: [
					{ type: 'regex', properties: { regex: '^\\s*\\d+\\s*$', errorMessage: 'An outcome ID is a whole number' } },
				],
			},
		],
	};
}
