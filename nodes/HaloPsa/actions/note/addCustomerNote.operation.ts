import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { DEFAULT_OUTCOME_NAMES } from '../../helpers/outcomes';
import { noteFields, postNote } from './postNote';

export const option = {
	name: 'Add Customer Note',
	description: 'Add a note the end user can see',
	action: 'Add a customer note to a ticket',
};

export const properties: INodeProperties[] = noteFields(DEFAULT_OUTCOME_NAMES.customerNote);

/** A note the end user sees on the ticket (Halo: `hiddenfromuser: false`). */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	return await postNote.call(this, itemIndex, DEFAULT_OUTCOME_NAMES.customerNote, async () => ({ hiddenfromuser: false }));
}
