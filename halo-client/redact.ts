/** Keeps secrets, tokens and passwords out of anything shown to a user or written to a log. */

export const REDACTED = '[redacted]';

const SECRET_PATTERNS: RegExp[] = [
	/(bearer\s+)[A-Za-z0-9\-._~+/]+=*/gi,
	/((?:access_token|refresh_token|id_token|client_secret|password|basic_password|accessToken|clientSecret)["']?\s*[:=]\s*["']?)[^"'&\s,}]+/gi,
];

/** Replaces every known secret value and anything that looks like a token or secret assignment. */
export function redactSecrets(text: string, secrets: Array<string | undefined | null> = []): string {
	let result = text;
	for (const secret of secrets) {
		// Very short values would blank out ordinary words; a real secret is never that short.
		if (typeof secret === 'string' && secret.length >= 4) result = result.split(secret).join(REDACTED);
	}
	for (const pattern of SECRET_PATTERNS) result = result.replace(pattern, `$1${REDACTED}`);
	return result;
}

const SECRET_KEYS = /^(access_?token|refresh_?token|id_?token|client_?secret|password|basic_password|authorization)$/i;

/** Deep copy of `value` with secret-named keys and known secret values redacted. */
export function redactObject<T>(value: T, secrets: Array<string | undefined | null> = []): T {
	if (typeof value === 'string') return redactSecrets(value, secrets) as T;
	if (Array.isArray(value)) return value.map((entry) => redactObject(entry, secrets)) as T;
	if (value && typeof value === 'object' && !Buffer.isBuffer(value)) {
		const copy: Record<string, unknown> = {};
		for (const [key, entry] of Object.entries(value as Record<string, unknown>)) {
			copy[key] = SECRET_KEYS.test(key) && entry ? REDACTED : redactObject(entry, secrets);
		}
		return copy as T;
	}
	return value;
}
