import * as get from './get.operation';
import * as getMany from './getMany.operation';
import * as getSoftware from './getSoftware.operation';

export const displayName = 'Asset';

export const operations = { get, getMany, getSoftware };
