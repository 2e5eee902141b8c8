import * as get from './get.operation';
import * as getMany from './getMany.operation';

export const displayName = 'Site';

export const operations = { get, getMany };
