import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { rateLimitOptions, simplifyField } from '../../helpers/descriptions';
import { simplifyOutput } from '../../helpers/simplify';
import { haloApiRequest } from '../../../transport';
import { simplifiedAgentFields } from './fields';

export const option = {
	name: 'Get Me',
	description: 'Get the agent the credential logs in as',
	action: 'Get the logged-in agent',
};

export const properties: INodeProperties[] = [simplifyField, rateLimitOptions];

/** The agent the credential logs in as: handy to stamp who did what, or to check the connection. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const agent = (await haloApiRequest.call(this, 'GET', '/Agent/me', { itemIndex })) as IDataObject;
	return simplifyOutput.call(this, itemIndex, [agent], simplifiedAgentFields)[0];
}
