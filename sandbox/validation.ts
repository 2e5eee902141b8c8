import { modelError } from './http';

/** The type a writable field binds to, as Halo's (Newtonsoft-based) model binder converts it. */
export type FieldType = 'int' | 'number' | 'bool' | 'string' | 'date' | 'array' | 'object';

export type Schema = Record<string, FieldType>;

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

/** Converts one value; undefined means it cannot be converted. Null stays null. */
function convert(type: FieldType, value: unknown): unknown {
	if (value === null) return null;
	switch (type) {
		case 'int': {
			const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
			return typeof number === 'number' && Number.isInteger(number) ? number : undefined;
		}
		case 'number': {
			const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
			return typeof number === 'number' && Number.isFinite(number) ? number : undefined;
		}
		case 'bool':
			if (typeof value === 'boolean') return value;
			if (value === 'true' || value === 'false') return value === 'true';
			return value === 0 || value === 1 ? value === 1 : undefined;
		case 'string':
			return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
				? String(value)
				: undefined;
		case 'date':
			return typeof value === 'string' && !Number.isNaN(Date.parse(value)) ? value : undefined;
		case 'array':
			return Array.isArray(value) ? value : undefined;
		case 'object':
			return typeof value === 'object' && !Array.isArray(value) ? value : undefined;
	}
}

/**
 * Binds an array-bodied POST the way Halo's model binder does: the body must be an array of
 * objects, known fields are converted to their types (unknown fields are ignored), and every
 * failure is reported at once as `"[i].field": [...]`.
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
	const records = body.map((element, index) => {
		if (typeof element !== 'object' || element === null || Array.isArray(element)) {
			errors[`[${index}]`] = [`Could not convert ${describe(element)} to a record. Path '[${index}]'.`];
			return {};
		}
		const record: Record<string, unknown> = {};
		for (const [rawName, value] of Object.entries(element as Record<string, unknown>)) {
			const name = rawName.toLowerCase();
			const type = schema[name];
			if (!type) continue;
			const converted = convert(type, value);
			if (converted === undefined) {
				errors[`[${index}].${name}`] = [
					`Could not convert ${describe(value)} to ${converterNames[type]}. Path '[${index}].${name}'.`,
				];
				continue;
			}
			if (converted !== null) record[name] = converted;
		}
		return record;
	});
	if (Object.keys(errors).length > 0) throw modelError(errors);
	return records;
}
