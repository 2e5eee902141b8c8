import { locator, makeCredentials } from '../helpers/n8n-harness';
import type { StoredCredential } from '../helpers/n8n-harness';
import { useHaloSandbox } from '../helpers/sandbox';
import { haloGet, haloRows, itemIds, lookupRunner, rowIds } from './lookupSupport';

const fixture = useHaloSandbox();
let credentials: StoredCredential;
const run = lookupRunner(() => credentials);

beforeAll(() => {
	credentials = makeCredentials(fixture.sandbox);
});

const jsonOf = (items: Array<{ json: unknown }>) => items.map((item) => item.json);

describe('Client lookups', () => {
	it('gets a client by ID and from the list mode of the locator, simplified or raw', async () => {
		const expected = (await haloGet(fixture.sandbox, '/Client/2')) as Record<string, unknown>;
		const byId = await run('client', 'get', { clientId: locator(2) });
		expect(byId.error).toBeUndefined();
		expect(byId.items).toHaveLength(1);
		expect(byId.items[0].json).toEqual({
			id: 2,
			name: expected.name,
			inactive: false,
			toplevel_id: expected.toplevel_id,
			toplevel_name: expected.toplevel_name,
			website: expected.website,
		});
		expect(byId.items[0].pairedItem).toEqual({ item: 0 });
		const fromList = await run('client', 'get', { clientId: locator(2, 'list'), simplify: false });
		expect(fromList.items[0].json).toEqual(expected);
	});

	it('lists active clients, then with inactive ones, by top level and by search', async () => {
		const active = await run('client', 'getMany', { returnAll: true });
		expect(itemIds(active.items)).toEqual(rowIds(await haloRows(fixture.sandbox, '/Client', 'clients')));
		const all = await run('client', 'getMany', { returnAll: true, filters: { includeInactive: true } });
		const allRows = await haloRows(fixture.sandbox, '/Client', 'clients', { includeinactive: true });
		expect(itemIds(all.items)).toEqual(rowIds(allRows));
		expect(all.items.length).toBeGreaterThan(active.items.length);

		const adHoc = await run('client', 'getMany', { returnAll: true, filters: { topLevelId: '2', includeInactive: true } });
		expect(itemIds(adHoc.items)).toEqual(rowIds(allRows.filter((client) => client.toplevel_id === 2)));
		expect(adHoc.items.length).toBeGreaterThan(0);

		const searched = await run('client', 'getMany', { returnAll: true, filters: { search: 'harbor' } });
		expect(jsonOf(searched.items)).toEqual([expect.objectContaining({ id: 2, name: 'Harbor Legal LLP' })]);
	});

	it('honours Limit', async () => {
		const limited = await run('client', 'getMany', { returnAll: false, limit: 2 });
		expect(itemIds(limited.items)).toEqual(rowIds(await haloRows(fixture.sandbox, '/Client', 'clients')).slice(0, 2));
	});
});

describe('Site lookups', () => {
	it('gets a site, with its client name', async () => {
		const { items } = await run('site', 'get', { siteId: '5' });
		const expected = (await haloGet(fixture.sandbox, '/Site/5')) as Record<string, unknown>;
		expect(items[0].json).toEqual({
			id: 5,
			name: expected.name,
			client_id: expected.client_id,
			client_name: expected.client_name,
			inactive: false,
			phonenumber: expected.phonenumber,
		});
	});

	it('lists the sites of one client, and searches them', async () => {
		const ofClient = await run('site', 'getMany', { returnAll: true, filters: { clientId: locator(1) } });
		const expected = await haloRows(fixture.sandbox, '/Site', 'sites', { client_id: 1 });
		expect(expected.length).toBeGreaterThan(1);
		expect(itemIds(ofClient.items)).toEqual(rowIds(expected));
		const searched = await run('site', 'getMany', { returnAll: true, filters: { clientId: locator(1), search: 'york' } });
		expect(jsonOf(searched.items)).toEqual([expect.objectContaining({ name: 'York Clinic', client_id: 1 })]);
	});
});

describe('User (contact) lookups', () => {
	it('gets a user', async () => {
		const expected = (await haloGet(fixture.sandbox, '/Users/1')) as Record<string, unknown>;
		const { items } = await run('user', 'get', { userId: '1', simplify: false });
		expect(items[0].json).toEqual(expected);
	});

	it('lists users by client, by site and by search on name or email', async () => {
		const ofClient = await run('user', 'getMany', { returnAll: true, filters: { clientId: locator(1) } });
		expect(itemIds(ofClient.items)).toEqual(rowIds(await haloRows(fixture.sandbox, '/Users', 'users', { client_id: 1 })));
		expect(ofClient.items.length).toBeGreaterThan(0);
		const ofSite = await run('user', 'getMany', { returnAll: true, filters: { siteId: '2' } });
		const siteRows = await haloRows(fixture.sandbox, '/Users', 'users', { site_id: 2 });
		expect(itemIds(ofSite.items)).toEqual(rowIds(siteRows));
		expect(ofSite.items.every((item) => item.json.site_id === 2)).toBe(true);

		const someone = siteRows[0];
		const domain = String(someone.emailaddress).split('@')[1];
		const byEmail = await run('user', 'getMany', { returnAll: true, filters: { search: domain } });
		expect(itemIds(byEmail.items)).toEqual(rowIds(await haloRows(fixture.sandbox, '/Users', 'users', { search: domain })));
		expect(itemIds(byEmail.items)).toContain(someone.id);
	});
});

describe('Agent lookups', () => {
	it('gets an agent and the agent the credential logs in as', async () => {
		const me = (await haloGet(fixture.sandbox, '/Agent/me')) as Record<string, unknown>;
		const getMe = await run('agent', 'getMe', {});
		expect(getMe.items[0].json).toEqual({
			id: me.id,
			name: me.name,
			email: me.email,
			team: me.team,
			team_id: me.team_id,
			isdisabled: me.isdisabled,
		});
		const byId = await run('agent', 'get', { agentId: String(me.id), simplify: false });
		expect(byId.items[0].json).toEqual(me);
	});

	it('lists agents, searches them on name or email in any case, and filters by team and disabled', async () => {
		const agents = await haloRows(fixture.sandbox, '/Agent', null);
		const all = await run('agent', 'getMany', { returnAll: true });
		expect(itemIds(all.items)).toEqual(rowIds(agents));

		const human = agents.find((agent) => !agent.is_api_agent) ?? agents[0];
		const firstName = String(human.name).split(' ')[0].toUpperCase();
		const searched = await run('agent', 'getMany', { returnAll: true, filters: { search: firstName } });
		expect(itemIds(searched.items)).toEqual(
			rowIds(agents.filter((agent) => String(agent.name).toUpperCase().includes(firstName) || String(agent.email).toUpperCase().includes(firstName))),
		);
		expect(itemIds(searched.items)).toContain(human.id);

		const ofTeam = await run('agent', 'getMany', { returnAll: true, filters: { teamId: String(human.team_id) } });
		expect(itemIds(ofTeam.items)).toEqual(rowIds(agents.filter((agent) => agent.team_id === human.team_id)));

		const withDisabled = await run('agent', 'getMany', { returnAll: true, filters: { includeDisabled: true } });
		expect(itemIds(withDisabled.items)).toEqual(rowIds(await haloRows(fixture.sandbox, '/Agent', null, { includedisabled: true })));

		const limited = await run('agent', 'getMany', { returnAll: false, limit: 2 });
		expect(itemIds(limited.items)).toEqual(rowIds(agents).slice(0, 2));
	});
});

describe('Team lookups', () => {
	it('lists teams, with inactive ones, and searches them', async () => {
		const teams = await haloRows(fixture.sandbox, '/Team', null);
		const listed = await run('team', 'getMany', { returnAll: true });
		expect(itemIds(listed.items)).toEqual(rowIds(teams));
		const withInactive = await run('team', 'getMany', { returnAll: true, filters: { includeInactive: true } });
		expect(itemIds(withInactive.items)).toEqual(rowIds(await haloRows(fixture.sandbox, '/Team', null, { includeinactive: true })));
		const word = String(teams[0].name).split(' ')[0].toLowerCase();
		const searched = await run('team', 'getMany', { returnAll: true, filters: { search: word } });
		expect(itemIds(searched.items)).toEqual(rowIds(teams.filter((team) => String(team.name).toLowerCase().includes(word))));
	});

	it('gets a team by ID, and names an unknown one clearly', async () => {
		const teams = await haloRows(fixture.sandbox, '/Team', null);
		const { items } = await run('team', 'get', { teamId: String(teams[1].id), simplify: false });
		expect(items[0].json).toEqual(teams[1]);
		const missing = await run('team', 'get', { teamId: '9999' });
		expect(missing.error?.message).toBe('Team 9999 not found');
	});
});

describe('bad input in the customer lookups', () => {
	it('fails an unknown client with Halo\'s 404 and a hint, or yields one error item per input with continue-on-fail', async () => {
		const failed = await run('client', 'get', { clientId: locator(9999) });
		expect(failed.error?.message).toMatch(/9999/);
		expect(failed.error?.description).toMatch(/no such record/i);

		const continued = await run(
			'client',
			'get',
			{ clientId: '={{ $json.id }}' },
			{ continueOnFail: true, inputItems: [{ id: 1 }, { id: 9999 }, { id: 'abc' }] },
		);
		expect(continued.error).toBeUndefined();
		expect(continued.items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(continued.items[0].json).toMatchObject({ id: 1 });
		expect(continued.items[1].json.error).toMatch(/9999/);
		expect(continued.items[2].json.error).toBe('The Client "abc" is not a valid ID');
	});

	it('rejects a site ID filter that is not a number before calling Halo', async () => {
		const { error } = await run('user', 'getMany', { returnAll: true, filters: { siteId: 'two' } });
		expect(error?.message).toBe('The Site ID "two" is not a valid ID');
	});
});
