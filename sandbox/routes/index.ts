import type { ApiRoute } from './context';
import { customerRoutes } from './customers';
import { lookupRoutes } from './lookups';
import { ticketRoutes } from './tickets';

/** Every simulated Halo API route. */
export const apiRoutes: ApiRoute[] = [...lookupRoutes, ...ticketRoutes, ...customerRoutes];
