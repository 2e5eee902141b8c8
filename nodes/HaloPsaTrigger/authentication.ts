import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

export interface BasicCredentials {
	username: string;
	password: string;
}

/** Hashing first gives equal-length buffers, so neither the value nor its length leaks through timing. */
export function constantTimeEquals(received: string, expected: string): boolean {
	const receivedDigest = createHash('sha256').update(received, 'utf8').digest();
	const expectedDigest = createHash('sha256').update(expected, 'utf8').digest();
	return timingSafeEqual(receivedDigest, expectedDigest);
}

export function readBasicCredentials(headers: IncomingHttpHeaders): BasicCredentials | undefined {
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
export function basicCredentialsMatch(received: BasicCredentials | undefined, expected: BasicCredentials): boolean {
	if (!received || expected.username === '' || expected.password === '') return false;
	const usernameMatches = constantTimeEquals(received.username, expected.username);
	const passwordMatches = constantTimeEquals(received.password, expected.password);
	return usernameMatches && passwordMatches;
}

/** Credentials for an automatically registered webhook, from the operating system's CSPRNG. */
export function generateBasicCredentials(): BasicCredentials {
	return {
		username: `n8n-${randomBytes(6).toString('hex')}`,
		password: randomBytes(32).toString('base64url'),
	};
}
