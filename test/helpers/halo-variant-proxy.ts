/**
 * An HTTP proxy in front of the Halo sandbox that makes it answer like another Halo variant
 * (docs/halo-api.md: shapes differ per tenant and endpoint): it can lower the page-size cap, spell the
 * envelope key differently, or leave fields out of list rows. Requests go to the sandbox over
 * real HTTP; only the JSON answers matching a rule are rewritten.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface VariantRules {
	/** Halo caps `page_size` at this many rows (the sandbox caps at 100) */
	pageSizeCap?: number;
	/** per lower-cased list path (`/api/tickets`): the envelope key to answer with instead of the documented one */
	envelopeKeys?: Record<string, { from: string; to: string }>;
	/** per lower-cased list path (`/api/actions`): fields left out of every row of the list */
	omitFromListRows?: Record<string, { envelopeKey: string; fields: string[] }>;
	/** per method and lower-cased path (`GET /api/agent/me`): a fixed JSON answer instead of the sandbox's */
	fixedAnswers?: Record<string, { status: number; body: unknown }>;
	/**
	 * Outcome names this Halo does not resolve (the sandbox matches names in any case; a Halo that
	 * matches them exactly refuses "private note"): a `POST /api/actions` naming one in `outcome`
	 * (and no `outcome_id`) is answered 400 as Halo answers an unknown outcome, and never reaches the sandbox.
	 */
	refuseOutcomeNames?: string[];
}

export interface VariantProxy {
	baseUrl: string;
	/** the outcome names of the action posts the proxy refused (`refuseOutcomeNames`), in order */
	refusedOutcomes: string[];
	stop(): Promise<void>;
}

function readBody(request: http.IncomingMessage): Promise<Buffer> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		request.on('data', (chunk: Buffer) => chunks.push(chunk));
		request.on('end', () => resolve(Buffer.concat(chunks)));
		request.on('error', reject);
	});
}

function rewrite(path: string, body: unknown, rules: VariantRules): unknown {
	if (!body || typeof body !== 'object' || Array.isArray(body)) return body;
	const envelope = { ...(body as Record<string, unknown>) };
	const omit = rules.omitFromListRows?.[path];
	if (omit && Array.isArray(envelope[omit.envelopeKey])) {
		envelope[omit.envelopeKey] = (envelope[omit.envelopeKey] as Array<Record<string, unknown>>).map((row) => {
			const copy = { ...row };
			for (const field of omit.fields) delete copy[field];
			return copy;
		});
	}
	const rename = rules.envelopeKeys?.[path];
	if (rename && rename.from in envelope) {
		envelope[rename.to] = envelope[rename.from];
		delete envelope[rename.from];
	}
	return envelope;
}

/** The outcome name of an action post that `refuseOutcomeNames` refuses, if any. */
function refusedOutcomeName(body: Buffer, rules: VariantRules): string | undefined {
	if (!rules.refuseOutcomeNames?.length) return undefined;
	let records: unknown;
	try {
		records = JSON.parse(body.toString('utf8'));
	} catch {
		return undefined;
	}
	for (const record of Array.isArray(records) ? records : [records]) {
		const { outcome, outcome_id: outcomeId } = (record ?? {}) as Record<string, unknown>;
		if (outcomeId === undefined && typeof outcome === 'string' && rules.refuseOutcomeNames.includes(outcome)) return outcome;
	}
	return undefined;
}

export async function startVariantProxy(targetBaseUrl: string, rules: VariantRules): Promise<VariantProxy> {
	const refusedOutcomes: string[] = [];
	const server = http.createServer((request, response) => {
		void (async () => {
			const url = new URL(request.url ?? '/', targetBaseUrl);
			const fixed = rules.fixedAnswers?.[`${request.method} ${url.pathname.toLowerCase()}`];
			if (fixed) {
				response.writeHead(fixed.status, { 'Content-Type': 'application/json; charset=utf-8' });
				response.end(JSON.stringify(fixed.body));
				return;
			}
			const pageSize = Number(url.searchParams.get('page_size'));
			if (rules.pageSizeCap && Number.isFinite(pageSize) && pageSize > rules.pageSizeCap) {
				url.searchParams.set('page_size', String(rules.pageSizeCap));
			}
			const headers: Record<string, string> = {};
			for (const [name, value] of Object.entries(request.headers)) {
				if (typeof value === 'string' && !['host', 'connection', 'content-length'].includes(name)) headers[name] = value;
			}
			const body = await readBody(request);
			const refused = request.method === 'POST' && url.pathname.toLowerCase() === '/api/actions' ? refusedOutcomeName(body, rules) : undefined;
			if (refused !== undefined) {
				refusedOutcomes.push(refused);
				response.writeHead(400, { 'Content-Type': 'application/json; charset=utf-8' });
				response.end(JSON.stringify({ ClassName: 'System.Exception', Message: 'An Outcome must be entered for this Action' }));
				return;
			}
			const answer = await fetch(url, {
				method: request.method,
				headers,
				body: body.length && request.method !== 'GET' ? new Uint8Array(body) : undefined,
			});
			const text = await answer.text();
			const contentType = answer.headers.get('content-type') ?? 'text/plain';
			let out = text;
			const path = url.pathname.toLowerCase();
			const hasRule = rules.envelopeKeys?.[path] || rules.omitFromListRows?.[path];
			if (hasRule && contentType.includes('json') && request.method === 'GET' && text) {
				out = JSON.stringify(rewrite(path, JSON.parse(text), rules));
			}
			response.writeHead(answer.status, { 'Content-Type': contentType });
			response.end(out);
		})().catch((error: Error) => {
			response.writeHead(502, { 'Content-Type': 'text/plain' });
			response.end(`proxy failed: ${error.message}`);
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
		refusedOutcomes,
		stop: async () => await new Promise<void>((resolve) => server.close(() => resolve())),
	};
}
