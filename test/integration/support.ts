/** Support for the integration tests that count the node's requests to the sandbox. */
import type { SandboxStats } from '../../sandbox';

/** The sandbox's API requests by route, without the token fetch (`/auth`, `/api/authinfo`). */
export function apiRequestsByRoute(stats: SandboxStats): Record<string, number> {
	return Object.fromEntries(
		Object.entries(stats.requestsByRoute).filter(([route]) => route.includes(' /api/') && !route.endsWith(' /api/authinfo')),
	);
}
