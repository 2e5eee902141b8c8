import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { rateLimitOptions, simplifyField } from '../helpers/descriptions';
import { simplifyOutput } from '../helpers/simplify';
import { requireId } from '../helpers/values';
import { haloApiRequest } from '../../transport';
import type { HaloOperation } from './resources';

/** A Halo "get one record by ID" endpoint as the node exposes it. */
export interface HaloGet {
	option: HaloOperation['option'];
	/** e.g. `/Client`; the ID is appended */
	path: string;
	/** the ID parameter (a plain field or a resource locator) */
	idField: INodeProperties;
	simplifiedFields: string[];
	/** e.g. `includedetails` */
	fixedQuery?: IDataObject;
}

/** A complete Get operation: fetch one record by ID, optionally simplified. */
export function createGetRecordOperation(get: HaloGet): HaloOperation {
	return {
		option: get.option,
		properties: [{ ...get.idField, required: true }, simplifyField, rateLimitOptions],
		async execute(this: IExecuteFunctions, itemIndex: number) {
			const id = requireId.call(this, get.idField.name, get.idField.displayName, itemIndex);
			const record = (await haloApiRequest.call(this, 'GET', `${get.path}/${id}`, {
				qs: get.fixedQuery,
				itemIndex,
			})) as IDataObject;
			return simplifyOutput.call(this, itemIndex, [record], get.simplifiedFields)[0];
		},
	};
}
