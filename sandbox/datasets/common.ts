import type {
	Agent,
	ApiApplication,
	AssetType,
	ContractType,
	Dataset,
	Outcome,
	Priority,
	Status,
	Team,
	TicketType,
} from '../types';

/**
 * What every dataset has: the demo API applications of ARCHITECTURE.md with one API agent each,
 * and the tenant's lookups (teams, statuses, ticket types, priorities, outcomes, types).
 */

export const demoApplications: ApiApplication[] = [
	{ clientId: 'sandbox-demo-client', clientSecret: 'sandbox-demo-secret', scopes: ['all'], agentId: 1, name: 'Sandbox Demo' },
	{
		clientId: 'sandbox-ticketing-client',
		clientSecret: 'sandbox-ticketing-secret',
		scopes: ['all:standard', 'all:teams', 'admin:webhooks'],
		agentId: 2,
		name: 'Ticketing Automation',
	},
	{
		clientId: 'sandbox-nowebhooks-client',
		clientSecret: 'sandbox-nowebhooks-secret',
		scopes: ['all:standard', 'all:teams'],
		agentId: 3,
		name: 'No Webhooks',
	},
	{
		clientId: 'sandbox-readonly-client',
		clientSecret: 'sandbox-readonly-secret',
		scopes: ['read:contracts', 'read:invoices', 'read:items', 'read:assets', 'read:software', 'read:tickets', 'read:customers'],
		agentId: 4,
		name: 'Read Only Reporting',
	},
	{ clientId: 'sandbox-restricted-client', clientSecret: 'sandbox-restricted-secret', scopes: ['all'], agentId: 5, name: 'Restricted' },
];

export const teams: Team[] = [
	{ id: 1, name: 'Service Desk', inactive: false },
	{ id: 2, name: 'Projects', inactive: false },
	{ id: 3, name: 'Security Operations', inactive: false },
	{ id: 4, name: 'Automation', inactive: false },
	{ id: 5, name: 'Legacy Support', inactive: true },
];

export const statuses: Status[] = [
	{ id: 1, name: 'New', shortname: 'New', colour: '#2e86de', sequence: 1, closes: false },
	{ id: 2, name: 'In Progress', shortname: 'InProg', colour: '#f39c12', sequence: 2, closes: false },
	{ id: 3, name: 'Waiting on Customer', shortname: 'WaitCust', colour: '#8e44ad', sequence: 3, closes: false },
	{ id: 4, name: 'Waiting on Supplier', shortname: 'WaitSupp', colour: '#95a5a6', sequence: 4, closes: false },
	{ id: 5, name: 'Scheduled', shortname: 'Sched', colour: '#16a085', sequence: 5, closes: false },
	{ id: 6, name: 'Customer Replied', shortname: 'Replied', colour: '#e67e22', sequence: 6, closes: false },
	{ id: 9, name: 'Closed', shortname: 'Closed', colour: '#7f8c8d', sequence: 9, closes: true },
];

export const closedStatusId = 9;

export const ticketTypes: TicketType[] = [
	{ id: 1, name: 'Incident', inactive: false },
	{ id: 2, name: 'Service Request', inactive: false },
	{ id: 3, name: 'Problem', inactive: false },
	{ id: 4, name: 'Change Request', inactive: false },
	{ id: 5, name: 'Security Alert', inactive: false },
	{ id: 6, name: 'Legacy Request', inactive: true },
];

export const priorities: Priority[] = [
	{ id: 1, name: 'Critical', colour: '#c0392b', responsetime: 0.5, fixtime: 4 },
	{ id: 2, name: 'High', colour: '#e67e22', responsetime: 1, fixtime: 8 },
	{ id: 3, name: 'Medium', colour: '#f1c40f', responsetime: 4, fixtime: 24 },
	{ id: 4, name: 'Low', colour: '#27ae60', responsetime: 8, fixtime: 72 },
];

export const contractTypes: ContractType[] = [
	{ id: 1, name: 'Managed Security' },
	{ id: 2, name: 'Managed Services' },
	{ id: 3, name: 'Break Fix' },
	{ id: 4, name: 'Project Block Hours' },
];

export const assetTypes: AssetType[] = [
	{ id: 1, name: 'Workstation' },
	{ id: 2, name: 'Server' },
	{ id: 3, name: 'Laptop' },
	{ id: 4, name: 'Firewall' },
	{ id: 5, name: 'Switch' },
];

const topLevels = new Map([
	[1, 'Managed Customers'],
	[2, 'Ad-hoc Customers'],
]);

export function topLevelName(id: number): string {
	return topLevels.get(id) ?? '';
}

/** The outcome names; `Restricted Action` is denied to the restricted application's agent. */
export const outcomeNames = {
	note: 'Note',
	privateNote: 'Private Note',
	emailUser: 'Email User',
	closeTicket: 'Close Ticket',
	emailReceived: 'Email Received',
	requestInformation: 'Request Information',
	chatReply: 'Chat Reply',
	chatInternalRemark: 'Chat Internal Remark',
	chatEmail: 'Chat Email',
	restricted: 'Restricted Action',
} as const;

/**
 * Outcomes with ids spread from `firstId` on: outcome ids differ between tenants, so callers
 * must pick them by name or from `GET /Outcome`, never from ids baked into code.
 */
export function outcomesFrom(firstId: number, step: number): Outcome[] {
	const rows: Array<Omit<Outcome, 'id'>> = [
		{ outcome: outcomeNames.note, buttonname: 'Add Note', hidefromuser: false, sendemail: false, newstatus: 0 },
		{ outcome: outcomeNames.privateNote, buttonname: 'Private Note', hidefromuser: true, sendemail: false, newstatus: 0 },
		{ outcome: outcomeNames.emailUser, buttonname: 'Email User', hidefromuser: false, sendemail: true, newstatus: 0 },
		{ outcome: outcomeNames.closeTicket, buttonname: 'Close', hidefromuser: false, sendemail: false, newstatus: closedStatusId },
		{ outcome: outcomeNames.emailReceived, buttonname: 'Email Received', hidefromuser: false, sendemail: false, newstatus: 0 },
		{ outcome: outcomeNames.requestInformation, buttonname: 'Request Info', hidefromuser: false, sendemail: true, newstatus: 3 },
		{ outcome: outcomeNames.chatReply, buttonname: 'Chat Reply', hidefromuser: false, sendemail: false, newstatus: 0 },
		{ outcome: outcomeNames.chatInternalRemark, buttonname: 'Chat Remark', hidefromuser: true, sendemail: false, newstatus: 0 },
		{ outcome: outcomeNames.chatEmail, buttonname: 'Chat Email', hidefromuser: false, sendemail: true, newstatus: 0 },
		{ outcome: outcomeNames.restricted, buttonname: 'Restricted', hidefromuser: true, sendemail: false, newstatus: 0 },
	];
	return rows.map((row, index) => ({ id: firstId + index * step, ...row }));
}

/** One API agent per application, plus the service desk's people. */
export function agentsFor(outcomes: Outcome[]): Agent[] {
	const restrictedOutcome = outcomes.find((outcome) => outcome.outcome === outcomeNames.restricted);
	const apiAgent = (id: number, name: string, denied: number[] = []): Agent => ({
		id,
		name: `API - ${name}`,
		email: `api-${id}@sandbox.halo.local`,
		team_id: 4,
		isdisabled: false,
		is_api_agent: true,
		deniedOutcomeIds: denied,
	});
	const person = (id: number, name: string, teamId: number, isdisabled = false): Agent => ({
		id,
		name,
		email: `${name.toLowerCase().replace(/\s+/g, '.')}@brightpath-it.example`,
		team_id: teamId,
		isdisabled,
		is_api_agent: false,
		deniedOutcomeIds: [],
	});
	return [
		...demoApplications.map((application) =>
			apiAgent(application.agentId, application.name, application.agentId === 5 && restrictedOutcome ? [restrictedOutcome.id] : []),
		),
		person(10, 'Alex Morgan', 1),
		person(11, 'Priya Shah', 1),
		person(12, 'Jordan Lee', 2),
		person(13, 'Sam Carter', 3),
		person(14, 'Chris Doyle', 1, true),
	];
}

export const humanAgentIds = [10, 11, 12, 13];

/** The lookups and applications only: no clients, assets or tickets. */
export function emptyDataset(outcomes: Outcome[] = outcomesFrom(1, 1)): Dataset {
	return {
		// Copies, so one sandbox's changes never leak into another's data.
		applications: structuredClone(demoApplications),
		agents: agentsFor(outcomes),
		teams: structuredClone(teams),
		statuses: structuredClone(statuses),
		ticketTypes: structuredClone(ticketTypes),
		priorities: structuredClone(priorities),
		outcomes,
		clients: [],
		sites: [],
		users: [],
		contractTypes: structuredClone(contractTypes),
		contracts: [],
		items: [],
		invoices: [],
		assetTypes: structuredClone(assetTypes),
		assets: [],
		software: new Map(),
		tickets: [],
		actions: [],
	};
}
