/**
 * Support for the lookup tests: runs one HaloPSA node operation, and reads the sandbox's data
 * straight from its HTTP API (its own token, no node code) to know what the node must return.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { runNode } from '../helpers/n8n-harness';
import type { StoredCredential } from '../helpers/n8n-harness';

interface SandboxAddress {
	baseUrl: string;
	clientId: string;
	clientSecret: string;
}

const tokens = new Map<string, string>();

async function tokenFor(sandbox: SandboxAddress): Promise<string> {
	const cached = tokens.get(sandbox.baseUrl);
	if (cached) return cached;
	const answer = await fetch(`${sandbox.baseUrl}/auth/token`, {
		method: 'POST',
		headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams({
			grant_type: 'client_credentials',
			client_id: sandbox.clientId,
			client_secret: sandbox.clientSecret,
			scope: 'all',
		}).toString(),
	});
	const token = String(((await answer.json()) as IDataObject).access_token);
	tokens.set(sandbox.baseUrl, token);
	return token;
}

/** GET from the sandbox's Halo API, unpaged (the sandbox then answers every row). */
export async function haloGet(sandbox: SandboxAddress, path: string, qs: Record<string, string | number | boolean> = {}) {
	const query = new URLSearchParams(Object.entries(qs).map(([key, value]): [string, string] => [key, String(value)])).toString();
	const answer = await fetch(`${sandbox.baseUrl}/api${path}${query ? `?${query}` : ''}`, {
		headers: { Authorization: `Bearer ${await tokenFor(sandbox)}` },
	});
	if (!answer.ok) throw new Error(`GET ${path} answered ${answer.status}: ${await answer.text()}`);
	return (await answer.json()) as unknown;
}

/** The rows of a list answer: a bare array or the array under `key`. */
export async function haloRows(
	sandbox: SandboxAddress,
	path: string,
	key: string | null,
	qs: Record<string, string | number | boolean> = {},
): Promise<IDataObject[]> {
	const body = await haloGet(sandbox, path, qs);
	return (Array.isArray(body) ? body : (body as IDataObject)[key as string]) as IDataObject[];
}

export const rowIds = (rows: IDataObject[]) => rows.map((row) => Number(row.id));
export const itemIds = (items: INodeExecutionData[]) => rowIds(items.map((item) => item.json));

/** Runs one operation of the HaloPSA node through n8n's WorkflowExecute. */
export function lookupRunner(credentials: () => StoredCredential) {
	return async (
		resource: string,
		operation: string,
		parameters: IDataObject = {},
		options: { inputItems?: IDataObject[]; continueOnFail?: boolean } = {},
	) => await runNode({ parameters: { resource, operation, ...parameters }, credentials: credentials(), ...options });
}
