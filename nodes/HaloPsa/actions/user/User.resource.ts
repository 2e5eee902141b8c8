import * as get from './get.operation';
import * as getMany from './getMany.operation';

export const displayName = 'User (Contact)';

export const operations = { get, getMany };
