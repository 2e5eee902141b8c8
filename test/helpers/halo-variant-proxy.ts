/**
 * An HTTP proxy in front of the Halo sandbox that makes it answer like another Halo variant
 * (HALO-API.md: shapes differ per tenant and endpoint): it can lower the page-size cap, spell the
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
}

export interface VariantProxy {
	baseUrl: string;
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

export async function startVariantProxy(targetBaseUrl: string, rules: VariantRules): Promise<VariantProxy> {
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
		stop: async () => await new Promise<void>((resolve) => server.close(() => resolve())),
	};
}
