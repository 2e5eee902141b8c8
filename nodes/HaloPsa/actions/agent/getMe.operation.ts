import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { haloApiRequest } from '../../transport';
import { simplifyField } from '../../helpers/descriptions';
import { showOnlyFor } from '../common/fields';
import { finishRows } from '../common/getMany';
import { simplifiedAgentFields } from './fields';

export const description: INodeProperties[] = showOnlyFor('agent', 'getMe', [simplifyField]);

/** The agent the credential logs in as: handy to stamp who did what, or to check the connection. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const agent = (await haloApiRequest.call(this, 'GET', '/Agent/me', { itemIndex })) as IDataObject;
	return finishRows.call(this, itemIndex, [agent], simplifiedAgentFields)[0];
}
