import * as get from './get.operation';
import * as getMany from './getMany.operation';
import * as getMe from './getMe.operation';

export const displayName = 'Agent';

export const operations = { get, getMany, getMe };
