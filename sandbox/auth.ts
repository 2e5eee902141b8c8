import { randomBytes } from 'node:crypto';
import { OAuthError } from './http';
import type { ApiApplication } from './types';

/** What a route needs: an area of Halo's permissions and read or edit access to it. */
export type Area =
	| 'tickets'
	| 'customers'
	| 'contracts'
	| 'invoices'
	| 'items'
	| 'assets'
	| 'software'
	| 'teams'
	| 'webhooks'
	| 'any';
export type Access = 'read' | 'edit';

/**
 * Scope mapping (documented in sandbox/README.md):
 * - `all` and `admin` allow everything;
 * - `admin:webhooks` is the only other scope that allows Webhook/WebhookEvent;
 * - `all:teams` allows Agent and Team; `all:standard` allows every other area, read and edit;
 * - `edit:<area>` allows read and edit of that area, `read:<area>` reads it;
 * - `any` (Agent/me) needs only a valid token.
 */
export function scopeAllows(scopes: ReadonlySet<string>, area: Area, access: Access): boolean {
	if (area === 'any' || scopes.has('all') || scopes.has('admin')) return true;
	if (area === 'webhooks') return scopes.has('admin:webhooks');
	if (area === 'teams' && scopes.has('all:teams')) return true;
	if (area !== 'teams' && scopes.has('all:standard')) return true;
	if (scopes.has(`edit:${area}`)) return true;
	return access === 'read' && scopes.has(`read:${area}`);
}

const areas: readonly Area[] = ['tickets', 'customers', 'contracts', 'invoices', 'items', 'assets', 'software', 'teams', 'webhooks'];
const wholeScopes = ['all', 'admin', 'all:standard', 'all:teams', 'admin:webhooks'];

/**
 * Whether an application holding `granted` may ask for `requested`: a scope it holds, or a
 * narrower one its scopes cover (`all` covers `read:tickets`; `all:standard` covers
 * `edit:assets`; `edit:X` covers `read:X`). `read:`/`edit:` of areas the sandbox does not serve
 * (`read:reporting`) are granted to `all`/`admin` applications and grant nothing here.
 */
export function scopeGrantable(granted: ReadonlySet<string>, requested: string): boolean {
	if (granted.has(requested)) return true;
	const everything = granted.has('all') || granted.has('admin');
	if (wholeScopes.includes(requested)) return everything;
	const match = /^(read|edit):([a-z_]+)$/.exec(requested);
	if (!match) return false;
	const area = match[2] as Area;
	if (!areas.includes(area)) return everything;
	return scopeAllows(granted, area, match[1] as Access);
}

export function requiredScope(area: Area, access: Access): string {
	if (area === 'webhooks') return 'admin:webhooks';
	return `${access}:${area}`;
}

export interface IssuedToken {
	clientId: string;
	agentId: number;
	scopes: ReadonlySet<string>;
	expiresAt: number;
}

export interface TokenRequest {
	grantType?: string;
	clientId?: string;
	clientSecret?: string;
	scope?: string;
	tenant?: string;
}

export interface TokenAnswer {
	token_type: 'Bearer';
	access_token: string;
	expires_in: number;
	scope: string;
}

/** Issues and checks bearer tokens for the configured API applications. */
export class TokenIssuer {
	private readonly tokens = new Map<string, IssuedToken>();
	issued = 0;
	/** API requests still to be let through before every live token expires (`expireAfter`) */
	private expiryCountdown?: number;

	constructor(
		private readonly settings: { tokenLifetimeSeconds: number; requireTenant?: string; echoSecretInTokenErrors?: boolean },
	) {}

	/** A token request's answer; a refusal ends with the submitted secret when `echoSecretInTokenErrors` is on. */
	issue(request: TokenRequest, applications: ReadonlyMap<string, ApiApplication>, now: number): TokenAnswer {
		try {
			return this.issueOrRefuse(request, applications, now);
		} catch (error) {
			if (!this.settings.echoSecretInTokenErrors || !(error instanceof OAuthError) || !request.clientSecret) throw error;
			throw new OAuthError(error.status, error.error, `${error.description} The client secret sent was ${request.clientSecret}.`);
		}
	}

	private issueOrRefuse(request: TokenRequest, applications: ReadonlyMap<string, ApiApplication>, now: number): TokenAnswer {
		if (this.settings.requireTenant !== undefined) {
			if (!request.tenant) throw new OAuthError(400, 'invalid_request', 'The tenant query parameter is required.');
			if (request.tenant.toLowerCase() !== this.settings.requireTenant.toLowerCase()) {
				throw new OAuthError(400, 'invalid_client', `Unknown tenant '${request.tenant}'.`);
			}
		}
		if (!request.grantType) throw new OAuthError(400, 'invalid_request', 'The grant_type parameter is missing.');
		if (request.grantType !== 'client_credentials') {
			throw new OAuthError(400, 'unsupported_grant_type', `The grant type '${request.grantType}' is not supported.`);
		}
		if (!request.clientId || !request.clientSecret) {
			throw new OAuthError(400, 'invalid_request', 'The client_id and client_secret parameters are required.');
		}
		const application = applications.get(request.clientId);
		if (!application || application.clientSecret !== request.clientSecret) {
			throw new OAuthError(401, 'invalid_client', 'The client credentials are invalid.');
		}
		const requested = (request.scope ?? '').toLowerCase().split(/\s+/).filter(Boolean);
		const granted = requested.length > 0 ? [...new Set(requested)] : application.scopes;
		const held = new Set(application.scopes);
		const notAllowed = granted.filter((scope) => !scopeGrantable(held, scope));
		if (notAllowed.length > 0) {
			throw new OAuthError(400, 'invalid_scope', `The application is not allowed the scope(s): ${notAllowed.join(' ')}.`);
		}
		this.sweep(now);
		const accessToken = randomBytes(32).toString('base64url');
		this.tokens.set(accessToken, {
			clientId: application.clientId,
			agentId: application.agentId,
			scopes: new Set(granted),
			expiresAt: now + this.settings.tokenLifetimeSeconds * 1000,
		});
		this.issued += 1;
		return {
			token_type: 'Bearer',
			access_token: accessToken,
			expires_in: this.settings.tokenLifetimeSeconds,
			scope: granted.join(' '),
		};
	}

	/** Forgets tokens expired for over an hour, at most once per 1,000 issued: memory stays flat, cost amortised. */
	private sweep(now: number): void {
		if (this.issued % 1000 !== 999) return;
		for (const [key, token] of this.tokens) if (token.expiresAt < now - 3600 * 1000) this.tokens.delete(key);
	}

	/** Expires every token issued so far at `now` (Halo revoking or timing out tokens at once); returns how many were valid. */
	expireAll(now: number): number {
		let expired = 0;
		for (const token of this.tokens.values()) {
			if (token.expiresAt > now) {
				token.expiresAt = now;
				expired += 1;
			}
		}
		return expired;
	}

	/**
	 * Lets `requests` more API requests through with the tokens live then, and expires every live token
	 * just before the next one is checked (Halo revoking tokens in the middle of a client's work).
	 */
	expireAfter(requests: number): void {
		this.expiryCountdown = requests;
	}

	cancelPendingExpiry(): void {
		this.expiryCountdown = undefined;
	}

	/** The token behind an Authorization header, or the reason it is refused. */
	check(header: string | undefined, now: number): IssuedToken | string {
		if (this.expiryCountdown !== undefined) {
			if (this.expiryCountdown === 0) {
				this.expireAll(now);
				this.expiryCountdown = undefined;
			} else {
				this.expiryCountdown -= 1;
			}
		}
		const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
		if (!match) return 'Authorization has been denied for this request: no bearer token.';
		const token = this.tokens.get(match[1]);
		if (!token) return 'Authorization has been denied for this request: unknown token.';
		// An expired token stays known (swept later), so every use of it says why it is refused.
		if (token.expiresAt <= now) return 'Authorization has been denied for this request: the token has expired.';
		return token;
	}
}
