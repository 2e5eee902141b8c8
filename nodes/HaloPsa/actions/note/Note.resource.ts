import * as addCustomerNote from './addCustomerNote.operation';
import * as addInternalNote from './addInternalNote.operation';
import * as emailContact from './emailContact.operation';
import * as getMany from './getMany.operation';

export const displayName = 'Note';

export const operations = { addCustomerNote, addInternalNote, emailContact, getMany };
