import { readHaloDay } from '../dates';
import type { FactName } from '../facts';
import { FACT_CATALOG, FACT_NAMES, OPEN_PATH_PREFIXES, pathKind } from '../facts';
import {
	ALL_OPERATORS,
	DATE_OPERATORS,
	LIST_FACT_OPERATORS,
	LIST_VALUE_OPERATORS,
	NUMBER_OPERATORS,
	RELATIVE_DATE,
	SCALAR_FACT_OPERATORS,
} from '../operators';
import { didYouMean } from '../suggest';

export type Literal = string | number | boolean;

export interface FactReference {
	fact: FactName;
	path: string;
}

export interface LeafCondition {
	fact: FactName;
	path: string;
	operator: string;
	value: Literal | Literal[] | FactReference;
}

export type ConditionNode =
	| { all: ConditionNode[] }
	| { any: ConditionNode[] }
	| { not: ConditionNode }
	| LeafCondition;

export type PolicyEffect = 'deploy' | 'exclude';

export interface Policy {
	id: string;
	/** the software the policy is about; policies with the same name (any case) act together */
	software: string;
	effect: PolicyEffect;
	/** json-rules-engine conditions over the facts client, asset, coverage, software and context */
	conditions?: ConditionNode;
	/** asset type names (any case) or ids the policy is limited to */
	assetTypes?: Array<string | number>;
	/** client names (any case) or ids the policy is limited to or skips */
	clients?: { include?: Array<string | number>; exclude?: Array<string | number> };
	/**
	 * deploy: remove the software from in-scope assets that are no longer targeted;
	 * exclude: remove it from the assets this policy excludes
	 */
	removeWhenCoverageEnds?: boolean;
	/** installed software names (substring, any case) that count as this software; default its own name */
	detect?: string[];
	description?: string;
}

export interface PolicyError {
	/** JSON path into the policy document, e.g. `$.policies[2].conditions.all[0].operator` */
	path: string;
	message: string;
}

/** The problems one per line (`path: message`), the first `limit` of them. */
export function describePolicyErrors(errors: PolicyError[], limit = 10): string {
	const shown = errors.slice(0, limit).map((error) => `${error.path}: ${error.message}`);
	if (errors.length > limit) shown.push(`... and ${errors.length - limit} more`);
	return shown.join('\n');
}

/** The headline over {@link describePolicyErrors}: "The policies are not valid (N problems)". */
export function policyErrorsHeadline(errors: PolicyError[]): string {
	return `The policies are not valid (${errors.length} problem${errors.length === 1 ? '' : 's'})`;
}

export class PolicyValidationError extends Error {
	constructor(readonly errors: PolicyError[]) {
		super(`${policyErrorsHeadline(errors)}:\n${describePolicyErrors(errors)}`);
		this.name = 'PolicyValidationError';
	}
}

const POLICY_KEYS = [
	'id',
	'software',
	'effect',
	'conditions',
	'assetTypes',
	'clients',
	'removeWhenCoverageEnds',
	'detect',
	'description',
];
const LEAF_KEYS = ['fact', 'path', 'operator', 'value', 'name', 'priority'];
const MAX_DEPTH = 16;
const PATH_SYNTAX = /^\$(\.[A-Za-z_][A-Za-z0-9_]*)+$/;

function describe(value: unknown): string {
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'a list';
	if (typeof value === 'string') return `"${value.length > 40 ? `${value.slice(0, 40)}...` : value}"`;
	if (typeof value === 'object') return 'an object';
	return `${typeof value} ${String(value)}`;
}

function isObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isLiteral(value: unknown): value is Literal {
	return (
		(typeof value === 'string' && value.length <= 500) ||
		(typeof value === 'number' && Number.isFinite(value)) ||
		typeof value === 'boolean'
	);
}

function key(path: string, name: string): string {
	return `${path}.${name}`;
}

class Checker {
	readonly errors: PolicyError[] = [];

	fail(path: string, message: string): void {
		this.errors.push({ path, message });
	}

	expected(path: string, what: string, value: unknown): void {
		this.fail(path, `expected ${what}, got ${describe(value)}`);
	}

	unknownKeys(path: string, value: Record<string, unknown>, allowed: string[]): void {
		for (const name of Object.keys(value)) {
			if (!allowed.includes(name)) {
				this.fail(key(path, name), `unknown property${didYouMean(name, allowed)}; expected one of ${allowed.join(', ')}`);
			}
		}
	}

	nonEmptyText(path: string, value: unknown): value is string {
		if (typeof value === 'string' && value.trim() !== '') return true;
		this.expected(path, 'a non-empty text', value);
		return false;
	}

	nameOrIdList(path: string, value: unknown): void {
		if (!Array.isArray(value) || value.length === 0) {
			this.expected(path, 'a non-empty list of names or ids', value);
			return;
		}
		value.forEach((entry, index) => {
			const ok = (typeof entry === 'string' && entry.trim() !== '') || (typeof entry === 'number' && Number.isFinite(entry));
			if (!ok) this.expected(`${path}[${index}]`, 'a name (text) or an id (number)', entry);
		});
	}

	policy(path: string, value: unknown, seenIds: Map<string, string>): void {
		if (!isObject(value)) {
			this.expected(path, 'a policy object with id, software, effect and conditions', value);
			return;
		}
		this.unknownKeys(path, value, POLICY_KEYS);
		if (this.nonEmptyText(key(path, 'id'), value.id)) {
			const earlier = seenIds.get(value.id);
			if (earlier) this.fail(key(path, 'id'), `expected a unique id, but "${value.id}" is already used at ${earlier}`);
			else seenIds.set(value.id, key(path, 'id'));
		}
		this.nonEmptyText(key(path, 'software'), value.software);
		if (value.effect !== 'deploy' && value.effect !== 'exclude') {
			this.expected(key(path, 'effect'), '"deploy" or "exclude"', value.effect);
		}
		if (value.conditions !== undefined) this.topCondition(key(path, 'conditions'), value.conditions);
		if (value.assetTypes !== undefined) this.nameOrIdList(key(path, 'assetTypes'), value.assetTypes);
		if (value.clients !== undefined) {
			const clientsPath = key(path, 'clients');
			if (!isObject(value.clients)) {
				this.expected(clientsPath, 'an object with include and/or exclude lists', value.clients);
			} else {
				this.unknownKeys(clientsPath, value.clients, ['include', 'exclude']);
				if (value.clients.include !== undefined) this.nameOrIdList(key(clientsPath, 'include'), value.clients.include);
				if (value.clients.exclude !== undefined) this.nameOrIdList(key(clientsPath, 'exclude'), value.clients.exclude);
			}
		}
		if (value.removeWhenCoverageEnds !== undefined && typeof value.removeWhenCoverageEnds !== 'boolean') {
			this.expected(key(path, 'removeWhenCoverageEnds'), 'true or false', value.removeWhenCoverageEnds);
		}
		if (value.detect !== undefined) {
			if (!Array.isArray(value.detect) || value.detect.length === 0) {
				this.expected(key(path, 'detect'), 'a non-empty list of installed software names', value.detect);
			} else {
				value.detect.forEach((name, index) => this.nonEmptyText(`${path}.detect[${index}]`, name));
			}
		}
		if (value.description !== undefined && typeof value.description !== 'string') {
			this.expected(key(path, 'description'), 'a text', value.description);
		}
	}

	topCondition(path: string, value: unknown): void {
		if (isObject(value) && ('fact' in value || 'operator' in value)) {
			this.fail(path, 'expected { all: [...] }, { any: [...] } or { not: {...} } around the conditions, got a single condition');
			return;
		}
		this.condition(path, value, 0);
	}

	condition(path: string, value: unknown, depth: number): void {
		if (depth > MAX_DEPTH) {
			this.fail(path, `expected conditions nested at most ${MAX_DEPTH} levels deep`);
			return;
		}
		if (!isObject(value)) {
			this.expected(path, 'a condition: { all }, { any }, { not } or { fact, path, operator, value }', value);
			return;
		}
		const boolean = ['all', 'any', 'not'].filter((name) => name in value);
		if (boolean.length > 1) {
			this.fail(path, `expected exactly one of all, any or not, got ${boolean.join(' and ')}`);
			return;
		}
		if (boolean.length === 1) {
			const [operator] = boolean;
			this.unknownKeys(path, value, [operator, 'name', 'priority']);
			const inner = value[operator];
			if (operator === 'not') {
				this.condition(key(path, 'not'), inner, depth + 1);
			} else if (!Array.isArray(inner)) {
				this.expected(key(path, operator), 'a list of conditions', inner);
			} else if (inner.length === 0) {
				// json-rules-engine counts an empty `all` and an empty `any` as true: every asset would match
				this.fail(
					key(path, operator),
					`expected at least one condition in ${operator}: an empty ${operator} would match every asset; leave "conditions" out of the policy if every asset in its scope is meant`,
				);
			} else {
				inner.forEach((child, index) => this.condition(`${path}.${operator}[${index}]`, child, depth + 1));
			}
			this.namePriority(path, value);
			return;
		}
		if ('condition' in value) {
			this.fail(key(path, 'condition'), 'expected the conditions written out: shared condition references are not supported');
			return;
		}
		this.leaf(path, value);
	}

	namePriority(path: string, value: Record<string, unknown>): void {
		if (value.name !== undefined && typeof value.name !== 'string') this.expected(key(path, 'name'), 'a text', value.name);
		if (value.priority !== undefined && !(typeof value.priority === 'number' && value.priority >= 1)) {
			this.expected(key(path, 'priority'), 'a number of 1 or more', value.priority);
		}
	}

	factPath(path: string, fact: unknown, factPath: unknown): string | undefined {
		if (typeof fact !== 'string' || !FACT_NAMES.includes(fact as FactName)) {
			const hint = typeof fact === 'string' ? didYouMean(fact, FACT_NAMES) : '';
			this.expected(key(path, 'fact'), `one of ${FACT_NAMES.join(', ')}${hint}`, fact);
			return undefined;
		}
		const name = fact as FactName;
		const known = Object.keys(FACT_CATALOG[name]);
		const open = OPEN_PATH_PREFIXES[name];
		const listing = `${known.join(', ')}${open ? `, ${open}<field>` : ''}`;
		if (typeof factPath !== 'string' || !PATH_SYNTAX.test(factPath)) {
			this.expected(key(path, 'path'), `a path like "$.name" into ${name}: one of ${listing}`, factPath);
			return undefined;
		}
		const kind = pathKind(name, factPath);
		if (!kind) {
			this.fail(key(path, 'path'), `unknown path "${factPath}" for fact ${name}${didYouMean(factPath, known)}; expected one of ${listing}`);
			return undefined;
		}
		return kind;
	}

	leaf(path: string, value: Record<string, unknown>): void {
		this.unknownKeys(path, value, LEAF_KEYS);
		this.namePriority(path, value);
		const kind = this.factPath(path, value.fact, value.path);
		const operator = value.operator;
		if (typeof operator !== 'string' || !ALL_OPERATORS.includes(operator)) {
			const hint = typeof operator === 'string' ? didYouMean(operator, ALL_OPERATORS) : '';
			this.expected(key(path, 'operator'), `an operator: one of ${ALL_OPERATORS.join(', ')}${hint}`, operator);
			return;
		}
		if (kind === 'list' && !LIST_FACT_OPERATORS.includes(operator)) {
			this.fail(key(path, 'operator'), `expected a list operator (${LIST_FACT_OPERATORS.join(', ')}) because ${String(value.path)} is a list, got "${operator}"`);
			return;
		}
		if (kind !== undefined && kind !== 'list' && !SCALAR_FACT_OPERATORS.includes(operator)) {
			this.fail(key(path, 'operator'), `expected a single-value operator (${SCALAR_FACT_OPERATORS.join(', ')}) because ${String(value.path)} is a single value, got "${operator}"`);
			return;
		}
		if (kind === 'boolean' && (NUMBER_OPERATORS.includes(operator) || DATE_OPERATORS.includes(operator))) {
			this.fail(key(path, 'operator'), `expected equal or notEqual for the true/false value ${String(value.path)}, got "${operator}"`);
			return;
		}
		this.value(key(path, 'value'), operator, value.value);
	}

	value(path: string, operator: string, value: unknown): void {
		if (isObject(value)) {
			this.unknownKeys(path, value, ['fact', 'path']);
			this.factPath(path, value.fact, value.path);
			return;
		}
		if (LIST_VALUE_OPERATORS.includes(operator)) {
			if (!Array.isArray(value) || value.length === 0) {
				this.expected(path, `a non-empty list of values for ${operator}`, value);
				return;
			}
			value.forEach((entry, index) => {
				if (!isLiteral(entry)) this.expected(`${path}[${index}]`, 'a text, number or true/false', entry);
			});
			return;
		}
		if (NUMBER_OPERATORS.includes(operator)) {
			if (typeof value !== 'number' || !Number.isFinite(value)) this.expected(path, `a number for ${operator}`, value);
			return;
		}
		if (DATE_OPERATORS.includes(operator)) {
			// exactly what the date operators can read, so an accepted date never compares as "no date"
			const ok = typeof value === 'string' && (RELATIVE_DATE.test(value.trim()) || readHaloDay(value, 'UTC').kind === 'day');
			if (!ok) this.expected(path, `a date (yyyy-MM-dd) or "today", "today+N", "today-N" for ${operator}`, value);
			return;
		}
		if (!isLiteral(value)) this.expected(path, `a text, number or true/false for ${operator}`, value);
	}
}

/** What the policy field of a node or a file may hold: `{ policies: [...] }`, a list, or one policy. */
function policyList(document: unknown, checker: Checker): { list: unknown[]; base: string } | undefined {
	if (Array.isArray(document)) return { list: document, base: '$' };
	if (isObject(document) && 'policies' in document) {
		checker.unknownKeys('$', document, ['policies']);
		if (!Array.isArray(document.policies)) {
			checker.expected('$.policies', 'a list of policies', document.policies);
			return undefined;
		}
		return { list: document.policies, base: '$.policies' };
	}
	if (isObject(document) && ('id' in document || 'software' in document)) return { list: [document], base: '$' };
	checker.expected('$', 'a list of policies or { "policies": [...] }', document);
	return undefined;
}

export interface PolicyCheck {
	policies: Policy[];
	errors: PolicyError[];
}

/** Validates a policy document (JSON text or parsed) and lists every problem with its path. */
export function checkPolicies(input: unknown): PolicyCheck {
	const checker = new Checker();
	let document = input;
	if (typeof input === 'string') {
		try {
			document = JSON.parse(input);
		} catch (error) {
			return { policies: [], errors: [{ path: '$', message: `expected JSON text, but it does not parse: ${(error as Error).message}` }] };
		}
	}
	const found = policyList(document, checker);
	if (!found) return { policies: [], errors: checker.errors };
	if (found.list.length === 0) checker.fail(found.base, 'expected at least one policy');
	const seenIds = new Map<string, string>();
	const single = found.base === '$' && !Array.isArray(document);
	found.list.forEach((policy, index) => checker.policy(single ? '$' : `${found.base}[${index}]`, policy, seenIds));
	return { policies: checker.errors.length === 0 ? (found.list as Policy[]) : [], errors: checker.errors };
}

/** Like {@link checkPolicies} but throws a {@link PolicyValidationError} listing every problem. */
export function parsePolicies(input: unknown): Policy[] {
	const { policies, errors } = checkPolicies(input);
	if (errors.length > 0) throw new PolicyValidationError(errors);
	return policies;
}
