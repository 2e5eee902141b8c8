import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

/** Halo sends some ids as doubles (`95.0`); writes need integers. */
export function toHaloId(value: unknown): number | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	const id = Number(value);
	return Number.isFinite(id) ? Math.trunc(id) : undefined;
}

/** Reads a Halo timestamp (zone-less means UTC, as Halo writes them) into epoch milliseconds. */
export function parseHaloDate(value: unknown): number {
	if (typeof value !== 'string' || !value) return Number.NaN;
	const hasZone = /[zZ]|[+-]\d\d:?\d\d$/.test(value);
	return Date.parse(hasZone || !value.includes('T') ? value : `${value}Z`);
}

/** Formats a date for Halo's query filters (UTC, no zone suffix). */
export function toHaloDate(value: string | number | Date): string | undefined {
	const time = value instanceof Date ? value.getTime() : typeof value === 'number' ? value : parseHaloDate(value);
	return Number.isFinite(time) ? new Date(time).toISOString().slice(0, 19) : undefined;
}

/**
 * Reads a positive integer id from a parameter (a number, or a resource locator's extracted
 * value) and fails with a message naming the field when it is missing or not a number.
 */
export function requireId(this: IExecuteFunctions, parameterName: string, label: string, itemIndex: number): number {
	const raw = this.getNodeParameter(parameterName, itemIndex, '', { extractValue: true }) as unknown;
	const text = typeof raw === 'string' ? raw.trim() : raw;
	const id = toHaloId(text);
	if (text === '' || text === undefined || text === null) {
		throw new NodeOperationError(this.getNode(), `The ${label} is missing`, {
			itemIndex,
			description: `Enter the ${label}, pick it from the list, or map it from an earlier node.`,
		});
	}
	if (id === undefined || id <= 0 || String(text).includes('.') && id !== Number(text)) {
		throw new NodeOperationError(this.getNode(), `The ${label} "${String(text)}" is not a valid ID`, {
			itemIndex,
			description: `A ${label} is a whole number, like 1234.`,
		});
	}
	return id;
}

/** Like `requireId`, but an empty value means "not set". */
export function optionalId(this: IExecuteFunctions, parameterName: string, label: string, itemIndex: number): number | undefined {
	const raw = this.getNodeParameter(parameterName, itemIndex, '', { extractValue: true }) as unknown;
	if (raw === '' || raw === undefined || raw === null) return undefined;
	return requireId.call(this, parameterName, label, itemIndex);
}

/** Copies the positive ids among `values` to Halo's field names (`{ agentId: 'agent_id' }`); 0 or empty = not set. */
export function mapHaloIds(values: IDataObject, haloNames: Record<string, string>): IDataObject {
	const mapped: IDataObject = {};
	for (const [name, haloName] of Object.entries(haloNames)) {
		const id = toHaloId(values[name]);
		if (id !== undefined && id > 0) mapped[haloName] = id;
	}
	return mapped;
}

/** Copies the set (non-empty) values of `source` into a new object. */
export function withoutEmpty(source: IDataObject): IDataObject {
	const result: IDataObject = {};
	for (const [key, value] of Object.entries(source)) {
		if (value === undefined || value === null || value === '') continue;
		result[key] = value;
	}
	return result;
}

/** Turns the "Custom Fields" fixed collection into Halo's `customfields` array. */
export function toCustomFields(collection: IDataObject | undefined): IDataObject[] | undefined {
	const fields = (collection?.field as IDataObject[] | undefined) ?? [];
	const mapped = fields
		.filter((field) => String(field.id ?? field.name ?? '').trim() !== '')
		.map((field) => {
			const id = toHaloId(field.id);
			return id !== undefined ? { id, value: field.value ?? '' } : { name: String(field.id).trim(), value: field.value ?? '' };
		});
	return mapped.length ? mapped : undefined;
}
