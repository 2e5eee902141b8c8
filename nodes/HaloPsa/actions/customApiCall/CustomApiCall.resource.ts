import * as call from './call.operation';

export const displayName = 'Custom API Call';

export const operations = { call };
