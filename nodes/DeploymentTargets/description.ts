import type { INodeProperties } from 'n8n-workflow';

const EXAMPLE_POLICIES = JSON.stringify(
	{
		policies: [
			{
				id: 'sentinelone-managed-security',
				software: 'SentinelOne',
				effect: 'deploy',
				conditions: {
					any: [
						{ fact: 'coverage', path: '$.client.contractTypes', operator: 'containsAny', value: ['Managed Security'] },
						{ fact: 'coverage', path: '$.asset.items', operator: 'containsAny', value: ['SentinelOne Complete'] },
					],
				},
				assetTypes: ['Workstation', 'Laptop', 'Server'],
				removeWhenCoverageEnds: true,
			},
			{
				id: 'no-sentinelone-on-firewalls',
				software: 'SentinelOne',
				effect: 'exclude',
				conditions: { all: [{ fact: 'asset', path: '$.typeName', operator: 'equalsIgnoreCase', value: 'Firewall' }] },
			},
		],
	},
	null,
	2,
);

const formPolicyFields: INodeProperties[] = [
	{
		displayName: 'Software',
		name: 'software',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. SentinelOne',
		description: 'The software to deploy; installed software whose name contains this text counts as installed',
	},
	{
		displayName: 'Effect',
		name: 'effect',
		type: 'options',
		options: [
			{ name: 'Deploy', value: 'deploy', description: 'Target the assets that have this coverage' },
			{ name: 'Exclude', value: 'exclude', description: 'Never target the assets that have this coverage; wins over Deploy' },
		],
		default: 'deploy',
	},
	{
		displayName: 'Covered By',
		name: 'coverageKind',
		type: 'options',
		options: [
			{ name: 'Contract Type', value: 'contractType' },
			{ name: 'Recurring Invoice Item', value: 'recurringItem' },
		],
		default: 'contractType',
	},
	{
		displayName: 'Contract Types',
		name: 'contractTypes',
		type: 'string',
		default: '',
		placeholder: 'e.g. Managed Security, Premium Support',
		description: 'Comma-separated contract type names (any case) or IDs; a contract counts while it is in force',
		displayOptions: { show: { coverageKind: ['contractType'] } },
	},
	{
		displayName: 'Recurring Items',
		name: 'items',
		type: 'string',
		default: '',
		placeholder: 'e.g. SentinelOne Complete, HUNTRESS-EDR',
		description: 'Comma-separated item names, internal references or IDs billed on in-force recurring invoice lines',
		displayOptions: { show: { coverageKind: ['recurringItem'] } },
	},
	{
		displayName: 'Coverage Scope',
		name: 'coverageScope',
		type: 'options',
		options: [
			{ name: 'Client-Wide', value: 'client', description: "Every asset of a client whose contracts, or invoice lines without an asset, carry the coverage" },
			{ name: 'Asset-Linked Only', value: 'asset', description: 'Only assets linked to the contract, or named on the invoice line' },
			{
				name: 'Contract-Linked (Machines on a Contract Whose Recurring Invoice Carries the Item)',
				value: 'contract',
				description: "Recurring items only: the assets on a contract whose recurring invoice bills the item on a line without an asset",
			},
		],
		default: 'client',
	},
	{
		displayName: 'Asset Types',
		name: 'assetTypes',
		type: 'string',
		default: '',
		placeholder: 'e.g. Workstation, Laptop',
		description: 'Comma-separated asset type names or IDs the policy is limited to; empty means every type',
	},
	{
		displayName: 'Excluded Clients',
		name: 'excludedClients',
		type: 'string',
		default: '',
		placeholder: 'e.g. Globex, 42',
		description: 'Comma-separated client names or IDs the policy never applies to',
	},
	{
		displayName: 'Remove When Coverage Ends',
		name: 'removeWhenCoverageEnds',
		type: 'boolean',
		default: false,
		description:
			'Whether to plan a removal where the software is installed but the asset is no longer covered (for Exclude: where the asset is excluded)',
	},
];

export const properties: INodeProperties[] = [
	{
		displayName: 'Data Source',
		name: 'dataSource',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'HaloPSA',
				value: 'halo',
				description: 'Load clients, contracts, recurring invoices, items and assets through the credential',
			},
			{
				name: 'Input Items',
				value: 'input',
				description: 'Each input item holds a snapshot: { clients, contracts, invoices, items, assets, installedSoftware }',
			},
		],
		default: 'halo',
	},
	{
		displayName: 'Snapshot Field',
		name: 'snapshotField',
		type: 'string',
		default: '',
		placeholder: 'e.g. snapshot',
		description: 'The field of the input item that holds the snapshot; empty means the whole item',
		displayOptions: { show: { dataSource: ['input'] } },
	},
	{
		displayName: 'Load Installed Software',
		name: 'includeInstalledSoftware',
		type: 'boolean',
		default: false,
		description:
			'Whether to load installed software (one request per asset) so the plan can say install, remove or compliant',
		displayOptions: { show: { dataSource: ['halo'] } },
	},
	{
		displayName: 'Installed Software Of',
		name: 'installedSoftwareFor',
		type: 'options',
		options: [
			{
				name: 'Assets a Decision Needs',
				value: 'needed',
				description:
					'Targeted assets, assets a removal policy reaches, and assets a policy testing installed software reaches; the others show unknown (nothing to install or remove there either way)',
			},
			{
				name: 'Every Asset',
				value: 'all',
				description: 'One request per asset; assets no policy targets show compliant or unmanaged (installed without coverage)',
			},
		],
		default: 'needed',
		displayOptions: { show: { dataSource: ['halo'], includeInstalledSoftware: [true] } },
	},
	{
		displayName: 'Client IDs',
		name: 'clientIds',
		type: 'string',
		default: '',
		placeholder: 'e.g. 12, 15',
		description: 'Comma-separated client IDs to plan for; empty means every client',
		displayOptions: { show: { dataSource: ['halo'] } },
	},
	{
		displayName: 'Policies From',
		name: 'policySource',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Form', value: 'form', description: 'Software by contract type or recurring item' },
			{ name: 'JSON', value: 'json', description: 'Policies with any conditions over client, asset, coverage and installed software' },
		],
		default: 'form',
	},
	{
		displayName: 'Policies',
		name: 'formPolicies',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Policy',
		default: {},
		displayOptions: { show: { policySource: ['form'] } },
		options: [{ displayName: 'Policy', name: 'policy', values: formPolicyFields }],
	},
	{
		displayName: 'Policies (JSON)',
		name: 'policiesJson',
		type: 'json',
		default: EXAMPLE_POLICIES,
		description: 'A list of policies or { "policies": [...] }; see the package README for every fact, path and operator',
		displayOptions: { show: { policySource: ['json'] } },
	},
	{
		displayName: 'Output',
		name: 'output',
		type: 'options',
		options: [
			{ name: 'Changes', value: 'changes', description: 'One item per install or removal' },
			{ name: 'Assets', value: 'assets', description: 'One item per asset with its decision for every software' },
			{ name: 'Software', value: 'software', description: 'One item per software with counts' },
			{
				name: 'Licence Reconciliation',
				value: 'reconciliation',
				description: 'Per software keyed on a recurring item and licence pool (client, contract or asset): targeted assets against billed quantity',
			},
		],
		default: 'changes',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Include Inactive Assets',
				name: 'includeInactiveAssets',
				type: 'boolean',
				default: false,
				description: 'Whether to plan for assets HaloPSA flags inactive',
			},
			{
				displayName: 'Include Summary Item',
				name: 'includeSummary',
				type: 'boolean',
				default: true,
				description: 'Whether the first output item is a dry-run summary of the whole plan',
			},
			{
				displayName: 'Plan Date',
				name: 'planDate',
				type: 'dateTime',
				default: '',
				description: 'The day coverage is checked on; empty means today in the time zone below',
			},
			{
				displayName: 'Time Zone',
				name: 'timeZone',
				type: 'string',
				default: '',
				placeholder: 'e.g. Europe/London',
				description:
					"IANA time zone HaloPSA dates and the plan day are read in; empty means the workflow's time zone, as the HaloPSA node's In Force On filter uses",
			},
		],
	},
];
