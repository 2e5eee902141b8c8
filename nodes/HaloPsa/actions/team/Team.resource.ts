import * as get from './get.operation';
import * as getMany from './getMany.operation';

export const displayName = 'Team';

export const operations = { get, getMany };
