/**
 * The Halo API client core, free of n8n and of any HTTP library: the credential, the node transport
 * and the standalone data source all speak to Halo through it, each with its own HTTP (see http.ts).
 */
export * from './baseUrl';
export * from './errors';
export * from './http';
export * from './pacer';
export * from './paginate';
export * from './redact';
export * from './request';
export * from './retry';
export * from './token';
export * from './tokenMemory';
