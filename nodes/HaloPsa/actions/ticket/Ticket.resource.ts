import * as close from './close.operation';
import * as create from './create.operation';
import * as deleteTicket from './delete.operation';
import * as get from './get.operation';
import * as getMany from './getMany.operation';
import * as update from './update.operation';

export const displayName = 'Ticket';

export const operations = { create, get, getMany, update, close, delete: deleteTicket };
