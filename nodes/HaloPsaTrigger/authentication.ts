import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** The request headers as n8n hands them to the node (declared here: community nodes may not import node:http). */
export type RequestHeaders = Readonly<Record<string, string | string[] | undefined>>;

export interface BasicCredentials {
	username: string;
	password: string;
}

/** What a call must match. Only the password's SHA-256 is kept, so the static data never holds the password itself. */
export interface ExpectedCredentials {
	username: string;
	/** hex SHA-256 of the password; empty when no password is set (then nothing matches) */
	passwordDigest: string;
}

const DIGEST_PATTERN = /^[0-9a-f]{64}$/;
const DIGEST_PARAMETER_PATTERN = /^sha256:([0-9a-fA-F]{64})$/;

export function sha256Hex(value: string): string {
	return createHash('sha256').update(value, 'utf8').digest('hex');
}

/** Whether a secret is given as `sha256:<64 hex digits>`, its digest, rather than itself. */
export function isDigestForm(value: string): boolean {
	return DIGEST_PARAMETER_PATTERN.test(value.trim());
}

/**
 * The digest of a secret from the webhook credential: `sha256:<64 hex digits>` is taken as the
 * digest itself (so not even n8n's credential store holds the secret), anything else is hashed.
 * Empty stays empty.
 */
export function secretDigestOf(value: string): string {
	if (value === '') return '';
	const given = DIGEST_PARAMETER_PATTERN.exec(value.trim());
	return given ? given[1].toLowerCase() : sha256Hex(value);
}

/** Compares a received secret with an expected digest in constant time (equal-length digests leak neither value nor length). */
export function matchesDigest(received: string, expectedDigest: string): boolean {
	if (!DIGEST_PATTERN.test(expectedDigest)) return false;
	return timingSafeEqual(Buffer.from(sha256Hex(received), 'hex'), Buffer.from(expectedDigest, 'hex'));
}

export function readBasicCredentials(headers: RequestHeaders): BasicCredentials | undefined {
	const header = headers.authorization;
	if (typeof header !== 'string') return undefined;
	const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
	if (!match) return undefined;
	const decoded = Buffer.from(match[1], 'base64').toString('utf8');
	const separator = decoded.indexOf(':');
	if (separator < 0) return undefined;
	return { username: decoded.slice(0, separator), password: decoded.slice(separator + 1) };
}

/** Both parts are always compared, so a right username with a wrong password takes as long as a wrong one. */
export function basicCredentialsMatch(received: BasicCredentials | undefined, expected: ExpectedCredentials): boolean {
	if (!received || expected.username === '' || expected.passwordDigest === '') return false;
	const usernameMatches = matchesDigest(received.username, sha256Hex(expected.username));
	const passwordMatches = matchesDigest(received.password, expected.passwordDigest);
	return usernameMatches && passwordMatches;
}

/** Credentials for an automatically registered webhook, from the operating system's CSPRNG. */
export function generateBasicCredentials(): BasicCredentials {
	return {
		username: `n8n-${randomBytes(6).toString('hex')}`,
		password: randomBytes(32).toString('base64url'),
	};
}
