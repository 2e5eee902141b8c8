import { addDays, calendarDate } from './dates';

const WHOLE_NUMBER_TEXT = /^-?\d+(\.0+)?$/;

/**
 * The form two values are compared in by the case-insensitive operators and by coverage lookups:
 * text trimmed and lower case, whole numbers written without decimals (so `95`, `95.0` and `"95"` agree).
 */
export function normalizeKey(value: unknown): string {
	if (typeof value === 'number') return String(value);
	if (typeof value === 'string') {
		const text = value.trim();
		return WHOLE_NUMBER_TEXT.test(text) ? String(Number(text)) : text.toLowerCase();
	}
	if (typeof value === 'boolean') return String(value);
	return `\u0000${value === null ? 'null' : typeof value}`;
}

function keySet(values: unknown): Set<string> {
	return new Set((Array.isArray(values) ? values : [values]).map(normalizeKey));
}

/** `today`, `today+30` or `today-7` relative to the plan day, or a date read in the plan's zone. */
export const RELATIVE_DATE = /^today(?:\s*([+-])\s*(\d+))?$/i;

export function resolveDateOperand(value: unknown, planDate: string, timeZone: string): string | null {
	if (typeof value !== 'string') return null;
	const relative = RELATIVE_DATE.exec(value.trim());
	if (relative) {
		const days = relative[2] ? Number(relative[2]) * (relative[1] === '-' ? -1 : 1) : 0;
		return addDays(planDate, days);
	}
	return calendarDate(value, timeZone);
}

export interface OperatorDefinition {
	name: string;
	evaluate(factValue: unknown, value: unknown): boolean;
}

export const LIST_MEMBERSHIP_OPERATORS = ['contains', 'doesNotContain', 'containsAny', 'containsAll', 'containsNone'];
export const SCALAR_MEMBERSHIP_OPERATORS = ['equal', 'notEqual', 'in', 'notIn', 'equalsIgnoreCase', 'inIgnoreCase'];
export const NUMBER_OPERATORS = ['lessThan', 'lessThanInclusive', 'greaterThan', 'greaterThanInclusive'];
export const DATE_OPERATORS = ['dateBefore', 'dateOnOrBefore', 'dateAfter', 'dateOnOrAfter'];
/** Operators whose right-hand value is a list. */
export const LIST_VALUE_OPERATORS = ['in', 'notIn', 'inIgnoreCase', 'containsAny', 'containsAll', 'containsNone'];
export const LIST_FACT_OPERATORS = LIST_MEMBERSHIP_OPERATORS;
export const SCALAR_FACT_OPERATORS = [...SCALAR_MEMBERSHIP_OPERATORS, ...NUMBER_OPERATORS, ...DATE_OPERATORS];
export const ALL_OPERATORS = [...LIST_FACT_OPERATORS, ...SCALAR_FACT_OPERATORS];
/** Operators whose result depends only on whether the listed values are present (see the planner's signatures). */
export const MEMBERSHIP_OPERATORS = new Set([...LIST_MEMBERSHIP_OPERATORS, ...SCALAR_MEMBERSHIP_OPERATORS]);
/** Operators that succeed because of the values they found, so those values explain a decision. */
export const POSITIVE_LIST_OPERATORS = new Set(['contains', 'containsAny', 'containsAll']);

/**
 * The operators json-rules-engine lacks, plus `contains` / `doesNotContain` in place of its own: those
 * compare with `===`, but coverage lists hold lower-case names and ids as text, so "Managed Security"
 * or 7 would never be found. Every list operator compares through {@link normalizeKey}. Date
 * operators read `today±N` against the plan day.
 */
export function customOperators(planDate: string, timeZone: string): OperatorDefinition[] {
	const listOf = (factValue: unknown) => (Array.isArray(factValue) ? keySet(factValue) : null);
	const compareDates = (test: (fact: string, value: string) => boolean) => (factValue: unknown, value: unknown) => {
		const factDate = typeof factValue === 'string' ? calendarDate(factValue, timeZone) : null;
		const valueDate = resolveDateOperand(value, planDate, timeZone);
		return factDate !== null && valueDate !== null && test(factDate, valueDate);
	};
	return [
		{
			name: 'contains',
			evaluate: (factValue, value) => listOf(factValue)?.has(normalizeKey(value)) === true,
		},
		{
			// like json-rules-engine's: false when the fact is not a list at all
			name: 'doesNotContain',
			evaluate: (factValue, value) => listOf(factValue)?.has(normalizeKey(value)) === false,
		},
		{
			name: 'containsAny',
			evaluate: (factValue, value) => {
				const present = listOf(factValue);
				return present !== null && [...keySet(value)].some((key) => present.has(key));
			},
		},
		{
			name: 'containsAll',
			evaluate: (factValue, value) => {
				const present = listOf(factValue);
				return present !== null && [...keySet(value)].every((key) => present.has(key));
			},
		},
		{
			name: 'containsNone',
			evaluate: (factValue, value) => {
				const present = listOf(factValue);
				return present !== null && ![...keySet(value)].some((key) => present.has(key));
			},
		},
		{
			name: 'equalsIgnoreCase',
			evaluate: (factValue, value) =>
				factValue !== null && factValue !== undefined && normalizeKey(factValue) === normalizeKey(value),
		},
		{
			name: 'inIgnoreCase',
			evaluate: (factValue, value) =>
				factValue !== null && factValue !== undefined && keySet(value).has(normalizeKey(factValue)),
		},
		{ name: 'dateBefore', evaluate: compareDates((fact, value) => fact < value) },
		{ name: 'dateOnOrBefore', evaluate: compareDates((fact, value) => fact <= value) },
		{ name: 'dateAfter', evaluate: compareDates((fact, value) => fact > value) },
		{ name: 'dateOnOrAfter', evaluate: compareDates((fact, value) => fact >= value) },
	];
}
