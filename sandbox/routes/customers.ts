import { topLevelName } from '../datasets/common';
import { dotNetError } from '../http';
import type { Client, Site, User } from '../types';
import { checkReferences, reference } from '../validation';
import { clientView, siteView, userView } from '../views';
import { allOf, assignFields, containsText, envelope, pageOf, type ApiRoute, type RouteContext } from './context';
import { entityRoutes } from './entity';

function requiredName(record: Record<string, unknown>, entity: string): string {
	const name = (record.name as string | undefined)?.trim();
	if (!name) throw dotNetError(400, `Please enter a name for this ${entity}`);
	return name;
}

const clientRoutes = entityRoutes<Client>({
	path: '/api/client',
	entity: 'Client',
	area: 'customers',
	table: (store) => store.clients,
	schema: { id: 'int', name: 'string', inactive: 'bool', toplevel_id: 'int', website: 'string' },
	view: (client) => clientView(client),
	list: ({ store, query }) => {
		const search = query.string('search');
		const includeInactive = query.bool('includeinactive') ?? false;
		const topLevelId = query.int('toplevel_id');
		const candidates = topLevelId !== undefined ? store.clients.bucket('toplevel', topLevelId) : store.clients.all();
		const matches = allOf<Client>([
			!includeInactive && ((client) => !client.inactive),
			search !== undefined && ((client) => containsText([client.name], search)),
		]);
		return envelope(pageOf(query, candidates, matches), 'clients', clientView);
	},
	create: (record, { store }) => ({
		id: store.clients.nextId(),
		name: requiredName(record, 'Client'),
		inactive: (record.inactive as boolean | undefined) ?? false,
		toplevel_id: (record.toplevel_id as number | undefined) ?? 1,
		toplevel_name: topLevelName((record.toplevel_id as number | undefined) ?? 1),
		website: (record.website as string | undefined) ?? '',
	}),
	update: (draft, record) => {
		if (record.name !== undefined) requiredName(record, 'Client');
		assignFields(draft, record, ['name', 'inactive', 'toplevel_id', 'website']);
		draft.toplevel_name = topLevelName(draft.toplevel_id);
	},
	events: { created: 'clientCreated', updated: 'clientUpdated', objectKey: 'client' },
});

const siteRoutes = entityRoutes<Site>({
	path: '/api/site',
	entity: 'Site',
	area: 'customers',
	table: (store) => store.sites,
	schema: { id: 'int', name: 'string', client_id: 'int', inactive: 'bool', phonenumber: 'string', address: 'string' },
	view: (site, { store }) => siteView(site, store),
	list: ({ store, query }) => {
		const clientId = query.int('client_id');
		const search = query.string('search');
		const includeInactive = query.bool('includeinactive') ?? false;
		const candidates = clientId !== undefined ? store.sites.bucket('client', clientId) : store.sites.all();
		const matches = allOf<Site>([
			!includeInactive && ((site) => !site.inactive),
			search !== undefined && ((site) => containsText([site.name], search)),
		]);
		return envelope(pageOf(query, candidates, matches), 'sites', (site) => siteView(site, store));
	},
	create: (record, { store }) => {
		const clientId = record.client_id as number | undefined;
		reference(clientId ? store.clients.get(clientId) : undefined, 'client_id', clientId);
		return {
			id: store.sites.nextId(),
			name: requiredName(record, 'Site'),
			client_id: clientId as number,
			inactive: (record.inactive as boolean | undefined) ?? false,
			phonenumber: (record.phonenumber as string | undefined) ?? '',
			address: (record.address as string | undefined) ?? '',
		};
	},
	update: (draft, record, { store }) => {
		if (record.client_id !== undefined) reference(store.clients.get(record.client_id as number), 'client_id', record.client_id);
		if (record.name !== undefined) requiredName(record, 'Site');
		assignFields(draft, record, ['name', 'client_id', 'inactive', 'phonenumber', 'address']);
	},
});

function checkUserReferences(record: Record<string, unknown>, { store }: Pick<RouteContext, 'store'>, notZero?: readonly string[]): void {
	checkReferences(record, { client_id: (id) => store.clients.get(id), site_id: (id) => store.sites.get(id) }, notZero);
}

function splitName(user: User): void {
	const [first, ...rest] = user.name.split(' ');
	if (!user.firstname) user.firstname = first;
	if (!user.surname) user.surname = rest.join(' ');
}

const userRoutes = entityRoutes<User>({
	path: '/api/users',
	entity: 'User',
	area: 'customers',
	table: (store) => store.users,
	schema: {
		id: 'int',
		name: 'string',
		firstname: 'string',
		surname: 'string',
		emailaddress: 'string',
		phonenumber: 'string',
		client_id: 'int',
		site_id: 'int',
		inactive: 'bool',
	},
	view: (user, { store }) => userView(user, store),
	list: ({ store, query }) => {
		const clientId = query.int('client_id');
		const siteId = query.int('site_id');
		const search = query.string('search');
		const includeInactive = query.bool('includeinactive') ?? false;
		const candidates =
			siteId !== undefined
				? store.users.bucket('site', siteId)
				: clientId !== undefined
					? store.users.bucket('client', clientId)
					: store.users.all();
		const matches = allOf<User>([
			clientId !== undefined && ((user) => user.client_id === clientId),
			!includeInactive && ((user) => !user.inactive),
			search !== undefined && ((user) => containsText([user.name, user.emailaddress], search)),
		]);
		return envelope(pageOf(query, candidates, matches), 'users', (user) => userView(user, store));
	},
	create: (record, { store }) => {
		checkUserReferences(record, { store });
		const site = record.site_id ? store.sites.get(record.site_id as number) : undefined;
		const clientId = (record.client_id as number | undefined) ?? site?.client_id;
		reference(clientId ? store.clients.get(clientId) : undefined, 'client_id', clientId);
		const firstname = (record.firstname as string | undefined) ?? '';
		const surname = (record.surname as string | undefined) ?? '';
		const name = (record.name as string | undefined)?.trim() || `${firstname} ${surname}`.trim();
		if (!name) throw dotNetError(400, 'Please enter a name for this User');
		const user: User = {
			id: store.users.nextId(),
			name,
			firstname,
			surname,
			emailaddress: (record.emailaddress as string | undefined) ?? '',
			phonenumber: (record.phonenumber as string | undefined) ?? '',
			client_id: clientId as number,
			site_id: site?.id ?? store.sites.bucket('client', clientId as number)[0]?.id ?? 0,
			inactive: (record.inactive as boolean | undefined) ?? false,
		};
		splitName(user);
		return user;
	},
	update: (draft, record, context) => {
		checkUserReferences(record, context, ['client_id']);
		assignFields(draft, record, ['name', 'firstname', 'surname', 'emailaddress', 'phonenumber', 'client_id', 'site_id', 'inactive']);
	},
	events: { created: 'userCreated', updated: 'userUpdated', objectKey: 'user' },
});

export const customerRoutes: ApiRoute[] = [...clientRoutes, ...siteRoutes, ...userRoutes];
