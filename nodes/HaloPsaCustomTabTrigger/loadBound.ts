/**
 * How many tab loads a minute may start the workflow (and so call HaloPSA), per trigger node, in this
 * n8n process: a sliding window of the last minute's admitted loads. Several n8n processes (queue
 * mode with webhook processes) each keep their own.
 */
const WINDOW_MS = 60_000;

export type LoadDecision = { admitted: true } | { admitted: false; retryAfterSeconds: number };

export class LoadBound {
	private readonly loads = new Map<string, number[]>();

	admit(key: string, limit: number, now = Date.now()): LoadDecision {
		const recent = (this.loads.get(key) ?? []).filter((at) => at > now - WINDOW_MS);
		this.loads.set(key, recent);
		if (recent.length >= limit) {
			return { admitted: false, retryAfterSeconds: Math.max(1, Math.ceil((recent[0] + WINDOW_MS - now) / 1000)) };
		}
		recent.push(now);
		return { admitted: true };
	}
}
