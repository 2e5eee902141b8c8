import { dotNetError } from './http';
import { seededRandom, type Random } from './random';
import { integerSetting, maxDelayMs, objectSetting } from './validation';

/**
 * - `status`: an error status (500 .NET body, 502/503/504 a gateway's HTML page), nothing processed
 * - `slow`: a delay, then the normal answer
 * - `drop`: the connection is reset (TCP RST) before anything is processed
 * - `timeout`: no answer at all, nothing processed, until the client gives up (or `delayMs` passes,
 *   then the connection is reset)
 * - `processed-then-fail`: the write happens, then an error status, or (`failWith: "drop"`) a reset,
 *   or (`failWith: "cut"`) the answer's head and half its body, then a reset
 */
export type FaultKind = 'status' | 'slow' | 'drop' | 'timeout' | 'processed-then-fail';

/** A fault on the routes matching `route` ("POST /api/actions"; `*` matches anything). */
export interface FaultRule {
	route: string;
	kind: FaultKind;
	/** Status answered by `status` and `processed-then-fail` faults: 500, 502, 503 or 504 (default 500). */
	status?: number;
	/** Delay of a `slow` fault (default 2000 ms); how long a `timeout` fault holds the request (default 120000 ms). */
	delayMs?: number;
	/** Chance that a matching request is hit (default 1). */
	probability?: number;
	/** Hit only this many requests, then the rule is spent (default unlimited). */
	count?: number;
	/** How `processed-then-fail` fails after the request is processed: an error status (default), a dropped connection, or an answer cut off half way. */
	failWith?: 'status' | 'drop' | 'cut';
}

interface ActiveRule {
	rule: FaultRule;
	matcher: RegExp;
	remaining: number;
	/** requests this rule hit */
	fired: number;
}

const kinds: readonly FaultKind[] = ['status', 'slow', 'drop', 'timeout', 'processed-then-fail'];

function matcherFor(route: string): RegExp {
	const pattern = route
		.trim()
		.toLowerCase()
		.split('*')
		.map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
		.join('.*');
	return new RegExp(`^${pattern}$`);
}

const ruleFields = ['route', 'kind', 'status', 'delayMs', 'probability', 'count', 'failWith'];
const statuses = [500, 502, 503, 504];
const failures = ['status', 'drop', 'cut'];

/** Checks a fault list (control API or code), answering 400 with what is wrong in which rule. */
export function validateFaults(input: unknown): FaultRule[] {
	const list = Array.isArray(input) ? input : [input];
	return list.map((value, index) => {
		const name = `Fault ${index}`;
		const fields = objectSetting(value, name, ruleFields);
		const { route, kind, status, delayMs, probability, count, failWith } = fields;
		if (typeof route !== 'string' || route.trim() === '' || !kinds.includes(kind as FaultKind)) {
			throw dotNetError(400, `${name} needs a route (e.g. "POST /api/actions") and a kind (${kinds.join(', ')})`);
		}
		const rule: FaultRule = { route, kind: kind as FaultKind };
		if (status !== undefined) {
			if (!statuses.includes(status as number)) throw dotNetError(400, `${name}: status must be 500, 502, 503 or 504`);
			rule.status = status as number;
		}
		if (delayMs !== undefined) rule.delayMs = integerSetting(delayMs, `${name}: delayMs`, 0, maxDelayMs);
		if (probability !== undefined) {
			if (typeof probability !== 'number' || !(probability >= 0 && probability <= 1)) {
				throw dotNetError(400, `${name}: probability must be a number from 0 to 1`);
			}
			rule.probability = probability;
		}
		if (count !== undefined) rule.count = integerSetting(count, `${name}: count`, 1, Number.MAX_SAFE_INTEGER);
		if (failWith !== undefined) {
			if (!failures.includes(failWith as string)) throw dotNetError(400, `${name}: failWith must be "status", "drop" or "cut"`);
			rule.failWith = failWith as FaultRule['failWith'];
		}
		return rule;
	});
}

/** Decides, per request, which configured fault (if any) hits it. */
export class FaultInjector {
	private rules: ActiveRule[] = [];
	private random: Random;
	/** How many requests the rules have hit in all, for tests. */
	fired = 0;

	constructor(seed: number) {
		this.random = seededRandom(seed);
	}

	add(rules: FaultRule[], seed?: number): void {
		if (seed !== undefined) this.random = seededRandom(seed);
		for (const rule of rules) {
			this.rules.push({ rule, matcher: matcherFor(rule.route), remaining: rule.count ?? Number.POSITIVE_INFINITY, fired: 0 });
		}
	}

	clear(): void {
		this.rules = [];
		this.fired = 0;
	}

	/** The rules still in force, with how many requests each has hit and may still hit (null: no limit). */
	list(): Array<FaultRule & { remaining: number | null; fired: number }> {
		return this.rules.map(({ rule, remaining, fired }) => ({ ...rule, remaining: Number.isFinite(remaining) ? remaining : null, fired }));
	}

	/** The fault for this request, consuming one of its count. */
	pick(route: string): FaultRule | undefined {
		const key = route.toLowerCase();
		for (const active of this.rules) {
			if (!active.matcher.test(key)) continue;
			if (active.rule.probability !== undefined && this.random() >= active.rule.probability) continue;
			active.remaining -= 1;
			active.fired += 1;
			if (active.remaining <= 0) this.rules = this.rules.filter((other) => other !== active);
			this.fired += 1;
			return active.rule;
		}
		return undefined;
	}
}
