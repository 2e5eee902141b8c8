import type { ApiRoute } from './routes/context';

interface CompiledRoute {
	route: ApiRoute;
	segments: string[];
	literals: number;
}

export interface RouteMatch {
	route: ApiRoute;
	params: Record<string, string>;
}

/** Lower-cases a path and drops empty segments and a trailing slash: Halo's paths are case-insensitive. */
export function normalisePath(pathname: string): string {
	let decoded = pathname;
	try {
		decoded = decodeURIComponent(pathname);
	} catch {
		// An undecodable path is routed as written; it will simply not match.
	}
	return `/${decoded.toLowerCase().split('/').filter(Boolean).join('/')}`;
}

const idLike = /^(\d+(\.0+)?|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

/** The stats key of a path no route matched: ids replaced by `:id`. */
export function genericRouteKey(method: string, path: string): string {
	return `${method} ${path
		.split('/')
		.map((segment) => (idLike.test(segment) ? ':id' : segment))
		.join('/')}`;
}

/** Matches method + path to a route; literal segments win over parameters (`/agent/me` over `/agent/:id`). */
export class Router {
	private readonly routes: CompiledRoute[];

	constructor(routes: ApiRoute[]) {
		this.routes = routes.map((route) => {
			const segments = route.pattern.split('/').filter(Boolean);
			return { route, segments, literals: segments.filter((segment) => !segment.startsWith(':')).length };
		});
	}

	/** A match, `'method'` when the path exists for another method, or undefined. */
	match(method: string, path: string): RouteMatch | 'method' | undefined {
		const parts = path.split('/').filter(Boolean);
		let best: { compiled: CompiledRoute; params: Record<string, string> } | undefined;
		let pathExists = false;
		for (const compiled of this.routes) {
			if (compiled.segments.length !== parts.length) continue;
			const params: Record<string, string> = {};
			const fits = compiled.segments.every((segment, index) => {
				if (segment.startsWith(':')) {
					params[segment.slice(1)] = parts[index];
					return true;
				}
				return segment === parts[index];
			});
			if (!fits) continue;
			pathExists = true;
			if (compiled.route.method !== method) continue;
			if (!best || compiled.literals > best.compiled.literals) best = { compiled, params };
		}
		if (best) return { route: best.compiled.route, params: best.params };
		return pathExists ? 'method' : undefined;
	}
}
