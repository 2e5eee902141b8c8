import { dotNetError } from './http';
import { seededRandom, type Random } from './random';

export type FaultKind = 'status' | 'slow' | 'drop' | 'processed-then-fail';

/** A fault on the routes matching `route` ("POST /api/actions"; `*` matches anything). */
export interface FaultRule {
	route: string;
	kind: FaultKind;
	/** Status answered by `status` and `processed-then-fail` faults (default 500). */
	status?: 500 | 502 | 503;
	/** Delay of a `slow` fault (default 2000 ms). */
	delayMs?: number;
	/** Chance that a matching request is hit (default 1). */
	probability?: number;
	/** Hit only this many requests, then the rule is spent (default unlimited). */
	count?: number;
	/** How `processed-then-fail` fails after the write: an error status (default) or a dropped connection. */
	failWith?: 'status' | 'drop';
}

interface ActiveRule {
	rule: FaultRule;
	matcher: RegExp;
	remaining: number;
}

const kinds: readonly FaultKind[] = ['status', 'slow', 'drop', 'processed-then-fail'];

function matcherFor(route: string): RegExp {
	const pattern = route
		.trim()
		.toLowerCase()
		.split('*')
		.map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
		.join('.*');
	return new RegExp(`^${pattern}$`);
}

/** Checks a control-API fault list, answering 400 with what is wrong. */
export function validateFaults(input: unknown): FaultRule[] {
	const list = Array.isArray(input) ? input : [input];
	return list.map((value, index) => {
		const rule = value as FaultRule;
		if (typeof value !== 'object' || value === null || typeof rule.route !== 'string' || !kinds.includes(rule.kind)) {
			throw dotNetError(400, `Fault ${index} needs a route (e.g. "POST /api/actions") and a kind (${kinds.join(', ')})`);
		}
		if (rule.status !== undefined && ![500, 502, 503].includes(rule.status)) {
			throw dotNetError(400, `Fault ${index}: status must be 500, 502 or 503`);
		}
		if (rule.probability !== undefined && !(rule.probability >= 0 && rule.probability <= 1)) {
			throw dotNetError(400, `Fault ${index}: probability must be between 0 and 1`);
		}
		if (rule.count !== undefined && !(Number.isInteger(rule.count) && rule.count > 0)) {
			throw dotNetError(400, `Fault ${index}: count must be a positive integer`);
		}
		return rule;
	});
}

/** Decides, per request, which configured fault (if any) hits it. */
export class FaultInjector {
	private rules: ActiveRule[] = [];
	private random: Random;
	/** How many requests each rule has hit, for tests. */
	fired = 0;

	constructor(seed: number) {
		this.random = seededRandom(seed);
	}

	add(rules: FaultRule[], seed?: number): void {
		if (seed !== undefined) this.random = seededRandom(seed);
		for (const rule of rules) {
			this.rules.push({ rule, matcher: matcherFor(rule.route), remaining: rule.count ?? Number.POSITIVE_INFINITY });
		}
	}

	clear(): void {
		this.rules = [];
		this.fired = 0;
	}

	list(): Array<FaultRule & { remaining: number | null }> {
		return this.rules.map(({ rule, remaining }) => ({ ...rule, remaining: Number.isFinite(remaining) ? remaining : null }));
	}

	/** The fault for this request, consuming one of its count. */
	pick(route: string): FaultRule | undefined {
		const key = route.toLowerCase();
		for (const active of this.rules) {
			if (!active.matcher.test(key)) continue;
			if (active.rule.probability !== undefined && this.random() >= active.rule.probability) continue;
			active.remaining -= 1;
			if (active.remaining <= 0) this.rules = this.rules.filter((other) => other !== active);
			this.fired += 1;
			return active.rule;
		}
		return undefined;
	}
}
