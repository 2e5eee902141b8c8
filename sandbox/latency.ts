import { integerSetting } from './validation';

/**
 * How long the sandbox waits before it answers an API or token request, as a hosted tenant over
 * the internet answers: one round trip plus Halo's own time, per request. It is per request, not
 * per connection: over plain HTTP the sandbox sees no TCP or TLS handshake to slow down, and a
 * client that reuses a connection still pays the round trip of every request. The handshakes of a
 * new connection are the TLS latency proxy's to add (bench/tls-latency-proxy.ts).
 */
export interface LatencySettings {
	/** every /api request (default 0) */
	latencyMs: number;
	/** `POST /auth/token`; null means the same as `latencyMs` (Halo's authorisation server is often slower) */
	tokenLatencyMs: number | null;
}

export const maxLatencyMs = 60_000;

export const noLatency: LatencySettings = { latencyMs: 0, tokenLatencyMs: null };

/** Checks the `latencyMs` and `tokenLatencyMs` of options or a config change (null clears the token latency): 400 naming what is wrong. */
export function validateLatency(fields: { latencyMs?: unknown; tokenLatencyMs?: unknown }): Partial<LatencySettings> {
	const settings: Partial<LatencySettings> = {};
	if (fields.latencyMs !== undefined) settings.latencyMs = integerSetting(fields.latencyMs, 'latencyMs', 0, maxLatencyMs);
	if (fields.tokenLatencyMs === null) settings.tokenLatencyMs = null;
	else if (fields.tokenLatencyMs !== undefined) settings.tokenLatencyMs = integerSetting(fields.tokenLatencyMs, 'tokenLatencyMs', 0, maxLatencyMs);
	return settings;
}

/** The wait before answering a request to `path` (normalised, lower case). */
export function latencyFor(settings: LatencySettings, path: string): number {
	return path === '/auth/token' ? (settings.tokenLatencyMs ?? settings.latencyMs) : settings.latencyMs;
}
