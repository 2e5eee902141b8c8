import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { DEFAULT_OUTCOME_NAMES } from '../../helpers/outcomes';
import { noteFields, postNote } from './postNote';

export const description = updateDisplayOptions(
	{ show: { resource: ['note'], operation: ['addInternalNote'] } },
	noteFields(DEFAULT_OUTCOME_NAMES.internalNote),
);

/** A private note only agents see (Halo: `hiddenfromuser: true`). */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	return await postNote.call(this, itemIndex, DEFAULT_OUTCOME_NAMES.internalNote, async () => ({ hiddenfromuser: true }));
}
