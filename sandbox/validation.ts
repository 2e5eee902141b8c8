import { haloDate, parseHaloDate } from './dates';
import { dotNetError, modelError } from './http';
import { decimalFrom, integerFrom } from './numbers';

/** The type a writable field binds to, as Halo's ASP.NET (System.Text.Json) binder reads it. */
/** `string` also takes a number or a boolean as text; `text` takes only a JSON string. */
export type FieldType = 'int' | 'number' | 'bool' | 'string' | 'text' | 'date' | 'array' | 'object';

/** A field: a plain type, or a list of records bound with their own schema (an invoice's `lines`). */
export type Field = FieldType | { records: Schema };

export type Schema = Record<string, Field>;

/** The .NET type named in the binder's message when a value does not convert. */
const dotNetTypes: Record<FieldType | 'records' | 'record', string> = {
	int: 'System.Int32',
	number: 'System.Double',
	bool: 'System.Boolean',
	string: 'System.String',
	text: 'System.String',
	date: 'System.DateTime',
	array: 'System.Collections.Generic.List`1[System.Object]',
	object: 'System.Object',
	records: 'System.Collections.Generic.List`1[System.Object]',
	record: 'System.Object',
};

/** ISO 8601 dates and date-times (`2025-03-01`, `2025-03-01T09:30:00`, with an optional zone). */
const isoDate = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * Converts one value; undefined means it cannot be converted. Null stays null. Strict, as
 * System.Text.Json is: a number field takes only a JSON number and a boolean only true or false,
 * so `"1"` or `"true"` is refused where Halo has an Int32 or a Boolean (the strictest reading: a
 * client that sends numbers and booleans works under every binder). A string field still takes a
 * number or a boolean as text.
 */
function convert(type: FieldType, value: unknown): unknown {
	if (value === null) return null;
	switch (type) {
		case 'int':
			return typeof value === 'number' ? integerFrom(value) : undefined;
		case 'number':
			return typeof value === 'number' ? decimalFrom(value) : undefined;
		case 'bool':
			return typeof value === 'boolean' ? value : undefined;
		case 'string':
			return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
				? String(value)
				: undefined;
		case 'text':
			return typeof value === 'string' ? value : undefined;
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

/** Where binding one body stands: its failures, and the body itself to place them in. */
interface Binding {
	body: unknown;
	errors: Record<string, string[]>;
}

/**
 * Where the value `container[key]` ends in the body written as compact JSON (what clients send):
 * the BytePositionInLine ASP.NET reports.
 */
function bytePositionAfter(binding: Binding, container: object, key: string | number): number {
	const marker = '\u0000here\u0000';
	const written = JSON.stringify(binding.body, function (this: unknown, name: string, value: unknown) {
		return this === container && name === String(key) ? marker : value;
	});
	const at = written.indexOf(JSON.stringify(marker));
	const value = JSON.stringify((container as Record<string, unknown>)[key as string]) ?? '';
	return at < 0 ? 0 : Buffer.byteLength(written.slice(0, at)) + Buffer.byteLength(value);
}

/** A conversion failure as ASP.NET words it: keyed `$[0].field`, with the .NET type, the JSON path and the byte position. */
function conversionError(binding: Binding, path: string, type: keyof typeof dotNetTypes, container: object, key: string | number): void {
	const jsonPath = `$${path.startsWith('[') || path === '' ? '' : '.'}${path}`;
	const position = bytePositionAfter(binding, container, key);
	binding.errors[jsonPath] = [
		`The JSON value could not be converted to ${dotNetTypes[type]}. Path: ${jsonPath} | LineNumber: 0 | BytePositionInLine: ${position}.`,
	];
}

/**
 * Binds one record at `path` into `errors`: known fields are converted to their types (unknown
 * fields are ignored). Nulls are dropped at the top level (Halo treats them as "not sent") and
 * kept in nested records, where they clear a value (a line's `enddate: null`).
 */
function bindRecord(
	binding: Binding,
	at: { container: object; key: string | number },
	schema: Schema,
	path: string,
	keepNulls: boolean,
): Record<string, unknown> {
	const value = (at.container as Record<string, unknown>)[at.key as string];
	if (typeof value !== 'object' || value === null || Array.isArray(value)) {
		conversionError(binding, path, 'record', at.container, at.key);
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
				conversionError(binding, fieldPath, 'records', value, rawName);
				continue;
			}
			record[name] = raw.map((_, index) => bindRecord(binding, { container: raw, key: index }, field.records, `${fieldPath}[${index}]`, true));
			continue;
		}
		const converted = convert(field, raw);
		if (converted === undefined) {
			conversionError(binding, fieldPath, field, value, rawName);
			continue;
		}
		if (converted !== null || keepNulls) record[name] = converted;
	}
	return record;
}

/**
 * Binds an array-bodied POST the way Halo's model binder does: the body must be an array of
 * objects, and every failure is reported at once as `"$[i].field": [...]`.
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
	const binding: Binding = { body, errors: {} };
	const records = body.map((_, index) => bindRecord(binding, { container: body, key: index }, schema, `[${index}]`, false));
	if (Object.keys(binding.errors).length > 0) throw modelError(binding.errors);
	return records;
}

/** Binds one JSON object (a control-API body) with errors keyed by field name. */
export function bindObject(body: unknown, schema: Schema): Record<string, unknown> {
	const binding: Binding = { body, errors: {} };
	const record = bindRecord(binding, { container: [body], key: 0 }, schema, '', false);
	if (Object.keys(binding.errors).length > 0) throw modelError(binding.errors);
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
