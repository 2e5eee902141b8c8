import { Table } from './table';
import type {
	Action,
	Agent,
	ApiApplication,
	Asset,
	AssetType,
	Client,
	Contract,
	ContractType,
	Dataset,
	InvoiceLine,
	Item,
	Outcome,
	Priority,
	RecurringInvoice,
	Site,
	Software,
	Status,
	Team,
	Ticket,
	TicketType,
	User,
	Webhook,
	WebhookNotification,
} from './types';

/** All simulated data, indexed for the filters Halo's list endpoints offer. */
export class HaloStore {
	readonly applications = new Map<string, ApiApplication>();
	readonly agents = new Table<Agent>();
	readonly teams = new Table<Team>();
	readonly statuses = new Table<Status>();
	readonly ticketTypes = new Table<TicketType>();
	readonly priorities = new Table<Priority>();
	readonly outcomes = new Table<Outcome>();
	readonly clients = new Table<Client>({ toplevel: (client) => client.toplevel_id });
	readonly sites = new Table<Site>({ client: (site) => site.client_id });
	readonly users = new Table<User>({ client: (user) => user.client_id, site: (user) => user.site_id });
	readonly contractTypes = new Table<ContractType>();
	readonly contracts = new Table<Contract>({ client: (contract) => contract.client_id });
	readonly items = new Table<Item>();
	readonly invoices = new Table<RecurringInvoice>({
		client: (invoice) => invoice.client_id,
		contract: (invoice) => invoice.contract_id,
	});
	readonly assetTypes = new Table<AssetType>();
	readonly assets = new Table<Asset>({
		client: (asset) => asset.client_id,
		site: (asset) => asset.site_id,
		contract: (asset) => asset.contract_ids,
		assettype: (asset) => asset.assettype_id,
		// The default (active only) unfiltered list is a slice of this, not a scan of every asset.
		active: (asset) => (asset.inactive ? null : 1),
	});
	readonly software: Map<number, Software[]>;
	readonly tickets = new Table<Ticket>({ client: (ticket) => ticket.client_id });
	readonly actions = new Table<Action>({ ticket: (action) => action.ticket_id });
	readonly webhooks = new Map<string, Webhook>();
	/** `/Notification` rows; deleting a webhook leaves them (cleaning up is the client's job, as in Halo). */
	readonly notifications = new Table<WebhookNotification>();
	private lastInvoiceLineId = 0;

	constructor(dataset: Dataset) {
		for (const application of dataset.applications) this.applications.set(application.clientId, application);
		const fill = <T extends { id: number }>(table: Table<T>, rows: T[]) => {
			for (const row of rows) table.insert(row);
		};
		fill(this.agents, dataset.agents);
		fill(this.teams, dataset.teams);
		fill(this.statuses, dataset.statuses);
		fill(this.ticketTypes, dataset.ticketTypes);
		fill(this.priorities, dataset.priorities);
		fill(this.outcomes, dataset.outcomes);
		fill(this.clients, dataset.clients);
		fill(this.sites, dataset.sites);
		fill(this.users, dataset.users);
		fill(this.contractTypes, dataset.contractTypes);
		fill(this.contracts, dataset.contracts);
		fill(this.items, dataset.items);
		fill(this.invoices, dataset.invoices);
		fill(this.assetTypes, dataset.assetTypes);
		fill(this.assets, dataset.assets);
		fill(this.tickets, dataset.tickets);
		fill(this.actions, dataset.actions);
		this.software = dataset.software;
		for (const invoice of dataset.invoices) this.noteInvoiceLines(invoice.lines);
	}

	/** The id the next new invoice line gets; `noteInvoiceLines` moves it on once lines are written. */
	nextInvoiceLineId(): number {
		return this.lastInvoiceLineId + 1;
	}

	noteInvoiceLines(lines: readonly InvoiceLine[]): void {
		for (const line of lines) this.lastInvoiceLineId = Math.max(this.lastInvoiceLineId, line.id);
	}

	isClosedStatus(statusId: number): boolean {
		return this.statuses.get(statusId)?.closes ?? false;
	}
}
