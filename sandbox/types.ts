/** Stored shapes of the simulated Halo entities. Names not exposed by Halo's API stay internal. */

export interface ApiApplication {
	clientId: string;
	clientSecret: string;
	/** The scopes this application may be granted. */
	scopes: string[];
	/** The agent a token of this application logs in as. */
	agentId: number;
	name: string;
}

export interface Agent {
	id: number;
	name: string;
	email: string;
	team_id: number;
	isdisabled: boolean;
	is_api_agent: boolean;
	/** Outcomes this agent may not use (403 "You do not have access to this Action"). */
	deniedOutcomeIds: number[];
}

export interface Team {
	id: number;
	name: string;
	inactive: boolean;
}

export interface Status {
	id: number;
	name: string;
	shortname: string;
	colour: string;
	sequence: number;
	/** Moving a ticket here closes it. */
	closes: boolean;
}

export interface TicketType {
	id: number;
	name: string;
	inactive: boolean;
}

export interface Priority {
	id: number;
	name: string;
	colour: string;
	responsetime: number;
	fixtime: number;
}

export interface Outcome {
	id: number;
	outcome: string;
	buttonname: string;
	hidefromuser: boolean;
	sendemail: boolean;
	/** Status the ticket moves to; 0 = unchanged. */
	newstatus: number;
}

export interface Client {
	id: number;
	name: string;
	inactive: boolean;
	toplevel_id: number;
	toplevel_name: string;
	website: string;
}

export interface Site {
	id: number;
	name: string;
	client_id: number;
	inactive: boolean;
	phonenumber: string;
	address: string;
}

export interface User {
	id: number;
	name: string;
	firstname: string;
	surname: string;
	emailaddress: string;
	phonenumber: string;
	client_id: number;
	site_id: number;
	inactive: boolean;
}

export interface ContractType {
	id: number;
	name: string;
}

export interface Contract {
	id: number;
	client_id: number;
	site_id: number;
	ref: string;
	start_date: string;
	end_date: string;
	active: boolean;
	contracttype: number;
	/** Superseded by a renewal (`excluderenewed` drops it). */
	renewed: boolean;
}

export interface Item {
	id: number;
	name: string;
	internalreference: string;
	isrecurringitem: boolean;
	inactive: boolean;
	baseprice: number;
	costprice: number;
}

export interface InvoiceLine {
	id: number;
	ihid: number;
	item_id: number;
	qty_order: number;
	unit_price: number;
	asset_id: number;
	contract_id: number;
	/** Null when the line has no start or end date. */
	startdate: string | null;
	enddate: string | null;
	isinactive: boolean;
}

export interface RecurringInvoice {
	id: number;
	client_id: number;
	contract_id: number;
	disabled: boolean;
	invoice_date: string;
	lines: InvoiceLine[];
}

export interface AssetType {
	id: number;
	name: string;
}

export interface Asset {
	id: number;
	inventory_number: string;
	key_field: string;
	client_id: number;
	site_id: number;
	assettype_id: number;
	inactive: boolean;
	/** First is the asset's `contract_id`. */
	contract_ids: number[];
}

export interface Software {
	id: number;
	name: string;
	version: string;
}

export interface CustomField {
	id: number;
	name: string;
	value: string;
}

export interface Ticket {
	id: number;
	summary: string;
	details: string;
	details_html: string;
	client_id: number;
	site_id: number;
	user_id: number;
	status_id: number;
	tickettype_id: number;
	priority_id: number;
	agent_id: number;
	team_id: number;
	contract_id: number;
	asset_ids: number[];
	dateoccurred: string;
	last_update: string;
	hasbeenclosed: boolean;
	customfields: CustomField[];
}

export interface Action {
	id: number;
	ticket_id: number;
	outcome_id: number;
	outcome: string;
	note: string;
	note_html: string;
	hiddenfromuser: boolean;
	who: string;
	/** 0 system, 1 agent, 2 end user. */
	who_type: 0 | 1 | 2;
	who_agentid: number;
	datetime: string;
	sendemail: boolean;
	emailto: string;
	emailcc: string;
	emailbcc: string;
	emailsubject: string;
	important: boolean;
	timetaken: number;
	new_status: number;
}

export interface WebhookEventSubscription {
	name: string;
	eventno: number;
	conditions: unknown[];
}

/** A webhook as Halo stores it; the enumerations are Halo's integer codes (ARCHITECTURE.md, "Webhook events"). */
export interface Webhook {
	id: string;
	name: string;
	url: string;
	/** 0 outbound webhook (1 runbook: not simulated) */
	type: number;
	/** 0 POST, 2 PUT, 4 PATCH (1 GET and 3 DELETE: not simulated) */
	method: number;
	active: boolean;
	/** 0 none, 1 Basic (2 Bearer, 3 API key, 4 certificate: not simulated) */
	authentication_type: number;
	basic_username: string;
	basic_password: string;
	/** 0 default (full), 1 custom JSON (the sandbox sends the event information only) */
	payload_type: number;
	/** 0 none, 1 time based, 2 count based: stored; the sandbox batches by its own `webhooks.batch` setting */
	batch_method: number;
	batch_delay_seconds: number;
	batch_limit: number;
	auto_disable_attempts: number;
	notify_on_failure: boolean;
	events: WebhookEventSubscription[];
}

/** A `/Notification` row: one event delivered to a webhook (the other way Halo ties events to a webhook). */
export interface WebhookNotification {
	id: number;
	webhook_id: string;
	/** Halo takes the number as a string here. */
	eventno: string;
	delivery_method: number;
	type: number;
	filter_type: number;
	conditions: unknown[];
}

/** Everything a dataset provides; the store indexes it. */
export interface Dataset {
	applications: ApiApplication[];
	agents: Agent[];
	teams: Team[];
	statuses: Status[];
	ticketTypes: TicketType[];
	priorities: Priority[];
	outcomes: Outcome[];
	clients: Client[];
	sites: Site[];
	users: User[];
	contractTypes: ContractType[];
	contracts: Contract[];
	items: Item[];
	invoices: RecurringInvoice[];
	assetTypes: AssetType[];
	assets: Asset[];
	/** Installed software by asset id. */
	software: Map<number, Software[]>;
	tickets: Ticket[];
	actions: Action[];
}
