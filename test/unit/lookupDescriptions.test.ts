import type { INodeProperties } from 'n8n-workflow';

import * as agent from '../../nodes/HaloPsa/actions/agent/Agent.resource';
import { properties } from '../../nodes/HaloPsa/actions/properties';
import * as asset from '../../nodes/HaloPsa/actions/asset/Asset.resource';
import * as client from '../../nodes/HaloPsa/actions/client/Client.resource';
import * as contract from '../../nodes/HaloPsa/actions/contract/Contract.resource';
import * as customApiCall from '../../nodes/HaloPsa/actions/customApiCall/CustomApiCall.resource';
import * as item from '../../nodes/HaloPsa/actions/item/Item.resource';
import * as recurringInvoice from '../../nodes/HaloPsa/actions/recurringInvoice/RecurringInvoice.resource';
import type { HaloResource } from '../../nodes/HaloPsa/actions/resources';
import * as site from '../../nodes/HaloPsa/actions/site/Site.resource';
import * as team from '../../nodes/HaloPsa/actions/team/Team.resource';
import * as user from '../../nodes/HaloPsa/actions/user/User.resource';

const lookupResources: Record<string, HaloResource> = {
	client,
	site,
	user,
	agent,
	team,
	contract,
	recurringInvoice,
	item,
	asset,
	customApiCall,
};

/** The operations each resource must offer (issues 3 and 5). */
const expectedOperations: Record<string, string[]> = {
	client: ['get', 'getMany'],
	site: ['get', 'getMany'],
	user: ['get', 'getMany'],
	agent: ['get', 'getMany', 'getMe'],
	team: ['get', 'getMany'],
	contract: ['get', 'getMany'],
	recurringInvoice: ['getMany'],
	item: ['getMany'],
	asset: ['get', 'getMany', 'getSoftware'],
	customApiCall: ['call'],
};

/** What the node shows for one resource: its Operation selector and every operation's fields. */
const descriptionOf = (key: string) => properties.filter((field) => (field.displayOptions?.show?.resource ?? []).includes(key));
const selectorOf = (key: string) => descriptionOf(key).find((field) => field.name === 'operation')!;
const fieldsOf = (key: string) => descriptionOf(key).filter((field) => field.name !== 'operation');
const optionValues = (field: INodeProperties) => (field.options ?? []).map((option) => (option as { value: string }).value);
const shownFor = (field: INodeProperties, operation: string) =>
	(field.displayOptions?.show?.operation as string[]).includes(operation);

describe.each(Object.entries(lookupResources))('the %s resource description', (key, resource) => {
	it('offers exactly the expected operations, each with an execute function and an action', () => {
		const selector = selectorOf(key);
		expect(selector.displayOptions?.show?.resource).toEqual([key]);
		expect(optionValues(selector).sort()).toEqual([...expectedOperations[key]].sort());
		expect(Object.keys(resource.operations).sort()).toEqual([...expectedOperations[key]].sort());
		for (const option of selector.options as Array<{ action?: string }>) expect(option.action).toBeTruthy();
		for (const operation of Object.values(resource.operations)) expect(typeof operation.execute).toBe('function');
	});

	it('shows every field for this resource and one of its operations only', () => {
		for (const field of fieldsOf(key)) {
			expect(field.displayOptions?.show?.resource).toEqual([key]);
			const operations = field.displayOptions?.show?.operation as string[];
			expect(operations).toHaveLength(1);
			expect(expectedOperations[key]).toContain(operations[0]);
		}
	});

	it('uses each parameter name once per operation, and the operation file lists exactly its fields', () => {
		for (const [operation, definition] of Object.entries(resource.operations)) {
			const names = fieldsOf(key)
				.filter((field) => shownFor(field, operation))
				.map((field) => field.name);
			expect(new Set(names).size).toBe(names.length);
			expect(definition.properties.map((field) => field.name)).toEqual(names);
		}
	});

	it('gives every list Return All, Limit (hidden by Return All), Simplify and sorted filters', () => {
		for (const operation of expectedOperations[key].filter((name) => name === 'getMany' || name === 'getSoftware')) {
			const fields = fieldsOf(key).filter((field) => shownFor(field, operation));
			const byName = Object.fromEntries(fields.map((field) => [field.name, field]));
			expect(byName.returnAll).toMatchObject({ type: 'boolean', default: false });
			expect(byName.limit).toMatchObject({ type: 'number', default: 50, typeOptions: { minValue: 1 } });
			expect(byName.limit.displayOptions?.show?.returnAll).toEqual([false]);
			expect(byName.simplify).toMatchObject({ type: 'boolean', default: true });
			const filterNames = ((byName.filters?.options ?? []) as INodeProperties[]).map((filter) => filter.displayName);
			expect(filterNames).toEqual([...filterNames].sort((a, b) => a.localeCompare(b)));
		}
	});
});

describe('the client locator', () => {
	it('offers a searchable list and an ID, in the client Get and in every client filter', () => {
		const locators = Object.keys(lookupResources)
			.flatMap((key) => fieldsOf(key))
			.flatMap((field) => [field, ...((field.options ?? []) as INodeProperties[])])
			.filter((field) => field.type === 'resourceLocator');
		expect(locators.length).toBeGreaterThanOrEqual(6);
		for (const locator of locators) {
			expect(locator.modes?.map((mode) => mode.name)).toEqual(['list', 'id']);
			expect(locator.modes?.[0].typeOptions?.searchListMethod).toBe('searchClients');
		}
	});
});

describe('the filters each list offers', () => {
	const filterNames = (key: string) =>
		((fieldsOf(key).find((field) => field.name === 'filters')?.options ?? []) as INodeProperties[])
			.map((filter) => filter.name)
			.sort();

	it.each([
		['client', ['includeInactive', 'search', 'topLevelId']],
		['site', ['clientId', 'includeInactive', 'search']],
		['user', ['clientId', 'includeInactive', 'search', 'siteId']],
		['agent', ['includeDisabled', 'search', 'teamId']],
		['team', ['includeInactive', 'search']],
		['contract', ['clientId', 'contractTypes', 'inForceOn', 'includeInactive', 'siteId']],
		['recurringInvoice', ['assetId', 'clientId', 'contractId', 'itemId']],
		['item', ['includeInactive', 'recurringOnly', 'search']],
		['asset', ['assetTypeId', 'clientId', 'contractId', 'includeInactive', 'search', 'siteId']],
	])('%s', (key, names) => {
		expect(filterNames(key)).toEqual(names);
	});
});
