import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { DEFAULT_OUTCOME_NAMES } from '../../helpers/outcomes';
import { noteFields, postNote } from './postNote';

export const option = {
	name: 'Add Internal Note',
	description: 'Add a private note only agents can see',
	action: 'Add an internal note to a ticket',
};

export const properties: INodeProperties[] = noteFields(DEFAULT_OUTCOME_NAMES.internalNote);

/** A private note only agents see (Halo: `hiddenfromuser: true`). */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	return await postNote.call(this, itemIndex, DEFAULT_OUTCOME_NAMES.internalNote, async () => ({ hiddenfromuser: true }));
}
