import { dayMs, haloDate, startOfDay } from '../dates';
import { dotNetError } from '../http';
import { intBetween, pick, seededRandom } from '../random';
import type { Action, Asset, Contract, Dataset, InvoiceLine, Item, RecurringInvoice, Software, Ticket, User } from '../types';
import { integerSetting, maxSeed, objectSetting } from '../validation';
import { closedStatusId, emptyDataset, humanAgentIds, outcomeNames, outcomesFrom, statuses } from './common';

/** Size knobs of the seeded generator; the same options and reference day give the same data. */
export interface GenerateOptions {
	seed?: number;
	clients?: number;
	sitesPerClient?: number;
	usersPerSite?: number;
	contractsPerClient?: number;
	assets?: number;
	/** Average installed software rows per asset. */
	softwarePerAsset?: number;
	tickets?: number;
	/** Average actions per ticket. */
	actionsPerTicket?: number;
	/** Invoice lines tied to individual assets, at most this many per contract. */
	assetLinesPerContract?: number;
}

export const defaultGenerateOptions: Required<GenerateOptions> = {
	seed: 1,
	clients: 200,
	sitesPerClient: 2,
	usersPerSite: 4,
	contractsPerClient: 2,
	assets: 5000,
	softwarePerAsset: 4,
	tickets: 1000,
	actionsPerTicket: 3,
	assetLinesPerContract: 10,
};

/**
 * The largest dataset the generator makes: well past the 100k assets and 10k tickets the
 * benchmarks use, well short of exhausting memory on a small machine.
 */
const generateMaxima: Required<GenerateOptions> = {
	seed: maxSeed,
	clients: 50000,
	sitesPerClient: 20,
	usersPerSite: 100,
	contractsPerClient: 20,
	assets: 250000,
	softwarePerAsset: 20,
	tickets: 100000,
	actionsPerTicket: 20,
	assetLinesPerContract: 1000,
};

const totalMaxima: Array<[string, (options: Required<GenerateOptions>) => number, number]> = [
	['users (clients x sitesPerClient x usersPerSite)', (o) => o.clients * o.sitesPerClient * o.usersPerSite, 500000],
	['contracts (clients x contractsPerClient)', (o) => o.clients * o.contractsPerClient, 200000],
	['software rows (assets x softwarePerAsset)', (o) => o.assets * o.softwarePerAsset, 1500000],
	['actions (tickets x actionsPerTicket)', (o) => o.tickets * o.actionsPerTicket, 1000000],
];

/** Checks generator options (each a non-negative integer up to its maximum): 400 naming what is wrong. */
function validateGenerateOptions(input: unknown): GenerateOptions {
	const keys = Object.keys(defaultGenerateOptions) as Array<keyof GenerateOptions>;
	const fields = objectSetting(input, 'dataset (generator options)', keys);
	const options: GenerateOptions = {};
	for (const key of keys) {
		if (fields[key] !== undefined) options[key] = integerSetting(fields[key], `dataset.${key}`, 0, generateMaxima[key]);
	}
	const merged = { ...defaultGenerateOptions, ...options };
	for (const [what, total, maximum] of totalMaxima) {
		if (total(merged) > maximum) throw dotNetError(400, `dataset: too many ${what}: ${total(merged)} (at most ${maximum})`, 'System.ArgumentException');
	}
	return options;
}

const companyWords = ['Apex', 'Blue', 'Cedar', 'Delta', 'Ember', 'Falcon', 'Granite', 'Harbor', 'Iron', 'Juniper', 'Kestrel', 'Lumen', 'Maple', 'North', 'Orchid', 'Pioneer', 'Quarry', 'River', 'Summit', 'Thistle', 'Union', 'Vale', 'Willow', 'Yarrow'];
const companyKinds = ['Dental', 'Legal', 'Engineering', 'Logistics', 'Accountants', 'Architects', 'Veterinary', 'Clinic', 'Foods', 'Motors', 'Property', 'Charity', 'Academy', 'Studios'];
const companySuffixes = ['Ltd', 'LLP', 'Group', 'Partners', 'Co', 'Trust'];
const siteNames = ['Head Office', 'Branch', 'Warehouse', 'Clinic', 'Studio', 'Depot', 'Annex'];
const firstNames = ['Emma', 'Oliver', 'Ava', 'Noah', 'Isla', 'Leo', 'Mia', 'Jack', 'Ella', 'Harry', 'Sofia', 'Arthur', 'Grace', 'Oscar', 'Freya', 'Theo', 'Lily', 'Finn', 'Zara', 'Alfie'];
const lastNames = ['Smith', 'Jones', 'Taylor', 'Brown', 'Williams', 'Wilson', 'Johnson', 'Davies', 'Patel', 'Wright', 'Walker', 'Khan', 'Green', 'Hall', 'Clarke', 'Wood', 'Lewis', 'Hughes', 'Evans', 'Turner'];
const ticketSummaries = ['Cannot print', 'Outlook keeps asking for a password', 'New starter setup', 'VPN will not connect', 'Laptop running slowly', 'Shared drive missing', 'Security alert on endpoint', 'Password reset', 'Teams calls dropping', 'Install requested software', 'Backup job failed', 'Firewall firmware update'];
const softwareCatalog: Array<[string, string[]]> = [
	['Microsoft Windows 11 Pro', ['22H2', '23H2']],
	['Microsoft Windows 10 Pro', ['21H2', '22H2']],
	['Microsoft 365 Apps for business', ['16.0.16827', '16.0.17328']],
	['Google Chrome', ['123.0.6312.122', '124.0.6367.91']],
	['Mozilla Firefox', ['124.0.2', '125.0.1']],
	['SentinelOne Agent', ['23.3.3.264', '23.4.2.14']],
	['Huntress Agent', ['0.13.12', '0.14.8']],
	['Adobe Acrobat Reader', ['23.008.20533', '24.001.20643']],
	['7-Zip', ['23.01', '24.05']],
	['Zoom Workplace', ['6.0.2', '6.0.11']],
];

const catalogue: Array<Omit<Item, 'id'>> = [
	{ internalreference: 'S1-CORE', name: 'SentinelOne Singularity Core', isrecurringitem: true, inactive: false, baseprice: 4.5, costprice: 2.1 },
	{ internalreference: 'S1-CONTROL', name: 'SentinelOne Singularity Control', isrecurringitem: true, inactive: false, baseprice: 6, costprice: 3.2 },
	{ internalreference: 'HUNTRESS-EDR', name: 'Huntress Managed EDR', isrecurringitem: true, inactive: false, baseprice: 3.75, costprice: 1.9 },
	{ internalreference: 'M365-BP', name: 'Microsoft 365 Business Premium', isrecurringitem: true, inactive: false, baseprice: 22, costprice: 18.1 },
	{ internalreference: 'BACKUP-SRV', name: 'Server Backup (per server)', isrecurringitem: true, inactive: false, baseprice: 35, costprice: 12 },
	{ internalreference: 'MS-WS', name: 'Managed Workstation', isrecurringitem: true, inactive: false, baseprice: 45, costprice: 0 },
	{ internalreference: 'LAB-HOUR', name: 'Remote Support Hour', isrecurringitem: false, inactive: false, baseprice: 95, costprice: 0 },
	{ internalreference: 'AV-LEGACY', name: 'Legacy Antivirus', isrecurringitem: true, inactive: true, baseprice: 2.5, costprice: 1 },
	{ internalreference: 'FW-MGMT', name: 'Managed Firewall', isrecurringitem: true, inactive: false, baseprice: 60, costprice: 0 },
];

/** Items billed per contract type (1 Managed Security, 2 Managed Services, 3 Break Fix). */
const itemsByContractType: Record<number, number[]> = { 1: [1, 2, 3], 2: [6, 4, 5, 9], 3: [7] };
const assetTypeWeights = [1, 1, 1, 1, 1, 3, 3, 2, 4, 5];

/** A deterministic MSP of any size: 100k assets and 10k tickets take a few seconds. */
export function generateDataset(options: GenerateOptions, referenceTime: number): Dataset {
	const merged = { ...defaultGenerateOptions, ...validateGenerateOptions(options) };
	// Every client has at least one site with one user, so tickets always have a contact.
	const settings = {
		...merged,
		clients: Math.max(1, Math.floor(merged.clients)),
		sitesPerClient: Math.max(1, Math.floor(merged.sitesPerClient)),
		usersPerSite: Math.max(1, Math.floor(merged.usersPerSite)),
	};
	const random = seededRandom(settings.seed);
	// Another tenant, other outcome ids: clients must look outcomes up by name.
	const data = emptyDataset(outcomesFrom(100 + (settings.seed % 50) * 10, 3));
	const today = startOfDay(referenceTime);
	const date = (days: number) => haloDate(today + days * dayMs);

	data.items = catalogue.map((item, index) => ({ id: index + 1, ...item }));

	const usersByClient: User[][] = [];
	const contractsByClient: Contract[][] = [];
	for (let clientId = 1; clientId <= settings.clients; clientId++) {
		const name = `${pick(random, companyWords)} ${pick(random, companyKinds)} ${pick(random, companySuffixes)} ${clientId}`;
		const domain = `client${clientId}.example`;
		data.clients.push({
			id: clientId,
			name,
			inactive: random() < 0.05,
			toplevel_id: random() < 0.8 ? 1 : 2,
			toplevel_name: '',
			website: domain,
		});
		const clientUsers: User[] = [];
		for (let s = 0; s < settings.sitesPerClient; s++) {
			const siteId = data.sites.length + 1;
			data.sites.push({
				id: siteId,
				name: s === 0 ? 'Head Office' : `${pick(random, siteNames)} ${s}`,
				client_id: clientId,
				inactive: s > 0 && random() < 0.05,
				phonenumber: `01${intBetween(random, 100, 999)} ${intBetween(random, 100000, 999999)}`,
				address: `${intBetween(random, 1, 200)} ${pick(random, companyWords)} Road`,
			});
			for (let u = 0; u < settings.usersPerSite; u++) {
				const firstname = pick(random, firstNames);
				const surname = pick(random, lastNames);
				const user: User = {
					id: data.users.length + 1,
					name: `${firstname} ${surname}`,
					firstname,
					surname,
					emailaddress: `${firstname}.${surname}${data.users.length + 1}@${domain}`.toLowerCase(),
					phonenumber: `07700 ${intBetween(random, 100000, 999999)}`,
					client_id: clientId,
					site_id: siteId,
					inactive: random() < 0.05,
				};
				data.users.push(user);
				clientUsers.push(user);
			}
		}
		usersByClient[clientId] = clientUsers;
		const clientContracts: Contract[] = [];
		for (let c = 0; c < settings.contractsPerClient; c++) {
			const type = c === 0 ? 1 : pick(random, [1, 2, 2, 3]);
			const shape = random();
			// Mostly running contracts, some expired (and renewed), some not started yet.
			const startDay = shape < 0.7 ? -intBetween(random, 30, 600) : shape < 0.85 ? -intBetween(random, 500, 900) : intBetween(random, 5, 60);
			const endDay = shape < 0.7 ? intBetween(random, 30, 400) : shape < 0.85 ? -intBetween(random, 1, 120) : startDay + 365;
			const contract: Contract = {
				id: data.contracts.length + 1,
				client_id: clientId,
				site_id: data.sites[data.sites.length - settings.sitesPerClient].id,
				ref: `C${clientId}-${['MSEC', 'MSP', 'BF'][type - 1]}-${c + 1}`,
				start_date: date(startDay),
				end_date: date(endDay),
				active: random() >= 0.08,
				contracttype: type,
				renewed: endDay < 0 && random() < 0.6,
			};
			data.contracts.push(contract);
			clientContracts.push(contract);
		}
		contractsByClient[clientId] = clientContracts;
	}

	const assetsByContract = new Map<number, Asset[]>();
	const assetsByClient: Asset[][] = [];
	const typeCounters = new Map<number, number>();
	let softwareId = 0;
	for (let assetId = 1; assetId <= settings.assets; assetId++) {
		const clientId = 1 + Math.floor(random() * settings.clients);
		const assettypeId = pick(random, assetTypeWeights);
		const number = (typeCounters.get(assettypeId) ?? 0) + 1;
		typeCounters.set(assettypeId, number);
		const clientContracts = contractsByClient[clientId];
		const contractIds: number[] = [];
		if (clientContracts.length > 0 && random() < 0.85) contractIds.push(pick(random, clientContracts).id);
		if (clientContracts.length > 1 && random() < 0.2) {
			const second = pick(random, clientContracts).id;
			if (!contractIds.includes(second)) contractIds.push(second);
		}
		const siteOffset = intBetween(random, 0, settings.sitesPerClient - 1);
		const asset: Asset = {
			id: assetId,
			inventory_number: `A${String(assetId).padStart(6, '0')}`,
			key_field: `C${clientId}-${['WS', 'SRV', 'LT', 'FW', 'SW'][assettypeId - 1]}-${number}`,
			client_id: clientId,
			site_id: (clientId - 1) * settings.sitesPerClient + 1 + siteOffset,
			assettype_id: assettypeId,
			inactive: random() < 0.04,
			contract_ids: contractIds,
		};
		data.assets.push(asset);
		(assetsByClient[clientId] ??= []).push(asset);
		for (const contractId of contractIds) {
			const list = assetsByContract.get(contractId) ?? [];
			list.push(asset);
			assetsByContract.set(contractId, list);
		}
		if (assettypeId === 1 || assettypeId === 2 || assettypeId === 3) {
			const count = intBetween(random, Math.max(0, settings.softwarePerAsset - 2), settings.softwarePerAsset + 2);
			const installed: Software[] = [];
			for (let s = 0; s < count; s++) {
				const [name, versions] = softwareCatalog[(assetId + s * 3) % softwareCatalog.length];
				installed.push({ id: ++softwareId, name, version: pick(random, versions) });
			}
			data.software.set(assetId, installed);
		}
	}

	let lineId = 0;
	for (const contract of data.contracts) {
		const itemIds = itemsByContractType[contract.contracttype];
		if (contract.contracttype === 3 && random() < 0.7) continue;
		const invoiceId = data.invoices.length + 1;
		const contractAssets = assetsByContract.get(contract.id) ?? [];
		const lines: InvoiceLine[] = [];
		const line = (itemId: number, qty: number, fields: Partial<InvoiceLine> = {}): InvoiceLine => ({
			id: ++lineId,
			ihid: invoiceId,
			item_id: itemId,
			qty_order: qty,
			unit_price: data.items[itemId - 1].baseprice,
			asset_id: 0,
			contract_id: contract.id,
			startdate: contract.start_date,
			enddate: null,
			isinactive: false,
			...fields,
		});
		const mainItem = pick(random, itemIds);
		for (const asset of contractAssets.slice(0, settings.assetLinesPerContract)) lines.push(line(mainItem, 1, { asset_id: asset.id }));
		for (const itemId of itemIds) {
			if (random() < 0.5) continue;
			const shape = random();
			lines.push(
				line(itemId, intBetween(random, 1, 40), {
					isinactive: shape < 0.1,
					enddate: shape >= 0.1 && shape < 0.2 ? date(-intBetween(random, 1, 60)) : null,
					startdate: shape >= 0.2 && shape < 0.3 ? date(intBetween(random, 1, 60)) : contract.start_date,
				}),
			);
		}
		const invoice: RecurringInvoice = {
			id: invoiceId,
			client_id: contract.client_id,
			contract_id: contract.id,
			disabled: random() < 0.1,
			invoice_date: date(-intBetween(random, 0, 27)),
			lines,
		};
		data.invoices.push(invoice);
	}
	for (const client of data.clients) client.toplevel_name = client.toplevel_id === 1 ? 'Managed Customers' : 'Ad-hoc Customers';

	const outcomeByName = new Map(data.outcomes.map((outcome) => [outcome.outcome, outcome]));
	const actionOutcomes = [outcomeNames.note, outcomeNames.privateNote, outcomeNames.emailUser, outcomeNames.emailReceived].map(
		(name) => outcomeByName.get(name)!,
	);
	const statusIds = statuses.map((status) => status.id);
	const agentsById = new Map(data.agents.map((agent) => [agent.id, agent]));
	// Tickets' assets come from a PRNG of their own, so adding them left every other generated value as it was.
	const assetRandom = seededRandom(settings.seed ^ 0x5a17ed);
	const ticketAssets = (clientId: number): number[] => {
		const candidates = assetsByClient[clientId] ?? [];
		if (candidates.length === 0 || assetRandom() < 0.4) return [];
		const first = pick(assetRandom, candidates).id;
		const second = assetRandom() < 0.2 ? pick(assetRandom, candidates).id : first;
		return second === first ? [first] : [first, second].sort((a, b) => a - b);
	};
	for (let ticketId = 1; ticketId <= settings.tickets; ticketId++) {
		const clientId = 1 + Math.floor(random() * settings.clients);
		const user = pick(random, usersByClient[clientId]);
		const statusId = pick(random, statusIds);
		const daysAgo = intBetween(random, 0, 365);
		const agentId = random() < 0.8 ? pick(random, humanAgentIds) : 0;
		const ticket: Ticket = {
			id: ticketId,
			summary: pick(random, ticketSummaries),
			details: `Reported by ${user.name}.`,
			details_html: `<p>Reported by ${user.name}.</p>`,
			client_id: clientId,
			site_id: user.site_id,
			user_id: user.id,
			status_id: statusId,
			tickettype_id: intBetween(random, 1, 5),
			priority_id: intBetween(random, 1, 4),
			agent_id: agentId,
			team_id: agentId ? (agentsById.get(agentId)?.team_id ?? 1) : 1,
			contract_id: contractsByClient[clientId][0]?.id ?? 0,
			asset_ids: ticketAssets(clientId),
			dateoccurred: date(-daysAgo),
			last_update: date(-Math.max(0, daysAgo - intBetween(random, 0, 10))),
			hasbeenclosed: statusId === closedStatusId,
			customfields: [],
		};
		data.tickets.push(ticket);
		const actionCount = intBetween(random, 0, settings.actionsPerTicket * 2);
		for (let a = 0; a < actionCount; a++) {
			const outcome = pick(random, actionOutcomes);
			const fromUser = outcome.outcome === outcomeNames.emailReceived;
			const agent = agentsById.get(agentId || humanAgentIds[0])!;
			const action: Action = {
				id: data.actions.length + 1,
				ticket_id: ticketId,
				outcome_id: outcome.id,
				outcome: outcome.outcome,
				note: fromUser ? 'Thanks, any update on this?' : `Update ${a + 1} on the issue.`,
				note_html: fromUser ? '<p>Thanks, any update on this?</p>' : `<p>Update ${a + 1} on the issue.</p>`,
				hiddenfromuser: outcome.hidefromuser,
				who: fromUser ? user.name : agent.name,
				who_type: fromUser ? 2 : 1,
				who_agentid: fromUser ? 0 : agent.id,
				datetime: ticket.last_update,
				sendemail: outcome.sendemail,
				emailto: outcome.sendemail ? user.emailaddress : '',
				emailcc: '',
				emailbcc: '',
				emailsubject: outcome.sendemail ? `[Ticket #${ticketId}] ${ticket.summary}` : '',
				important: false,
				timetaken: fromUser ? 0 : 0.25,
				new_status: 0,
			};
			data.actions.push(action);
		}
	}
	return data;
}
