import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { DEFAULT_OUTCOME_NAMES } from '../../helpers/outcomes';
import { noteFields, postNote } from './postNote';

export const description = updateDisplayOptions(
	{ show: { resource: ['note'], operation: ['addCustomerNote'] } },
	noteFields(DEFAULT_OUTCOME_NAMES.customerNote),
);

/** A note the end user sees on the ticket (Halo: `hiddenfromuser: false`). */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	return await postNote.call(this, itemIndex, DEFAULT_OUTCOME_NAMES.customerNote, async () => ({ hiddenfromuser: false }));
}
