import * as getMany from './getMany.operation';

export const displayName = 'Item';

export const operations = { getMany };
