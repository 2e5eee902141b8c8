import { parseHaloDate } from './dates';
import type { HaloStore } from './store';
import type {
	Action,
	Agent,
	Asset,
	Client,
	Contract,
	InvoiceLine,
	Item,
	Priority,
	RecurringInvoice,
	Site,
	Status,
	Ticket,
	User,
	Webhook,
} from './types';

/** API shapes: what Halo answers for each entity, with the denormalised names it adds. */

export function agentView(store: HaloStore, agent: Agent): Record<string, unknown> {
	return {
		id: agent.id,
		name: agent.name,
		email: agent.email,
		team_id: agent.team_id,
		team: store.teams.get(agent.team_id)?.name ?? '',
		isdisabled: agent.isdisabled,
		is_api_agent: agent.is_api_agent,
	};
}

export function statusView(status: Status): Record<string, unknown> {
	return { id: status.id, name: status.name, shortname: status.shortname, colour: status.colour, sequence: status.sequence };
}

export function priorityView(priority: Priority): Record<string, unknown> {
	return { ...priority, priorityid: priority.id };
}

export function clientView(client: Client): Record<string, unknown> {
	return { ...client };
}

export function siteView(site: Site, store: HaloStore): Record<string, unknown> {
	return { ...site, client_name: store.clients.get(site.client_id)?.name ?? '' };
}

export function userView(user: User, store: HaloStore): Record<string, unknown> {
	return {
		...user,
		client_name: store.clients.get(user.client_id)?.name ?? '',
		site_name: store.sites.get(user.site_id)?.name ?? '',
	};
}

export function ticketView(ticket: Ticket, store: HaloStore): Record<string, unknown> {
	const user = store.users.get(ticket.user_id);
	const { asset_ids: assetIds, ...fields } = ticket;
	return {
		...fields,
		client_name: store.clients.get(ticket.client_id)?.name ?? '',
		site_name: store.sites.get(ticket.site_id)?.name ?? '',
		user_name: user?.name ?? '',
		user_email: user?.emailaddress ?? '',
		status_name: store.statuses.get(ticket.status_id)?.name ?? '',
		tickettype_name: store.ticketTypes.get(ticket.tickettype_id)?.name ?? '',
		agent_name: store.agents.get(ticket.agent_id)?.name ?? '',
		team: store.teams.get(ticket.team_id)?.name ?? '',
		assets: assetIds.map((id) => ({ id, inventory_number: store.assets.get(id)?.inventory_number ?? '' })),
	};
}

export function actionView(action: Action): Record<string, unknown> {
	return { ...action };
}

export function isExpired(contract: Contract, now: number): boolean {
	const end = parseHaloDate(contract.end_date);
	return !Number.isNaN(end) && end < now;
}

export function contractView(contract: Contract, store: HaloStore, now: number, details: boolean): Record<string, unknown> {
	const view: Record<string, unknown> = {
		...contract,
		client_name: store.clients.get(contract.client_id)?.name ?? '',
		site_name: store.sites.get(contract.site_id)?.name ?? '',
		contracttype_name: store.contractTypes.get(contract.contracttype)?.name ?? '',
		expired: isExpired(contract, now),
	};
	if (details) {
		view.assets = store.assets
			.bucket('contract', contract.id)
			.map((asset) => ({ id: asset.id, inventory_number: asset.inventory_number, key_field: asset.key_field }));
	}
	return view;
}

export function itemView(item: Item): Record<string, unknown> {
	return { ...item };
}

export function invoiceLineView(line: InvoiceLine, store: HaloStore): Record<string, unknown> {
	const item = store.items.get(line.item_id);
	const { item_id: itemId, ...fields } = line;
	return {
		...fields,
		_itemid: itemId,
		item_code: item?.internalreference ?? '',
		item_shortdescription: item?.name ?? '',
	};
}

export function invoiceView(invoice: RecurringInvoice, store: HaloStore, includeLines: boolean): Record<string, unknown> {
	const { lines, ...header } = invoice;
	const view: Record<string, unknown> = {
		...header,
		client_name: store.clients.get(invoice.client_id)?.name ?? '',
		contract_ref: store.contracts.get(invoice.contract_id)?.ref ?? '',
	};
	if (includeLines) view.lines = lines.map((line) => invoiceLineView(line, store));
	return view;
}

export function assetView(asset: Asset, store: HaloStore): Record<string, unknown> {
	const { contract_ids: contractIds, ...fields } = asset;
	return {
		...fields,
		client_name: store.clients.get(asset.client_id)?.name ?? '',
		site_name: store.sites.get(asset.site_id)?.name ?? '',
		assettype_name: store.assetTypes.get(asset.assettype_id)?.name ?? '',
		contract_id: contractIds[0] ?? 0,
		contracts: contractIds.map((id) => ({ id, ref: store.contracts.get(id)?.ref ?? '' })),
	};
}

/** The Basic password is write-only: it never comes back in an answer. */
export function webhookView(webhook: Webhook): Record<string, unknown> {
	const { basic_password: password, ...fields } = webhook;
	return { ...fields, has_basic_password: password !== '', events: webhook.events.map((event) => ({ ...event })) };
}
