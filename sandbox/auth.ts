import { randomBytes } from 'node:crypto';
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

export class OAuthError extends Error {
	constructor(
		readonly status: number,
		readonly error: string,
		readonly description: string,
	) {
		super(description);
	}
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

	constructor(
		private readonly settings: { tokenLifetimeSeconds: number; requireTenant?: string },
	) {}

	issue(request: TokenRequest, applications: ReadonlyMap<string, ApiApplication>, now: number): TokenAnswer {
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
		const requested = (request.scope ?? '').split(/\s+/).filter(Boolean);
		const granted = requested.length > 0 ? requested : application.scopes;
		const notAllowed = granted.filter((scope) => !application.scopes.includes(scope));
		if (notAllowed.length > 0) {
			throw new OAuthError(400, 'invalid_scope', `The application is not allowed the scope(s): ${notAllowed.join(' ')}.`);
		}
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

	/** The token behind an Authorization header, or the reason it is refused. */
	check(header: string | undefined, now: number): IssuedToken | string {
		const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
		if (!match) return 'Authorization has been denied for this request: no bearer token.';
		const token = this.tokens.get(match[1]);
		if (!token) return 'Authorization has been denied for this request: unknown token.';
		if (token.expiresAt <= now) {
			this.tokens.delete(match[1]);
			return 'Authorization has been denied for this request: the token has expired.';
		}
		return token;
	}
}
