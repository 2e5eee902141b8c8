import type { IDataObject, IExecuteFunctions, INodeParameterResourceLocator } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { HaloFunctions } from '../transport';
import { haloApiRequestAllItems } from '../transport';
import { toHaloId } from './values';

export interface ResolvedOutcome {
	id: number;
	name: string;
	/** the outcome's own default: hidden from the end user */
	hidefromuser?: boolean;
	sendemail?: boolean;
}

/** Halo's default outcome names for the three note actions. */
export const DEFAULT_OUTCOME_NAMES = {
	customerNote: 'Note',
	internalNote: 'Private Note',
	emailContact: 'Email User',
} as const;

// One /Outcome request per execution: the router calls operations once per item with the same context.
const outcomeCache = new WeakMap<object, Promise<IDataObject[]>>();

export function outcomeName(outcome: IDataObject): string {
	return String(outcome.outcome ?? outcome.buttonname ?? outcome.name ?? '').trim();
}

/** The tenant's outcomes (`GET /Outcome`, a bare array), cached for the current execution. */
export async function getTenantOutcomes(this: HaloFunctions, itemIndex?: number): Promise<IDataObject[]> {
	let outcomes = outcomeCache.get(this);
	if (!outcomes) {
		outcomes = haloApiRequestAllItems.call(this, '/Outcome', null, { itemIndex });
		outcomeCache.set(this, outcomes);
		outcomes.catch(() => outcomeCache.delete(this));
	}
	return await outcomes;
}

function toResolved(outcome: IDataObject): ResolvedOutcome {
	return {
		id: toHaloId(outcome.id) as number,
		name: outcomeName(outcome),
		hidefromuser: outcome.hidefromuser as boolean | undefined,
		sendemail: outcome.sendemail as boolean | undefined,
	};
}

/**
 * Resolves the outcome (Halo "action") a note uses: picked from the live list, typed by name or
 * by id, or, when left empty, Halo's default by name. Outcomes differ per tenant, so an unknown
 * name fails with the tenant's real outcome names.
 */
export async function resolveOutcome(
	this: IExecuteFunctions,
	parameterName: string,
	defaultName: string,
	itemIndex: number,
): Promise<ResolvedOutcome> {
	const locator = this.getNodeParameter(parameterName, itemIndex, { mode: 'name', value: '' }) as INodeParameterResourceLocator;
	const value = String(locator?.value ?? '').trim();
	const mode = value ? locator.mode : 'name';
	const wanted = value || defaultName;
	const outcomes = await getTenantOutcomes.call(this, itemIndex);

	if (mode === 'id' || mode === 'list') {
		const id = toHaloId(wanted);
		const found = id !== undefined ? outcomes.find((outcome) => toHaloId(outcome.id) === id) : undefined;
		if (!found) {
			throw new NodeOperationError(this.getNode(), `No outcome with the ID "${wanted}" exists in this Halo`, {
				itemIndex,
				description: `Outcomes in this Halo: ${describeOutcomes(outcomes)}.`,
			});
		}
		return toResolved(found);
	}

	const lower = wanted.toLowerCase();
	const found =
		outcomes.find((outcome) => outcomeName(outcome).toLowerCase() === lower) ??
		outcomes.find((outcome) => String(outcome.buttonname ?? '').trim().toLowerCase() === lower);
	if (!found) {
		throw new NodeOperationError(this.getNode(), `No outcome named "${wanted}" exists in this Halo`, {
			itemIndex,
			description: `Pick an outcome from the list or use one of this Halo's outcomes: ${describeOutcomes(outcomes)}.`,
		});
	}
	return toResolved(found);
}

function describeOutcomes(outcomes: IDataObject[]): string {
	const names = outcomes.map(outcomeName).filter(Boolean);
	return names.length ? names.map((name) => `"${name}"`).join(', ') : '(none visible to this API application)';
}
