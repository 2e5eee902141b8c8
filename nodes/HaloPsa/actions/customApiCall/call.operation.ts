import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { jsonParse, NodeOperationError } from 'n8n-workflow';

import type { HaloHttpMethod } from '../../../transport';
import { haloApiRequest, isObject } from '../../../transport';
import { rateLimitOptions } from '../../helpers/descriptions';

const methodsWithBody = ['PATCH', 'POST', 'PUT'];

export const option = {
	name: 'Make an API Call',
	description: 'Call any Halo API path with the credential, for what the node has no operation for',
	action: 'Make an API call',
};

export const properties: INodeProperties[] = [
	{
		displayName: 'Method',
		name: 'method',
		type: 'options',
		options: ['DELETE', 'GET', 'PATCH', 'POST', 'PUT'].map((method) => ({ name: method, value: method })),
		default: 'GET',
		description: 'The HTTP method to use',
	},
	{
		displayName: 'Path',
		name: 'path',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. /Invoice or /Tickets/5',
		description: "The path after your Halo URL's /api, sent with the credential's token",
	},
	{
		displayName: 'Query Parameters',
		name: 'queryParameters',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Parameter',
		default: {},
		options: [
			{
				displayName: 'Parameter',
				name: 'parameters',
				values: [
					{ displayName: 'Name', name: 'name', type: 'string', default: '', placeholder: 'e.g. client_id' },
					{ displayName: 'Value', name: 'value', type: 'string', default: '' },
				],
			},
		],
	},
	{
		displayName: 'Body',
		name: 'body',
		type: 'json',
		default: '',
		description:
			'JSON to send. Halo creates and updates with POST and an array of records; a single object is sent as a one-record array.',
		displayOptions: { show: { method: methodsWithBody } },
	},
	rateLimitOptions,
];

/**
 * Only paths under the tenant's /api reach the transport, so the token is never sent to
 * another host; "/api/..." is accepted too because that is how Halo's docs write paths.
 */
function readPath(this: IExecuteFunctions, itemIndex: number): string {
	const raw = (this.getNodeParameter('path', itemIndex) as string).trim();
	if (/^[a-z][a-z0-9+.-]*:|^\/\//i.test(raw)) {
		throw new NodeOperationError(this.getNode(), `Path must be a path on your Halo instance, not a URL: "${raw}"`, {
			itemIndex,
			description: 'Enter only the part after /api, e.g. /Invoice; the URL comes from the credential.',
		});
	}
	const path = `/${raw.replace(/^\/+/, '')}`.replace(/^\/api(?=\/|$)/i, '');
	if (path === '' || path === '/') {
		throw new NodeOperationError(this.getNode(), 'Path is empty', {
			itemIndex,
			description: 'Enter the Halo API path to call, e.g. /Invoice or /Tickets/5.',
		});
	}
	return path;
}

function readBody(this: IExecuteFunctions, itemIndex: number): IDataObject | IDataObject[] | undefined {
	const body = this.getNodeParameter('body', itemIndex, '') as string | IDataObject | IDataObject[];
	if (typeof body !== 'string') return body;
	if (body.trim() === '') return undefined;
	return jsonParse<IDataObject | IDataObject[]>(body, {
		errorMessage: 'Body is not valid JSON; check quotes, commas and brackets',
	});
}

/** Each element of an array answer becomes an item; any other answer is one item. */
function toRows(response: unknown): IDataObject[] {
	if (Array.isArray(response)) return response.map((entry) => (isObject(entry) ? entry : { value: entry }));
	if (isObject(response)) return [response];
	return [{ response: response ?? null }];
}

/** Calls any Halo endpoint the node has no operation for, with the credential's token. */
export async function execute(this: IExecuteFunctions, itemIndex: number) {
	const method = this.getNodeParameter('method', itemIndex) as HaloHttpMethod;
	const path = readPath.call(this, itemIndex);
	const parameters = this.getNodeParameter('queryParameters.parameters', itemIndex, []) as Array<{
		name: string;
		value: string;
	}>;
	const qs = Object.fromEntries(
		parameters.filter((parameter) => parameter.name.trim() !== '').map((parameter) => [parameter.name.trim(), parameter.value]),
	);
	const body = methodsWithBody.includes(method) ? readBody.call(this, itemIndex) : undefined;
	const response = await haloApiRequest.call(this, method, path, { qs, body, itemIndex });
	return toRows(response);
}
