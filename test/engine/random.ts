import { SYNTHETIC_ASSET_TYPES, SYNTHETIC_CONTRACT_TYPES, SYNTHETIC_ITEMS } from '../../engine/synthetic';

type Random = () => number;

const pick = <T>(random: Random, list: readonly T[]): T => list[Math.floor(random() * list.length)];

/** One of the values, as a user might write it (texts in any case). */
export function anyOf(random: Random, values: ReadonlyArray<string | number>): string | number {
	const value = pick(random, values);
	return typeof value === 'string' ? anyCase(random, value) : anyId(random, value);
}

const SOFTWARE = ['SentinelOne', 'Huntress', 'Datto Agent', 'Keeper'];
const ITEM_FIELDS = ['items', 'itemIds', 'itemCodes', 'itemNames'];
const COVERAGE_FIELDS = ['contractTypes', 'contractTypeNames', 'contractTypeIds', 'contractIds', ...ITEM_FIELDS];

/** The text as a user might type it: as written, upper, lower or mixed case, sometimes padded. */
function anyCase(random: Random, text: string): string {
	const roll = random();
	if (roll < 0.25) return text;
	if (roll < 0.45) return text.toUpperCase();
	if (roll < 0.65) return text.toLowerCase();
	if (roll < 0.9) return [...text].map((char) => (random() < 0.5 ? char.toUpperCase() : char.toLowerCase())).join('');
	return ` ${text} `;
}

/** Ids come as numbers or as text, as a user may write them. */
function anyId(random: Random, id: number): string | number {
	return random() < 0.7 ? id : String(id);
}

function coverageValue(random: Random, field: string): string | number {
	if (field === 'contractTypeIds' || (field === 'contractTypes' && random() < 0.3)) return anyId(random, 1 + Math.floor(random() * 8));
	if (field.startsWith('contractType')) return anyCase(random, pick(random, SYNTHETIC_CONTRACT_TYPES));
	if (field === 'contractIds') return anyId(random, 1 + Math.floor(random() * 20));
	if (field === 'itemIds' || (field === 'items' && random() < 0.2)) return anyId(random, 100 + Math.floor(random() * 10));
	const item = pick(random, SYNTHETIC_ITEMS);
	if (field === 'itemCodes') return anyCase(random, item.code);
	if (field === 'itemNames') return anyCase(random, item.name);
	return anyCase(random, random() < 0.5 ? item.code : item.name);
}

/** A valid leaf over every fact, with membership and non-membership operators, so signatures get exercised. */
function validLeaf(random: Random): Record<string, unknown> {
	const roll = random();
	if (roll < 0.45) {
		const scopeRoll = random();
		const scope = scopeRoll < 0.45 ? 'client' : scopeRoll < 0.75 ? 'asset' : 'contract';
		// contract coverage offers the item lists only
		const field = pick(random, scope === 'contract' ? ITEM_FIELDS : COVERAGE_FIELDS);
		const operator = pick(random, ['containsAny', 'containsAll', 'containsNone', 'contains', 'doesNotContain']);
		const values = Array.from({ length: 1 + Math.floor(random() * 3) }, () => coverageValue(random, field));
		return {
			fact: 'coverage',
			path: `$.${scope}.${field}`,
			operator,
			value: operator === 'contains' || operator === 'doesNotContain' ? values[0] : values,
		};
	}
	if (roll < 0.6) return { fact: 'asset', path: '$.typeName', operator: pick(random, ['equalsIgnoreCase', 'equal', 'notEqual']), value: pick(random, SYNTHETIC_ASSET_TYPES) };
	if (roll < 0.68) return { fact: 'asset', path: '$.typeId', operator: pick(random, ['in', 'notIn', 'inIgnoreCase']), value: [1 + Math.floor(random() * 5), '2'] };
	if (roll < 0.74) return { fact: 'asset', path: '$.id', operator: pick(random, ['lessThan', 'greaterThanInclusive']), value: Math.floor(random() * 300) };
	if (roll < 0.8) return { fact: 'asset', path: '$.fields.warranty_end', operator: pick(random, ['dateBefore', 'dateOnOrAfter']), value: pick(random, ['today', 'today-365', 'today+90', '2024-01-01']) };
	if (roll < 0.86) {
		return random() < 0.5
			? { fact: 'client', path: '$.name', operator: 'inIgnoreCase', value: ['client 3', 'Client 4'] }
			: { fact: 'client', path: '$.name', operator: 'equal', value: 'Client 5' };
	}
	if (roll < 0.9) return { fact: 'client', path: '$.inactive', operator: 'equal', value: random() < 0.5 };
	if (roll < 0.95) return { fact: 'software', path: '$.names', operator: pick(random, ['containsAny', 'containsNone']), value: [`${pick(random, SOFTWARE).toLowerCase()} 1.0`] };
	return { fact: 'asset', path: '$.clientId', operator: 'equal', value: { fact: 'client', path: '$.id' } };
}

function validCondition(random: Random, depth: number): Record<string, unknown> {
	if (depth > 2 || random() < 0.5) return validLeaf(random);
	const kind = pick(random, ['all', 'any', 'not']);
	if (kind === 'not') return { not: validCondition(random, depth + 1) };
	return { [kind]: Array.from({ length: 1 + Math.floor(random() * 3) }, () => validCondition(random, depth + 1)) };
}

/** A valid policy of any shape the schema allows. */
export function randomValidPolicy(random: Random, index: number): Record<string, unknown> {
	const policy: Record<string, unknown> = {
		id: `policy-${index}`,
		software: pick(random, SOFTWARE),
		effect: random() < 0.7 ? 'deploy' : 'exclude',
		conditions: { [random() < 0.6 ? 'all' : 'any']: Array.from({ length: 1 + Math.floor(random() * 3) }, () => validCondition(random, 1)) },
	};
	if (random() < 0.3) policy.assetTypes = [pick(random, SYNTHETIC_ASSET_TYPES), random() < 0.5 ? 3 : 'laptop'];
	if (random() < 0.2) policy.clients = random() < 0.5 ? { exclude: ['Client 2', 7] } : { include: [`Client ${1 + Math.floor(random() * 10)}`] };
	if (random() < 0.3) policy.removeWhenCoverageEnds = true;
	if (random() < 0.2) policy.detect = ['sentinel', 'huntress'];
	return policy;
}

const JUNK: unknown[] = [null, undefined, 0, -1, 1.5, '', 'x', '$', '$.', true, [], {}, [[]], { all: 'x' }, NaN, 'today+', '2025-13-45', ['a', null]];

/** Breaks a valid value in one random place: wrong types, unknown keys, missing fields, junk. */
export function mutate(random: Random, value: unknown, depth = 0): unknown {
	if (depth > 6 || random() < 0.15) return pick(random, JUNK);
	if (Array.isArray(value)) {
		if (value.length === 0 || random() < 0.2) return [...value, pick(random, JUNK)];
		const copy = [...value];
		const at = Math.floor(random() * copy.length);
		copy[at] = mutate(random, copy[at], depth + 1);
		return copy;
	}
	if (typeof value === 'object' && value !== null) {
		const copy: Record<string, unknown> = { ...(value as Record<string, unknown>) };
		const keys = Object.keys(copy);
		const roll = random();
		if (roll < 0.15 || keys.length === 0) copy[pick(random, ['efect', 'paths', 'operater', 'vals', 'all', 'not', 'condition'])] = pick(random, JUNK);
		else if (roll < 0.3) delete copy[pick(random, keys)];
		else {
			const key = pick(random, keys);
			copy[key] = mutate(random, copy[key], depth + 1);
		}
		return copy;
	}
	return pick(random, JUNK);
}
