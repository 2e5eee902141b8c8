import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { simplifyOutput } from '../../helpers/simplify';
import { requireId } from '../../helpers/values';
import { listFields, listRows } from '../listRecords';
import { assetIdField } from './fields';

const simplifiedSoftwareFields = ['id', 'name', 'version'];

export const option = {
	name: 'Get Installed Software',
	description: 'Get the software installed on an asset',
	action: 'Get the installed software of an asset',
};

export const properties: INodeProperties[] = [assetIdField, ...listFields([])];

/** The software Halo recorded as installed on one asset. */
export async function execute(this: IExecuteFunctions, itemIndex: number) {
	const assetId = requireId.call(this, assetIdField.name, assetIdField.displayName, itemIndex);
	const software = await listRows.call(this, itemIndex, { path: '/AssetSoftware', envelopeKey: null }, { device_id: assetId });
	return simplifyOutput.call(this, itemIndex, software, simplifiedSoftwareFields);
}
