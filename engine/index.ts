/**
 * halopsa-deployment-engine: the deployment policy engine, usable without n8n.
 *
 *   const { AxiosHaloDataSource, planDeployments } = require('halopsa-deployment-engine');
 *   const snapshot = await new AxiosHaloDataSource({ url, clientId, clientSecret, tenant }).loadSnapshot();
 *   const plan = await planDeployments(snapshot, { policies }, { timeZone: 'Europe/London' });
 *
 * The reference planner and the synthetic tenant used by tests and benchmarks are in `./testing`,
 * not part of this API.
 */
export * from './planning';
export type { HaloConnection } from './axiosDataSource';
export { AxiosHaloDataSource, HaloAxiosClient, HaloRequestError } from './axiosDataSource';
export { HaloAuthenticationError } from '../halo-client';
