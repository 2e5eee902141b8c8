import { haloDate, parseHaloDate } from './dates';
import { dotNetError, modelError } from './http';
import { decimalFrom, integerFrom } from './numbers';

/** The type a writable field binds to, as Halo's (Newtonsoft-based) model binder converts it. */
export type FieldType = 'int' | 'number' | 'bool' | 'string' | 'date' | 'array' | 'object';

/** A field: a plain type, or a list of records bound with their own schema (an invoice's `lines`). */
export type Field = FieldType | { records: Schema };

export type Schema = Record<string, Field>;

const converterNames: Record<FieldType, string> = {
	int: 'integer',
	number: 'double',
	bool: 'boolean',
	string: 'string',
	date: 'DateTime',
	array: 'List',
	object: 'object',
};

function describe(value: unknown): string {
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'array';
	if (typeof value === 'object') return 'object';
	return String(value);
}

/** ISO 8601 dates and date-times (`2025-03-01`, `2025-03-01T09:30:00`, with an optional zone). */
const isoDate = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$/i;

/** Converts one value; undefined means it cannot be converted. Null stays null. */
function convert(type: FieldType, value: unknown): unknown {
	if (value === null) return null;
	switch (type) {
		case 'int':
			return integerFrom(value);
		case 'number':
			return decimalFrom(value);
		case 'bool':
			if (typeof value === 'boolean') return value;
			if (typeof value === 'string' && /^(true|false)$/i.test(value)) return value.toLowerCase() === 'true';
			return value === 0 || value === 1 ? value === 1 : undefined;
		case 'string':
			return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
				? String(value)
				: undefined;
		case 'date': {
			if (typeof value !== 'string' || !isoDate.test(value.trim())) return undefined;
			const time = parseHaloDate(value.trim().replace(' ', 'T'));
			// Stored the way Halo writes dates: UTC without a zone.
			return Number.isNaN(time) ? undefined : haloDate(time);
		}
		case 'array':
			return Array.isArray(value) ? value : undefined;
		case 'object':
			return typeof value === 'object' && !Array.isArray(value) ? value : undefined;
	}
}

/**
 * Binds one record at `path` into `errors`: known fields are converted to their types (unknown
 * fields are ignored). Nulls are dropped at the top level (Halo treats them as "not sent") and
 * kept in nested records, where they clear a value (a line's `enddate: null`).
 */
function bindRecord(value: unknown, schema: Schema, path: string, errors: Record<string, string[]>, keepNulls: boolean): Record<string, unknown> {
	if (typeof value !== 'object' || value === null || Array.isArray(value)) {
		errors[path || '$'] = [`Could not convert ${describe(value)} to a record. Path '${path || '$'}'.`];
		return {};
	}
	const record: Record<string, unknown> = {};
	for (const [rawName, raw] of Object.entries(value as Record<string, unknown>)) {
		const name = rawName.toLowerCase();
		const field = schema[name];
		if (!field) continue;
		const fieldPath = path ? `${path}.${name}` : name;
		if (typeof field === 'object') {
			if (raw === null) continue;
			if (!Array.isArray(raw)) {
				errors[fieldPath] = [`Could not convert ${describe(raw)} to List. Path '${fieldPath}'.`];
				continue;
			}
			record[name] = raw.map((element, index) => bindRecord(element, field.records, `${fieldPath}[${index}]`, errors, true));
			continue;
		}
		const converted = convert(field, raw);
		if (converted === undefined) {
			errors[fieldPath] = [`Could not convert ${describe(raw)} to ${converterNames[field]}. Path '${fieldPath}'.`];
			continue;
		}
		if (converted !== null || keepNulls) record[name] = converted;
	}
	return record;
}

/**
 * Binds an array-bodied POST the way Halo's model binder does: the body must be an array of
 * objects, and every failure is reported at once as `"[i].field": [...]`.
 */
export function bindArray(body: unknown, schema: Schema): Array<Record<string, unknown>> {
	if (!Array.isArray(body)) {
		throw modelError({
			$: [
				'Cannot deserialize the current JSON object into type \'System.Collections.Generic.List`1\' because the type requires a JSON array. Send the records as an array: [{...}].',
			],
		});
	}
	if (body.length === 0) throw modelError({ $: ['The request must contain at least one record.'] });
	const errors: Record<string, string[]> = {};
	const records = body.map((element, index) => bindRecord(element, schema, `[${index}]`, errors, false));
	if (Object.keys(errors).length > 0) throw modelError(errors);
	return records;
}

/** Binds one JSON object (a control-API body) with errors keyed by field name. */
export function bindObject(body: unknown, schema: Schema): Record<string, unknown> {
	const errors: Record<string, string[]> = {};
	const record = bindRecord(body, schema, '', errors, false);
	if (Object.keys(errors).length > 0) throw modelError(errors);
	return record;
}

/*
 * References: ids a record (API body, simulation) names must exist. Used by the routes and by the
 * domain rules alike.
 */

/** A required reference (client_id on a site, ...) that must exist: 400 otherwise. */
export function reference<T>(row: T | undefined, field: string, id: unknown): T {
	if (row === undefined) throw dotNetError(400, `Invalid ${field}: ${String(id)} does not exist`);
	return row;
}

/**
 * Checks each referenced id the record sets (0 = none) exists: 400 `Invalid client_id: 9 does not
 * exist` otherwise. Then the `notZero` fields (references an update may not clear) must not be 0:
 * 400 `Invalid client_id: 0 does not exist`.
 */
export function checkReferences(
	record: Record<string, unknown>,
	lookups: Record<string, (id: number) => unknown>,
	notZero: readonly string[] = [],
): void {
	for (const [field, lookup] of Object.entries(lookups)) {
		const id = record[field];
		if (typeof id === 'number' && id !== 0 && lookup(id) === undefined) reference(undefined, field, id);
	}
	for (const field of notZero) if (record[field] === 0) reference(undefined, field, 0);
}

/*
 * Settings of the sandbox itself (options, control API, CLI): strict types and sane ranges, so a
 * typo or a string never becomes NaN, a timer overflow or an out-of-memory dataset.
 */

export function integerSetting(value: unknown, name: string, min: number, max: number): number {
	if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
		throw dotNetError(400, `${name} must be an integer from ${min} to ${max}; got ${JSON.stringify(value) ?? 'nothing'}`, 'System.ArgumentException');
	}
	return value;
}

export function booleanSetting(value: unknown, name: string): boolean {
	if (typeof value !== 'boolean') {
		throw dotNetError(400, `${name} must be true or false; got ${JSON.stringify(value) ?? 'nothing'}`, 'System.ArgumentException');
	}
	return value;
}

export function objectSetting(value: unknown, name: string, allowed: readonly string[]): Record<string, unknown> {
	if (typeof value !== 'object' || value === null || Array.isArray(value)) {
		throw dotNetError(400, `${name} must be a JSON object`, 'System.ArgumentException');
	}
	const unknown = Object.keys(value).filter((key) => !allowed.includes(key));
	if (unknown.length > 0) {
		throw dotNetError(400, `${name}: unknown field(s) ${unknown.join(', ')}; known: ${allowed.join(', ')}`, 'System.ArgumentException');
	}
	return value as Record<string, unknown>;
}

/** setTimeout overflows past 2^31-1 ms; no sandbox delay needs more than ten minutes. */
export const maxDelayMs = 10 * 60 * 1000;

/** Ten years: the longest token lifetime the sandbox takes. */
export const maxTokenLifetimeSeconds = 10 * 365 * 24 * 3600;

/** Seeds of the fault RNG and the dataset generator are 32-bit unsigned integers. */
export const maxSeed = 4294967295;
