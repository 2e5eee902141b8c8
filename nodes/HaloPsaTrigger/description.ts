import type { INodeProperties } from 'n8n-workflow';

import { eventOptions } from './events';

export const triggerProperties: INodeProperties[] = [
	{
		displayName: 'Registration',
		name: 'registration',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'Automatic',
				value: 'automatic',
				description:
					'The node creates the HaloPSA webhook when the workflow is published and deletes it when unpublished (needs the admin:webhooks scope)',
			},
			{
				name: 'Manual',
				value: 'manual',
				description: 'You create the webhook in HaloPSA yourself and paste the URL and credentials shown here',
			},
		],
		default: 'automatic',
	},
	{
		displayName:
			'The node registers its own webhook in HaloPSA with generated Basic credentials. The credential\'s API application needs the <b>admin:webhooks</b> scope (HaloPSA: Configuration > Integrations > Halo API > your application > Permissions).',
		name: 'automaticNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { registration: ['automatic'] } },
	},
	{
		displayName:
			'In HaloPSA (Configuration > Integrations > Webhooks) create a webhook with the Production URL above (with Use Path Secret on, replace <b>:secret</b> with the Path Secret), method POST, Basic authentication with the username and password of the Webhook Auth credential, and the events you want (Events below, when chosen, keep only those).',
		name: 'manualNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { registration: ['manual'] } },
	},
	{
		displayName: 'Events',
		name: 'events',
		type: 'multiOptions',
		options: eventOptions,
		default: [],
		description:
			'The HaloPSA events that start the workflow, registered by their HaloPSA event number. With Manual registration they keep only these events of the webhook (none chosen keeps every event).',
	},
	{
		displayName: 'Custom Events',
		name: 'customEvents',
		type: 'fixedCollection',
		placeholder: 'Add Custom Event',
		typeOptions: { multipleValues: true },
		default: {},
		description:
			'Other HaloPSA events (Action Added, client, user, asset or contract events, ...): HaloPSA documents no number for them, so give the number your HaloPSA uses',
		options: [
			{
				displayName: 'Event',
				name: 'event',
				values: [
					{
						displayName: 'Event Name',
						name: 'name',
						type: 'string',
						required: true,
						default: '',
						placeholder: 'e.g. Action Added',
						description: 'The event name as HaloPSA shows it; deliveries are matched to it without regard to case, spacing or a leading "New"',
					},
					{
						displayName: 'Event Number',
						name: 'eventNumber',
						type: 'number',
						required: true,
						default: 0,
						description:
							"HaloPSA's number for the event: add the event to a webhook in HaloPSA, then read GET /Webhook with the HaloPSA Automation node's Custom API Call (events[].eventno)",
					},
				],
			},
		],
	},
	{
		displayName: 'Use Path Secret',
		name: 'usePathSecret',
		type: 'boolean',
		// It decides the webhook's URL, which n8n registers before any item exists.
		noDataExpression: true,
		default: false,
		description:
			'Whether HaloPSA must also put the Path Secret of the credential at the end of the URL it calls (the Production URL then ends in :secret)',
		displayOptions: { show: { registration: ['manual'] } },
	},
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: [
			{
				displayName: 'Client IDs',
				name: 'clientIds',
				type: 'string',
				default: '',
				placeholder: 'e.g. 12, 40',
				description: 'Keep only events for these clients (comma-separated numeric IDs; anything else fails the publish)',
			},
			{
				displayName: 'Ticket Type Names or IDs',
				name: 'ticketTypeIds',
				type: 'multiOptions',
				typeOptions: { loadOptionsMethod: 'getTicketTypes' },
				default: [],
				description:
					'Keep only events on tickets of these types. Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
			},
			{
				displayName: 'Visibility',
				name: 'visibility',
				type: 'options',
				options: [
					{ name: 'Any', value: 'any' },
					{ name: 'Customer-Visible Only', value: 'customerVisible', description: 'Keep only actions the end user can see' },
					{ name: 'Internal Only', value: 'internal', description: 'Keep only actions hidden from the end user' },
				],
				default: 'any',
				description: 'Which actions to keep; events that carry no action are dropped when this is not Any',
			},
			{
				displayName: 'Written By',
				name: 'writtenBy',
				type: 'options',
				options: [
					{ name: 'Agent', value: 'agent' },
					{ name: 'Anyone', value: 'any' },
					{ name: 'End User', value: 'endUser' },
				],
				default: 'any',
				description: 'Who wrote the action; events that carry no action are dropped when this is not Anyone',
			},
		],
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Complete Event-Only Payloads',
				name: 'completeEventOnly',
				type: 'boolean',
				default: true,
				description:
					'Whether to fetch the ticket, action or record through the API when HaloPSA sent only the event information. The look-ups get 3 seconds per call so HaloPSA is answered in time; an item they could not complete has completedFromApi false and the reason in completionError.',
			},
			{
				displayName: 'Include Raw Payload',
				name: 'includeRawPayload',
				type: 'boolean',
				default: false,
				description: 'Whether to add the delivery exactly as HaloPSA sent it under "payload"',
			},
		],
	},
];
