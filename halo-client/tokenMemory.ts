import { createHash } from 'node:crypto';

/**
 * What one process remembers of the Halo tokens it fetched, so executions running at the same
 * time in that process fetch one token where n8n alone would fetch one each.
 *
 * n8n keeps the token in the credential (its database row, shared by every process in queue
 * mode) and calls the credential's `preAuthentication` when the stored token is empty or Halo
 * answered 401. It takes no lock around that call and hands it only the credential's values,
 * so concurrent executions each fetch a token:
 * - while a fetch for the same Halo identity is in flight, every caller waits for it instead;
 * - a caller whose token this process has already replaced (an execution that read the
 *   credential before the new token was stored, and got 401 for the old one) gets the
 *   replacement while it is within its lifetime, without a fetch;
 * - a caller that read the credential empty shortly after this process fetched a token for it
 *   (n8n stores the token only after the fetch returns, two database round trips later) gets that
 *   token; later, an empty credential gets a fetch of its own.
 * Another process cannot see this memory: with N processes running executions, a credential
 * without a token, or one expiry, costs at most N token requests.
 */

export interface FetchedToken {
	accessToken: string;
	/** Halo's `expires_in`, when it sent one */
	expiresInSeconds?: number;
}

interface Remembered {
	accessToken: string;
	/** tokens this one replaced, newest last */
	replaced: string[];
	/** when it is no longer handed out from memory (ms since the epoch) */
	handOutUntil: number;
	fetchedAt: number;
}

/** Replaced tokens kept per identity: enough for requests that were in flight across a few refreshes. */
const REPLACED_LIMIT = 8;
/** Identities kept: one per Halo application and scope in use in this process. */
const IDENTITY_LIMIT = 100;
/** How long after a fetch an empty credential is taken for one read before the token was stored. */
export const EMPTY_CREDENTIAL_GRACE_MS = 5000;

/** A key for everything that decides which token Halo issues; the secret only as part of a digest. */
export function tokenIdentity(parts: { baseUrl: string; tenant: string; authUrl: string; clientId: string; clientSecret: string; scope: string }): string {
	return createHash('sha256')
		.update(JSON.stringify([parts.baseUrl, parts.tenant, parts.authUrl, parts.clientId, parts.clientSecret, parts.scope]))
		.digest('hex');
}

/** Hands out tokens before their end, so a token is never used in its last moments. */
function handOutUntil(now: number, expiresInSeconds: number | undefined): number {
	if (expiresInSeconds === undefined || !Number.isFinite(expiresInSeconds) || expiresInSeconds <= 0) return Number.POSITIVE_INFINITY;
	const lifetimeMs = expiresInSeconds * 1000;
	return now + lifetimeMs - Math.min(30_000, lifetimeMs / 10);
}

export class TokenMemory {
	private readonly inFlight = new Map<string, Promise<Remembered>>();
	private readonly remembered = new Map<string, Remembered>();

	constructor(private readonly clock: () => number = Date.now) {}

	/**
	 * The token to use instead of `failedToken` (the stored one: empty, or refused by Halo):
	 * the fetch in flight for this identity, the replacement this process fetched for it, or a
	 * new fetch. A failed fetch is not remembered.
	 */
	async tokenFor(identity: string, failedToken: string, fetchToken: () => Promise<FetchedToken>): Promise<string> {
		const pending = this.inFlight.get(identity);
		if (pending) return (await pending).accessToken;
		const known = this.remembered.get(identity);
		const now = this.clock();
		if (known && now < known.handOutUntil) {
			const readBeforeStored = failedToken === '' && now - known.fetchedAt < EMPTY_CREDENTIAL_GRACE_MS;
			const alreadyReplaced = failedToken !== '' && failedToken !== known.accessToken && known.replaced.includes(failedToken);
			if (readBeforeStored || alreadyReplaced) return known.accessToken;
		}
		const fetching = (async (): Promise<Remembered> => {
			const fetched = await fetchToken();
			const replaced = [...(known?.replaced ?? []), ...(known ? [known.accessToken] : []), ...(failedToken ? [failedToken] : [])];
			const fetchedAt = this.clock();
			return {
				accessToken: fetched.accessToken,
				replaced: [...new Set(replaced)].filter((token) => token !== fetched.accessToken).slice(-REPLACED_LIMIT),
				handOutUntil: handOutUntil(fetchedAt, fetched.expiresInSeconds),
				fetchedAt,
			};
		})();
		this.inFlight.set(identity, fetching);
		try {
			const token = await fetching;
			this.remembered.delete(identity);
			this.remembered.set(identity, token);
			if (this.remembered.size > IDENTITY_LIMIT) this.remembered.delete(this.remembered.keys().next().value as string);
			return token.accessToken;
		} finally {
			this.inFlight.delete(identity);
		}
	}
}
