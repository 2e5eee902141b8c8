/** The n8n-free Halo protocol core shared by the n8n transport and the axios client. */
export * from './baseUrl';
export * from './errors';
export * from './paginate';
export * from './redact';
export * from './retry';
export * from './tokenMemory';
