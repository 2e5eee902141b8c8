import type { IDataObject, ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import { outcomeName } from '../helpers/outcomes';
import { haloApiRequestAllItems } from '../../transport';

function toOptions(rows: IDataObject[], nameOf: (row: IDataObject) => string): INodePropertyOptions[] {
	return rows
		.map((row) => ({ name: nameOf(row) || `#${String(row.id)}`, value: Number(row.id) }))
		.sort((a, b) => a.name.localeCompare(b.name));
}

const byName = (row: IDataObject) => String(row.name ?? '').trim();

/** Active rows only: Halo keeps retired types, teams and agents in its lists. */
const isActive = (row: IDataObject) => row.inactive !== true && row.isdisabled !== true;

async function listBare(this: ILoadOptionsFunctions, path: string): Promise<IDataObject[]> {
	return (await haloApiRequestAllItems.call(this, path, null)).filter(isActive);
}

export async function getTicketTypes(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	return toOptions(await listBare.call(this, '/TicketType'), byName);
}

export async function getStatuses(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const statuses = await haloApiRequestAllItems.call(this, '/Status', null);
	// Halo orders statuses by `sequence`, the order agents know from the ticket screen.
	return statuses
		.sort((a, b) => Number(a.sequence ?? 0) - Number(b.sequence ?? 0))
		.map((row) => ({ name: byName(row) || `#${String(row.id)}`, value: Number(row.id) }));
}

export async function getPriorities(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	return toOptions(await listBare.call(this, '/Priority'), byName);
}

export async function getAgents(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	return toOptions(await listBare.call(this, '/Agent'), byName);
}

export async function getTeams(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	return toOptions(await listBare.call(this, '/Team'), byName);
}

export async function getOutcomes(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const outcomes = await haloApiRequestAllItems.call(this, '/Outcome', null);
	return toOptions(outcomes, outcomeName);
}
