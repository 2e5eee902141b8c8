import type { HaloSandbox } from '../../sandbox';
import { api, startWatchedSandbox, tokenFor } from './http';

/** Writes are all-or-nothing: validated in full before anything changes, events only after success. */
describe('sandbox writes', () => {
	let watched: Awaited<ReturnType<typeof startWatchedSandbox>>;
	let sandbox: HaloSandbox;
	let token: string;
	const deliveredEvents = () => watched.deliveredEvents();

	beforeAll(async () => {
		watched = await startWatchedSandbox(['New Ticket Logged', 'Ticket Updated', 'Ticket Reassigned', 'Asset Updated', 'User Updated', 'Contract Updated', 'Client Created']);
		({ sandbox, token } = watched);
	});
	afterAll(async () => await watched.stop());

	const get = async (path: string) => (await api(sandbox, token, 'GET', path)).json;
	const listedIds = async (path: string, key: string) => (await get(path))[key].map((row: { id: number }) => row.id) as number[];

	it('leaves a ticket untouched and fires nothing when an update names an unknown agent', async () => {
		const before = await get('/Tickets/2');
		const answer = await api(sandbox, token, 'POST', '/Tickets', [{ id: 2, summary: 'HALF WRITTEN', agent_id: 99999 }]);
		expect(answer.status).toBe(400);
		expect(answer.json.Message).toBe('Invalid agent_id: 99999 does not exist');
		expect(await get('/Tickets/2')).toEqual(before);
		expect(await deliveredEvents()).toEqual([]);

		const fine = await api(sandbox, token, 'POST', '/Tickets', [{ id: 2, summary: 'Renamed', agent_id: 11 }]);
		expect(fine.json).toMatchObject({ id: 2, summary: 'Renamed', agent_id: 11 });
		expect(await deliveredEvents()).toEqual(['ticket updated', 'ticket reassigned']);
	});

	it('leaves a ticket untouched and fires nothing when an update moves it to status 0', async () => {
		const before = await get('/Tickets/1');
		const answer = await api(sandbox, token, 'POST', '/Tickets', [{ id: 1, summary: 'HALF WRITTEN', status_id: 0 }]);
		expect(answer.status).toBe(400);
		expect(answer.json.Message).toBe('Invalid status: 0 does not exist');
		expect(await get('/Tickets/1')).toEqual(before);
		expect(await deliveredEvents()).toEqual([]);
	});

	it('keeps an asset where it was (data and client lists) when its update names an unknown contract', async () => {
		const before = await get('/Asset/1');
		const answer = await api(sandbox, token, 'POST', '/Asset', [{ id: 1, client_id: 2, key_field: 'MOVED', contract_id: 99999 }]);
		expect(answer.status).toBe(400);
		expect(answer.json.Message).toBe('Invalid contract_id: 99999 does not exist');
		expect(await get('/Asset/1')).toEqual(before);
		expect(await listedIds('/Asset?client_id=1&includeinactive=true', 'assets')).toContain(1);
		expect(await listedIds('/Asset?client_id=2&includeinactive=true', 'assets')).not.toContain(1);
		expect(await listedIds('/Asset?contract_id=1&includeinactive=true', 'assets')).toContain(1);
		expect(await deliveredEvents()).toEqual([]);

		// A valid move still re-indexes the asset: it leaves client 1's list and joins client 2's.
		const moved = await api(sandbox, token, 'POST', '/Asset', [{ id: 1, client_id: 2, site_id: 4, key_field: 'MOVED', contract_id: 0 }]);
		expect(moved.status).toBe(200);
		expect(await listedIds('/Asset?client_id=1&includeinactive=true', 'assets')).not.toContain(1);
		expect(await listedIds('/Asset?client_id=2&includeinactive=true', 'assets')).toContain(1);
		expect(await listedIds('/Asset?contract_id=1&includeinactive=true', 'assets')).not.toContain(1);
		expect(await deliveredEvents()).toEqual(['asset updated']);
	});

	it('keeps a recurring invoice (header, lines, client list) when a line names an unknown item', async () => {
		const before = await get('/RecurringInvoice/1');
		const answer = await api(sandbox, token, 'POST', '/RecurringInvoice', [{ id: 1, client_id: 3, lines: [{ _itemid: 4242 }] }]);
		expect(answer.status).toBe(400);
		expect(answer.json.Message).toBe('Invalid lines[0]._itemid: 4242 does not exist');
		expect(await get('/RecurringInvoice/1')).toEqual(before);
		expect(await listedIds('/RecurringInvoice?client_id=1', 'invoices')).toContain(1);
		expect(await listedIds('/RecurringInvoice?client_id=3', 'invoices')).not.toContain(1);
	});

	it('writes nothing from a multi-record POST when one record is bad, and says which', async () => {
		const count = (await get('/Tickets?count=0')).record_count;
		const before = await get('/Tickets/3');
		const answer = await api(sandbox, token, 'POST', '/Tickets', [
			{ id: 3, summary: 'Should not land' },
			{ summary: 'Nor this', client_id: 1 },
			{ summary: 'Bad one', client_id: 424242 },
		]);
		expect(answer.status).toBe(400);
		expect(answer.json.Message).toBe('Record [2]: Invalid client_id: 424242 does not exist');
		expect(await get('/Tickets/3')).toEqual(before);
		expect((await get('/Tickets?count=0')).record_count).toBe(count);
		expect(await deliveredEvents()).toEqual([]);
	});

	it('checks the references of an update as a create does (users, contracts, sites, invoices, tickets)', async () => {
		const cases: Array<[string, Record<string, unknown>, string]> = [
			['/Users', { id: 1, client_id: 99999, site_id: 424242 }, 'Invalid client_id: 99999 does not exist'],
			['/Users', { id: 1, site_id: 424242 }, 'Invalid site_id: 424242 does not exist'],
			['/ClientContract', { id: 1, client_id: 99999 }, 'Invalid client_id: 99999 does not exist'],
			['/ClientContract', { id: 1, site_id: 99999 }, 'Invalid site_id: 99999 does not exist'],
			['/Site', { id: 1, client_id: 99999 }, 'Invalid client_id: 99999 does not exist'],
			['/RecurringInvoice', { id: 1, contract_id: 99999 }, 'Invalid contract_id: 99999 does not exist'],
			['/Asset', { id: 2, site_id: 99999 }, 'Invalid site_id: 99999 does not exist'],
			['/Tickets', { id: 4, user_id: 99999 }, 'Invalid user_id: 99999 does not exist'],
			['/Tickets', { id: 4, team_id: 99999 }, 'Invalid team_id: 99999 does not exist'],
			['/Tickets', { id: 4, assets: [{ id: 99999 }] }, 'Invalid assets: 99999 does not exist'],
		];
		for (const [path, record, message] of cases) {
			const before = await get(`${path}/${String(record.id)}`);
			const answer = await api(sandbox, token, 'POST', path, [record]);
			expect([path, answer.status, answer.json.Message]).toEqual([path, 400, message]);
			expect(await get(`${path}/${String(record.id)}`)).toEqual(before);
		}
		const created = await api(sandbox, token, 'POST', '/Users', [{ name: 'No Site', client_id: 1, site_id: 424242 }]);
		expect(created.json.Message).toBe('Invalid site_id: 424242 does not exist');
		expect(await deliveredEvents()).toEqual([]);
	});

	it('refuses an update that clears a required reference with 0, after checking the ids it names (a create takes 0 as the default)', async () => {
		const cases: Array<[string, Record<string, unknown>, string]> = [
			['/Asset', { id: 2, client_id: 0 }, 'Invalid client_id: 0 does not exist'],
			['/Asset', { id: 2, assettype_id: 0 }, 'Invalid assettype_id: 0 does not exist'],
			['/Asset', { id: 2, client_id: 0, assettype_id: 0 }, 'Invalid client_id: 0 does not exist'],
			['/Asset', { id: 2, client_id: 0, contract_id: 99999 }, 'Invalid contract_id: 99999 does not exist'],
			['/ClientContract', { id: 1, client_id: 0 }, 'Invalid client_id: 0 does not exist'],
			['/ClientContract', { id: 1, contracttype: 0, site_id: 99999 }, 'Invalid site_id: 99999 does not exist'],
			['/ClientContract', { id: 1, contracttype: 0 }, 'Invalid contracttype: 0 does not exist'],
			['/RecurringInvoice', { id: 1, client_id: 0 }, 'Invalid client_id: 0 does not exist'],
			['/Users', { id: 1, client_id: 0 }, 'Invalid client_id: 0 does not exist'],
		];
		for (const [path, record, message] of cases) {
			const before = await get(`${path}/${String(record.id)}`);
			const answer = await api(sandbox, token, 'POST', path, [record]);
			expect([path, record, answer.status, answer.json.Message]).toEqual([path, record, 400, message]);
			expect(await get(`${path}/${String(record.id)}`)).toEqual(before);
		}
		expect(await deliveredEvents()).toEqual([]);
		const created = await api(sandbox, token, 'POST', '/Asset', [{ client_id: 1, assettype_id: 0, contract_id: 0 }]);
		expect([created.status, created.json.assettype_id, created.json.contract_id]).toEqual([201, 1, 0]);
	});

	it('answers 400 naming the field, not 500, for bad invoice line values; good ones bind', async () => {
		const garbage = await api(sandbox, token, 'POST', '/RecurringInvoice', [{ id: 2, lines: [{ _itemid: 1, startdate: 'garbage', qty_order: 'abc' }] }]);
		expect(garbage.status).toBe(400);
		expect(Object.keys(garbage.json.errors).sort()).toEqual(['$[0].lines[0].qty_order', '$[0].lines[0].startdate']);
		const notRecords = await api(sandbox, token, 'POST', '/RecurringInvoice', [{ id: 2, lines: 'none' }]);
		expect(notRecords.status).toBe(400);
		expect(Object.keys(notRecords.json.errors)).toEqual(['$[0].lines']);

		const invoice = await get('/RecurringInvoice/1');
		const dated = invoice.lines.find((line: { enddate: string | null }) => line.enddate !== null);
		const saved = await api(sandbox, token, 'POST', '/RecurringInvoice', [
			{ id: 1, lines: [{ id: dated.id, enddate: null, qty_order: 3 }, { _itemid: 2, startdate: '2025-07-01', qty_order: 2.5 }] },
		]);
		expect(saved.status).toBe(200);
		expect(saved.json.lines).toEqual([
			expect.objectContaining({ id: dated.id, enddate: null, qty_order: 3, _itemid: dated._itemid }),
			expect.objectContaining({ _itemid: 2, startdate: '2025-07-01T00:00:00', qty_order: 2.5, enddate: null }),
		]);
		// New line ids come after every existing one, and the next new line gets the next id.
		const newId = saved.json.lines[1].id;
		const again = await api(sandbox, token, 'POST', '/RecurringInvoice', [{ id: 3, lines: [{ _itemid: 2 }] }]);
		expect(again.json.lines[0].id).toBe(newId + 1);
	});

	it('binds ids as Halo does: decimal (95 or 95.0), never hex or exponent', async () => {
		expect((await api(sandbox, token, 'GET', '/Tickets/1.0')).json.id).toBe(1);
		for (const path of ['/Tickets/0x1', '/Tickets/1e0', '/Tickets/99999999999', '/Tickets?client_id=0x1', '/Actions?ticket_id=1e0', '/Tickets?ticketids=1,0x2']) {
			expect([path, (await api(sandbox, token, 'GET', path)).status]).toEqual([path, 400]);
		}
		const hexBody = await api(sandbox, token, 'POST', '/Actions', [{ ticket_id: '0x1', outcome: 'Note', note: 'x' }]);
		expect(hexBody.status).toBe(400);
		expect(Object.keys(hexBody.json.errors)).toEqual(['$[0].ticket_id']);
	});

	it('refuses a string where Halo has an integer or a boolean, in every write the package makes, with ASP.NET\'s message', async () => {
		const [webhook] = (await get('/Webhook')) as Array<{ id: string }>;
		const writes: Array<[string, Record<string, unknown>, string, string]> = [
			['/Tickets', { summary: 'x', client_id: '1' }, 'client_id', 'System.Int32'],
			['/Tickets', { id: 1, customfields: [{ id: '4', value: 'x' }] }, 'customfields[0].id', 'System.Int32'],
			['/Tickets', { id: 1, assets: [{ id: '3' }] }, 'assets[0].id', 'System.Int32'],
			['/Actions', { ticket_id: 1, outcome: 'Note', note: 'x', hiddenfromuser: 'true' }, 'hiddenfromuser', 'System.Boolean'],
			['/Actions', { ticket_id: 1, outcome_id: '1', note: 'x' }, 'outcome_id', 'System.Int32'],
			['/Webhook', { url: 'http://127.0.0.1:9/x', authentication_type: 'Basic' }, 'authentication_type', 'System.Int32'],
			['/Webhook', { url: 'http://127.0.0.1:9/x', payload_type: 'Full' }, 'payload_type', 'System.Int32'],
			['/Webhook', { url: 'http://127.0.0.1:9/x', method: 'POST' }, 'method', 'System.Int32'],
			['/Webhook', { url: 'http://127.0.0.1:9/x', active: 'true' }, 'active', 'System.Boolean'],
			['/Webhook', { url: 'http://127.0.0.1:9/x', events: [{ eventno: '3' }] }, 'events[0].eventno', 'System.Int32'],
			['/Notification', { webhook_id: webhook.id, delivery_method: '6', eventno: '3', type: -2, filter_type: 2 }, 'delivery_method', 'System.Int32'],
			['/Notification', { webhook_id: webhook.id, delivery_method: 6, eventno: 3, type: -2, filter_type: 2 }, 'eventno', 'System.String'],
		];
		for (const [path, record, field, type] of writes) {
			const answer = await api(sandbox, token, 'POST', path, [record]);
			expect([path, field, answer.status, Object.keys(answer.json.errors ?? {})]).toEqual([path, field, 400, [`$[0].${field}`]]);
			expect(answer.json.errors[`$[0].${field}`][0]).toMatch(
				new RegExp(`^The JSON value could not be converted to ${type}\\. Path: \\$\\[0\\]\\.${field.replace(/[[\]]/g, '\\$&')} \\| LineNumber: 0 \\| BytePositionInLine: \\d+\\.$`),
			);
		}
		expect(await deliveredEvents()).toEqual([]);
	});

	it('records an action as written by who_agentid, still under the caller\'s outcome rights', async () => {
		const written = await api(sandbox, token, 'POST', '/Actions', [{ ticket_id: 1, outcome: 'Note', note: 'on behalf', who_agentid: 11 }]);
		expect(written.status).toBe(201);
		expect(written.json).toMatchObject({ who_agentid: 11, who: 'Priya Shah', who_type: 1 });
		const unknown = await api(sandbox, token, 'POST', '/Actions', [{ ticket_id: 1, outcome: 'Note', note: 'x', who_agentid: 99999 }]);
		expect(unknown.status).toBe(400);
		expect(unknown.json.Message).toBe('Invalid who_agentid: 99999 does not exist');
		const restricted = await tokenFor(sandbox, 'restricted');
		const denied = await api(sandbox, restricted, 'POST', '/Actions', [{ ticket_id: 1, outcome: 'Restricted Action', note: 'x', who_agentid: 11 }]);
		expect(denied.status).toBe(403);
	});

	it('leaves a webhook as it was when its update has a bad value', async () => {
		const [webhook] = (await get('/Webhook')) as Array<{ id: string; name: string; url: string }>;
		const answer = await api(sandbox, token, 'POST', '/Webhook', [{ id: webhook.id, name: 'Renamed', url: 'ftp://nope' }]);
		expect(answer.status).toBe(400);
		expect(await get(`/Webhook/${webhook.id}`)).toMatchObject({ name: webhook.name, url: webhook.url });
	});
});
