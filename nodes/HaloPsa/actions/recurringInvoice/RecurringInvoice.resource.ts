import * as getMany from './getMany.operation';

export const displayName = 'Recurring Invoice';

export const operations = { getMany };
