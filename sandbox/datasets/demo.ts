import { dayMs, haloDate, startOfDay } from '../dates';
import type { Action, Asset, Client, Contract, Dataset, InvoiceLine, Item, RecurringInvoice, Site, Software, Ticket, User } from '../types';
import { closedStatusId, emptyDataset, outcomeNames, outcomesFrom } from './common';

/**
 * "BrightPath IT", a small MSP: five customers (plus one former customer) with sites, contacts,
 * Managed Security / Managed Services / Break Fix contracts in every state, SentinelOne and
 * Huntress recurring items billed per client, per contract and per asset, assets with installed
 * software, and a few live tickets. Northwind's Managed Security invoice bills SentinelOne for the
 * machines on that contract (some, not all, of Northwind's machines), its York reception PC pays it
 * on a line of its own, and a line still bills it for a retired (inactive) PC.
 * Dates are relative to the day the dataset is loaded, so "expired" and "future" stay true.
 */

interface DeviceSpec {
	type: 1 | 2 | 3 | 4 | 5;
	host: string;
	siteIndex: number;
	contracts: number[];
	software: Array<[string, string]>;
	inactive?: boolean;
}

const windows11: Array<[string, string]> = [
	['Microsoft Windows 11 Pro', '23H2'],
	['Microsoft 365 Apps for business', '16.0.17328'],
	['Google Chrome', '124.0.6367.91'],
];
const windowsServer: Array<[string, string]> = [
	['Microsoft Windows Server 2022 Standard', '21H2'],
	['Microsoft SQL Server 2019', '15.0.4355.3'],
];
const sentinelOne: [string, string] = ['SentinelOne Agent', '23.4.2.14'];
const huntress: [string, string] = ['Huntress Agent', '0.14.8'];
const fortiOs: Array<[string, string]> = [['FortiOS', '7.2.8']];

const typePrefixes: Record<DeviceSpec['type'], string> = { 1: 'WS', 2: 'SRV', 3: 'LT', 4: 'FW', 5: 'SW' };

export function demoDataset(referenceTime: number): Dataset {
	const data = emptyDataset(outcomesFrom(1, 1));
	const today = startOfDay(referenceTime);
	const date = (days: number) => haloDate(today + days * dayMs);
	const outcome = (name: string) => data.outcomes.find((row) => row.outcome === name)!;

	const client = (id: number, name: string, website: string, toplevel = 1, inactive = false): Client => ({
		id,
		name,
		inactive,
		toplevel_id: toplevel,
		toplevel_name: toplevel === 1 ? 'Managed Customers' : 'Ad-hoc Customers',
		website,
	});
	data.clients = [
		client(1, 'Northwind Dental Group', 'northwind-dental.example'),
		client(2, 'Harbor Legal LLP', 'harborlegal.example'),
		client(3, 'Summit Engineering Ltd', 'summit-eng.example'),
		client(4, 'Bluebird Bakery', 'bluebirdbakery.example', 2),
		client(5, 'Crestview Medical Clinic', 'crestviewmedical.example'),
		client(6, 'Old Mill Brewery', 'oldmillbrewery.example', 2, true),
	];

	const site = (id: number, clientId: number, name: string, address: string, phone: string): Site => ({
		id,
		name,
		client_id: clientId,
		inactive: false,
		phonenumber: phone,
		address,
	});
	data.sites = [
		site(1, 1, 'Head Office', '14 Park Row, Leeds LS1 5HD', '0113 496 0100'),
		site(2, 1, 'Harrogate Clinic', '3 Station Parade, Harrogate HG1 1TS', '01423 496 0200'),
		site(3, 1, 'York Clinic', '21 Micklegate, York YO1 6JH', '01904 496 0300'),
		site(4, 2, 'Main Office', '8 Quayside, Newcastle NE1 3DE', '0191 496 0400'),
		site(5, 3, 'Plant', 'Unit 4, Riverside Estate, Sheffield S9 2RY', '0114 496 0500'),
		site(6, 3, 'Design Studio', '77 Division Street, Sheffield S1 4GE', '0114 496 0600'),
		site(7, 4, 'Shop', '2 Market Place, Ripon HG4 1BP', '01765 496 0700'),
		site(8, 5, 'Clinic', '40 Hospital Lane, Durham DH1 3QT', '0191 496 0800'),
		site(9, 6, 'Brewhouse', 'Mill Lane, Tadcaster LS24 9AA', '01937 496 0900'),
	];

	let userId = 0;
	const user = (clientId: number, siteId: number, firstname: string, surname: string, domain: string, inactive = false): User => ({
		id: ++userId,
		name: `${firstname} ${surname}`,
		firstname,
		surname,
		emailaddress: `${firstname}.${surname}@${domain}`.toLowerCase(),
		phonenumber: `07700 900${String(100 + userId).padStart(3, '0')}`,
		client_id: clientId,
		site_id: siteId,
		inactive,
	});
	data.users = [
		user(1, 1, 'Emma', 'Clarke', 'northwind-dental.example'),
		user(1, 1, 'Oliver', 'Hughes', 'northwind-dental.example'),
		user(1, 2, 'Grace', 'Patel', 'northwind-dental.example'),
		user(1, 3, 'Henry', 'Walsh', 'northwind-dental.example'),
		user(2, 4, 'Sophie', 'Bennett', 'harborlegal.example'),
		user(2, 4, 'Daniel', 'Fraser', 'harborlegal.example'),
		user(2, 4, 'Marcus', 'Reid', 'harborlegal.example', true),
		user(3, 5, 'Isla', 'Thompson', 'summit-eng.example'),
		user(3, 6, 'Lucas', 'Green', 'summit-eng.example'),
		user(4, 7, 'Ruby', 'Turner', 'bluebirdbakery.example'),
		user(5, 8, 'Noah', 'Sinclair', 'crestviewmedical.example'),
		user(5, 8, 'Amelia', 'Brooks', 'crestviewmedical.example'),
		user(6, 9, 'George', 'Miller', 'oldmillbrewery.example'),
	];

	const contract = (
		id: number,
		clientId: number,
		siteId: number,
		ref: string,
		type: number,
		startDay: number,
		endDay: number,
		active = true,
		renewed = false,
	): Contract => ({ id, client_id: clientId, site_id: siteId, ref, start_date: date(startDay), end_date: date(endDay), active, contracttype: type, renewed });
	data.contracts = [
		contract(1, 1, 1, 'NWD-MSEC-2025', 1, -200, 165),
		contract(2, 1, 1, 'NWD-MSP-2025', 2, -320, 45),
		contract(3, 2, 4, 'HBL-MSEC-2024', 1, -400, -35, true, true),
		contract(4, 2, 4, 'HBL-MSEC-2025', 1, -35, 330),
		contract(5, 3, 5, 'SUM-MSP-2026', 2, 14, 379),
		contract(6, 3, 5, 'SUM-BF', 3, -500, 230),
		contract(7, 4, 7, 'BLB-BF', 3, -90, 275),
		contract(8, 5, 8, 'CRV-MSEC-2025', 1, -60, 305, false),
	];

	const item = (id: number, code: string, name: string, price: number, cost: number, recurring = true, inactive = false): Item => ({
		id,
		name,
		internalreference: code,
		isrecurringitem: recurring,
		inactive,
		baseprice: price,
		costprice: cost,
	});
	data.items = [
		item(1, 'S1-CORE', 'SentinelOne Singularity Core', 4.5, 2.1),
		item(2, 'S1-CONTROL', 'SentinelOne Singularity Control', 6, 3.2),
		item(3, 'HUNTRESS-EDR', 'Huntress Managed EDR', 3.75, 1.9),
		item(4, 'M365-BP', 'Microsoft 365 Business Premium', 22, 18.1),
		item(5, 'BACKUP-SRV', 'Server Backup (per server)', 35, 12),
		item(6, 'MS-WS', 'Managed Workstation', 45, 0),
		item(7, 'LAB-HOUR', 'Remote Support Hour', 95, 0, false),
		item(8, 'AV-LEGACY', 'Legacy Antivirus', 2.5, 1, true, true),
		item(9, 'FW-MGMT', 'Managed Firewall', 60, 0),
	];

	const devices: Array<[clientId: number, prefix: string, specs: DeviceSpec[]]> = [
		[
			1,
			'NWD',
			[
				{ type: 2, host: 'NWD-DC01', siteIndex: 0, contracts: [1, 2], software: [...windowsServer, sentinelOne] },
				{ type: 1, host: 'NWD-RECEPTION-01', siteIndex: 0, contracts: [1, 2], software: [...windows11, sentinelOne] },
				{ type: 1, host: 'NWD-SURGERY-01', siteIndex: 0, contracts: [1, 2], software: [...windows11, sentinelOne] },
				{ type: 3, host: 'NWD-LT-EMMA', siteIndex: 0, contracts: [1, 2], software: [...windows11, sentinelOne] },
				{ type: 1, host: 'NWD-HGT-RECEPTION', siteIndex: 1, contracts: [1, 2], software: [...windows11] },
				// The York clinic joined on Managed Services only: its reception PC pays SentinelOne on a line of its own.
				{ type: 1, host: 'NWD-YRK-RECEPTION', siteIndex: 2, contracts: [2], software: [...windows11, sentinelOne] },
				{ type: 4, host: 'NWD-FW01', siteIndex: 0, contracts: [2], software: fortiOs },
				{ type: 1, host: 'NWD-OLD-XRAY', siteIndex: 0, contracts: [], software: [['Microsoft Windows 10 Pro', '22H2']], inactive: true },
			],
		],
		[
			2,
			'HBL',
			[
				{ type: 2, host: 'HBL-FS01', siteIndex: 0, contracts: [4], software: [...windowsServer, huntress] },
				{ type: 3, host: 'HBL-LT-SOPHIE', siteIndex: 0, contracts: [4], software: [...windows11, huntress] },
				{ type: 3, host: 'HBL-LT-DANIEL', siteIndex: 0, contracts: [4], software: [...windows11, huntress] },
				{ type: 3, host: 'HBL-LT-SPARE', siteIndex: 0, contracts: [3], software: [...windows11] },
				{ type: 4, host: 'HBL-FW01', siteIndex: 0, contracts: [], software: fortiOs },
			],
		],
		[
			3,
			'SUM',
			[
				{ type: 2, host: 'SUM-CAD01', siteIndex: 1, contracts: [5], software: [...windowsServer] },
				{ type: 1, host: 'SUM-CAD-WS01', siteIndex: 1, contracts: [5], software: [...windows11, ['Autodesk AutoCAD 2024', '24.3.61.0']] },
				{ type: 1, host: 'SUM-CAD-WS02', siteIndex: 1, contracts: [5], software: [...windows11, ['Autodesk AutoCAD 2024', '24.3.61.0']] },
				{ type: 1, host: 'SUM-PLANT-HMI', siteIndex: 0, contracts: [6], software: [['Microsoft Windows 10 IoT Enterprise', '21H2']] },
				{ type: 3, host: 'SUM-LT-ISLA', siteIndex: 0, contracts: [6], software: [...windows11] },
				{ type: 5, host: 'SUM-SW-CORE', siteIndex: 0, contracts: [], software: [] },
			],
		],
		[
			4,
			'BLB',
			[
				{ type: 1, host: 'BLB-TILL-01', siteIndex: 0, contracts: [7], software: [['Microsoft Windows 10 Pro', '22H2']] },
				{ type: 3, host: 'BLB-LT-RUBY', siteIndex: 0, contracts: [7], software: [...windows11] },
			],
		],
		[
			5,
			'CRV',
			[
				{ type: 2, host: 'CRV-EMR01', siteIndex: 0, contracts: [8], software: [...windowsServer, sentinelOne] },
				{ type: 1, host: 'CRV-NURSE-01', siteIndex: 0, contracts: [8], software: [...windows11, sentinelOne] },
				{ type: 1, host: 'CRV-NURSE-02', siteIndex: 0, contracts: [8], software: [...windows11] },
				{ type: 3, host: 'CRV-LT-NOAH', siteIndex: 0, contracts: [8], software: [...windows11, sentinelOne] },
			],
		],
	];
	let assetId = 0;
	let softwareId = 0;
	for (const [clientId, prefix, specs] of devices) {
		const clientSites = data.sites.filter((row) => row.client_id === clientId);
		const counters = new Map<number, number>();
		for (const spec of specs) {
			const number = (counters.get(spec.type) ?? 0) + 1;
			counters.set(spec.type, number);
			const asset: Asset = {
				id: ++assetId,
				inventory_number: `${prefix}-${typePrefixes[spec.type]}-${String(number).padStart(3, '0')}`,
				key_field: spec.host,
				client_id: clientId,
				site_id: clientSites[spec.siteIndex].id,
				assettype_id: spec.type,
				inactive: spec.inactive ?? false,
				contract_ids: spec.contracts,
			};
			data.assets.push(asset);
			const installed: Software[] = spec.software.map(([name, version]) => ({ id: ++softwareId, name, version }));
			data.software.set(asset.id, installed);
		}
	}
	const assetsOn = (contractId: number) => data.assets.filter((asset) => asset.contract_ids.includes(contractId));

	let lineId = 0;
	const line = (
		invoiceId: number,
		itemId: number,
		qty: number,
		contractId: number,
		options: { assetId?: number; startDay?: number | null; endDay?: number | null; inactive?: boolean } = {},
	): InvoiceLine => ({
		id: ++lineId,
		ihid: invoiceId,
		item_id: itemId,
		qty_order: qty,
		unit_price: data.items.find((row) => row.id === itemId)!.baseprice,
		asset_id: options.assetId ?? 0,
		contract_id: contractId,
		startdate: options.startDay === undefined || options.startDay === null ? null : date(options.startDay),
		enddate: options.endDay === undefined || options.endDay === null ? null : date(options.endDay),
		isinactive: options.inactive ?? false,
	});
	const invoice = (id: number, clientId: number, contractId: number, lines: InvoiceLine[], disabled = false): RecurringInvoice => ({
		id,
		client_id: clientId,
		contract_id: contractId,
		disabled,
		invoice_date: date(1 - new Date(today).getUTCDate()),
		lines,
	});
	const assetNamed = (host: string) => data.assets.find((asset) => asset.key_field === host)!.id;
	data.invoices = [
		// SentinelOne for the machines on the Managed Security contract (not the firewall, nor York's
		// reception PC): one line without an asset, the quantity the contract's machines.
		invoice(1, 1, 1, [
			line(1, 1, assetsOn(1).length, 1, { startDay: -200 }),
			line(1, 3, 8, 1, { startDay: -200 }),
			line(1, 8, 8, 1, { startDay: -700, endDay: -200, inactive: true }),
			// still billed for the retired X-ray PC (inactive asset): a licence for no machine
			line(1, 1, 1, 1, { assetId: assetNamed('NWD-OLD-XRAY'), startDay: -700 }),
		]),
		invoice(2, 1, 2, [
			line(2, 6, 6, 2, { startDay: -320 }),
			line(2, 4, 12, 2, { startDay: -320 }),
			line(2, 5, 1, 2, { assetId: 1, startDay: -320 }),
			line(2, 9, 1, 2, { assetId: 7, startDay: -320 }),
			line(2, 1, 1, 2, { assetId: assetNamed('NWD-YRK-RECEPTION'), startDay: -60 }),
		]),
		invoice(3, 2, 3, [line(3, 1, 5, 3, { startDay: -400, endDay: -35 })], true),
		invoice(4, 2, 4, [
			...assetsOn(4).map((asset) => line(4, 3, 1, 4, { assetId: asset.id, startDay: -35 })),
			line(4, 2, 3, 4, { startDay: -35, endDay: -10 }),
			line(4, 4, 6, 4, { startDay: 30 }),
		]),
		invoice(5, 3, 5, [line(5, 6, 3, 5, { startDay: 14 }), line(5, 5, 1, 5, { assetId: assetsOn(5)[0].id, startDay: 14 })]),
		invoice(6, 5, 8, [line(6, 1, 4, 8, { startDay: -60 }), line(6, 3, 4, 8, { startDay: -60, inactive: true })]),
	];

	const ticket = (
		id: number,
		clientId: number,
		userIndex: number,
		summary: string,
		details: string,
		fields: Partial<Ticket> & { daysAgo: number },
	): Ticket => {
		const contact = data.users.filter((row) => row.client_id === clientId)[userIndex];
		const { daysAgo, ...rest } = fields;
		return {
			id,
			summary,
			details,
			details_html: `<p>${details}</p>`,
			client_id: clientId,
			site_id: contact.site_id,
			user_id: contact.id,
			status_id: 1,
			tickettype_id: 1,
			priority_id: 3,
			agent_id: 0,
			team_id: 1,
			contract_id: 0,
			asset_ids: [],
			dateoccurred: date(-daysAgo),
			last_update: date(-daysAgo),
			hasbeenclosed: false,
			customfields: [],
			...rest,
		};
	};
	data.tickets = [
		ticket(1, 1, 0, 'Reception PC cannot print to the front desk printer', 'Since this morning nothing prints from NWD-RECEPTION-01.', {
			daysAgo: 2,
			status_id: 2,
			agent_id: 10,
			asset_ids: [2],
		}),
		ticket(2, 1, 2, 'SentinelOne agent missing on Harrogate reception PC', 'Security review found NWD-HGT-RECEPTION has no EDR agent.', {
			daysAgo: 5,
			tickettype_id: 5,
			priority_id: 2,
			team_id: 3,
			agent_id: 13,
			contract_id: 1,
			asset_ids: [5],
		}),
		ticket(3, 2, 0, 'New starter: laptop and Microsoft 365 account for Ava Lin', 'Ava starts on Monday in the litigation team.', {
			daysAgo: 3,
			tickettype_id: 2,
			status_id: 3,
			agent_id: 11,
		}),
		ticket(4, 2, 1, 'Outlook keeps asking for a password', 'Daniel is prompted for credentials every few minutes.', { daysAgo: 1 }),
		ticket(5, 3, 0, 'Plant HMI lost network connection overnight', 'The HMI on the line 2 controller shows offline.', {
			daysAgo: 8,
			status_id: closedStatusId,
			hasbeenclosed: true,
			priority_id: 1,
			agent_id: 12,
			team_id: 2,
			asset_ids: [17],
		}),
		ticket(6, 4, 0, 'Till running slowly at lunchtime', 'The till takes a minute to take card payments.', { daysAgo: 0, priority_id: 2 }),
		ticket(7, 5, 0, 'Huntress alert: suspicious PowerShell on CRV-NURSE-02', 'Alert raised by the SOC for review.', {
			daysAgo: 0,
			tickettype_id: 5,
			priority_id: 1,
			team_id: 3,
			status_id: 2,
			agent_id: 13,
			asset_ids: [24],
		}),
		ticket(8, 1, 1, 'Add the York clinic to the shared calendar', 'Please add the York clinic mailbox to the Reception calendar.', {
			daysAgo: 12,
			tickettype_id: 2,
			status_id: closedStatusId,
			hasbeenclosed: true,
			agent_id: 11,
		}),
	];

	let actionId = 0;
	const action = (
		ticketId: number,
		outcomeName: string,
		note: string,
		daysAgo: number,
		who: { agentId?: number; user?: string; system?: boolean },
		extra: Partial<Action> = {},
	): Action => {
		const chosen = outcome(outcomeName);
		const agent = who.agentId ? data.agents.find((row) => row.id === who.agentId) : undefined;
		return {
			id: ++actionId,
			ticket_id: ticketId,
			outcome_id: chosen.id,
			outcome: chosen.outcome,
			note,
			note_html: `<p>${note}</p>`,
			hiddenfromuser: chosen.hidefromuser,
			who: agent?.name ?? who.user ?? 'System',
			who_type: agent ? 1 : who.user ? 2 : 0,
			who_agentid: agent?.id ?? 0,
			datetime: date(-daysAgo),
			sendemail: chosen.sendemail,
			emailto: '',
			emailcc: '',
			emailbcc: '',
			emailsubject: '',
			important: false,
			timetaken: 0,
			new_status: chosen.newstatus,
			...extra,
		};
	};
	data.actions = [
		action(1, outcomeNames.note, 'Ticket logged via email.', 2, { system: true }),
		action(1, outcomeNames.note, 'Printer queue restarted; please try printing again.', 1, { agentId: 10 }, { timetaken: 0.25 }),
		action(1, outcomeNames.privateNote, 'Spooler service keeps crashing; driver update likely needed.', 1, { agentId: 10 }),
		action(2, outcomeNames.privateNote, 'Agent install failed twice with error 1603; checking MSI logs.', 4, { agentId: 13 }),
		action(3, outcomeNames.requestInformation, 'Could you confirm Ava\'s job title and start time?', 2, { agentId: 11 }, {
			emailto: 'sophie.bennett@harborlegal.example',
			emailsubject: '[Ticket #3] New starter: laptop and Microsoft 365 account for Ava Lin',
		}),
		action(4, outcomeNames.emailReceived, 'It started after the password change on Friday.', 1, { user: 'Daniel Fraser' }),
		action(5, outcomeNames.note, 'Switch port re-patched; HMI back online.', 7, { agentId: 12 }, { timetaken: 1 }),
		action(5, outcomeNames.closeTicket, 'Resolved, closing.', 7, { agentId: 12 }),
		action(7, outcomeNames.privateNote, 'Isolated the endpoint pending investigation.', 0, { agentId: 13 }, { important: true }),
		action(8, outcomeNames.closeTicket, 'Calendar shared with York reception.', 11, { agentId: 11 }),
	];
	return data;
}
