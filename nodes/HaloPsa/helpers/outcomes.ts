import type { IDataObject, IExecuteFunctions, INodeParameterResourceLocator } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import type { HaloFunctions } from '../../transport';
import { haloApiRequestAllItems, memoisedPromise } from '../../transport';
import { toHaloId } from './values';

/** Halo's default outcome names for the three note actions. */
export const DEFAULT_OUTCOME_NAMES = {
	customerNote: 'Note',
	internalNote: 'Private Note',
	emailContact: 'Email User',
} as const;

/**
 * The outcome (Halo "action") a note asks for, as the user gave it: an ID (picked from the live
 * list or typed; `id` is undefined when the text is not a number) or a name.
 */
export type OutcomeChoice = { by: 'id'; id: number | undefined; text: string } | { by: 'name'; name: string };

// One /Outcome request per execution: the router calls operations once per item with the same context.
const outcomeCache = new WeakMap<object, Promise<IDataObject[]>>();

export function outcomeName(outcome: IDataObject): string {
	return String(outcome.outcome ?? outcome.buttonname ?? outcome.name ?? '').trim();
}

/** The tenant's outcomes (`GET /Outcome`, a bare array), cached for the current execution. */
export async function getTenantOutcomes(this: HaloFunctions, itemIndex?: number): Promise<IDataObject[]> {
	return await memoisedPromise(outcomeCache, this, async () => await haloApiRequestAllItems.call(this, '/Outcome', null, { itemIndex }));
}

/** Reads the outcome parameter without asking Halo anything; empty means Halo's default name for the operation. */
export function readOutcomeChoice(
	this: IExecuteFunctions,
	parameterName: string,
	defaultName: string,
	itemIndex: number,
): OutcomeChoice {
	const locator = this.getNodeParameter(parameterName, itemIndex, { mode: 'name', value: '' }) as INodeParameterResourceLocator;
	const value = String(locator?.value ?? '').trim();
	if (value && (locator.mode === 'id' || locator.mode === 'list')) {
		const id = Number(value);
		return { by: 'id', id: Number.isInteger(id) && id > 0 ? id : undefined, text: value };
	}
	return { by: 'name', name: value || defaultName };
}

/**
 * The action fields naming the outcome: `outcome_id` for an ID, the name in `outcome` otherwise.
 * Halo resolves a name itself, so the common path needs no `GET /Outcome` (docs/halo-api.md, Actions).
 */
export function outcomeFields(choice: OutcomeChoice): IDataObject {
	return choice.by === 'id' ? { outcome_id: choice.id } : { outcome: choice.name };
}

/** Whether Halo refused an action for its outcome (400 "An Outcome must be entered for this Action"). */
export function isOutcomeRefusal(error: unknown): boolean {
	return error instanceof NodeApiError && error.httpCode === '400' && /outcome/i.test(error.message);
}

/** A name as compared when Halo refused it: case and spacing do not count. */
function comparableName(name: unknown): string {
	return String(name ?? '').toLowerCase().replace(/\s+/g, '');
}

/** The outcomes `name` can mean: the same name or button name, whatever its case and spacing. */
export function outcomesNamed(outcomes: IDataObject[], name: string): IDataObject[] {
	const wanted = comparableName(name);
	const exact = name.trim().toLowerCase();
	const matches = outcomes.filter(
		(outcome) => comparableName(outcomeName(outcome)) === wanted || comparableName(outcome.buttonname) === wanted,
	);
	// "Private Note" and "PrivateNote" both existing: the one spelled as given wins, else it is ambiguous.
	const spelledAsGiven = matches.filter((outcome) => outcomeName(outcome).toLowerCase() === exact);
	return spelledAsGiven.length === 1 ? spelledAsGiven : matches;
}

/**
 * After Halo refused the outcome a note named (`refusal`, a 400, so nothing was written): looks
 * the tenant's outcomes up once and returns the ID of the one the user meant when the name
 * differs only in case or spacing (or this Halo does not take names), so the note can be sent
 * again with it. Otherwise fails with the tenant's real outcome names.
 */
export async function outcomeIdAfterRefusal(
	this: IExecuteFunctions,
	choice: OutcomeChoice,
	refusal: unknown,
	itemIndex: number,
): Promise<number> {
	const outcomes = await getTenantOutcomes.call(this, itemIndex);
	if (choice.by === 'id') {
		if (choice.id !== undefined && outcomes.some((outcome) => toHaloId(outcome.id) === choice.id)) throw refusal;
		throw new NodeOperationError(this.getNode(), `No outcome with the ID "${choice.text}" exists in this Halo`, {
			itemIndex,
			description: `Outcomes in this Halo: ${describeOutcomes(outcomes)}.`,
		});
	}
	const matches = outcomesNamed(outcomes, choice.name);
	if (matches.length === 1) return toHaloId(matches[0].id) as number;
	if (matches.length > 1) {
		throw new NodeOperationError(this.getNode(), `Several outcomes in this Halo match the name "${choice.name}"`, {
			itemIndex,
			description: `Pick the outcome from the list or by ID; the candidates are ${describeOutcomes(matches)}.`,
		});
	}
	throw new NodeOperationError(this.getNode(), `No outcome named "${choice.name}" exists in this Halo`, {
		itemIndex,
		description: `Pick an outcome from the list or use one of this Halo's outcomes: ${describeOutcomes(outcomes)}.`,
	});
}

function describeOutcomes(outcomes: IDataObject[]): string {
	const names = outcomes.map(outcomeName).filter(Boolean);
	return names.length ? names.map((name) => `"${name}"`).join(', ') : '(none visible to this API application)';
}
