import { assetRoutesWithSoftware } from './assets';
import { billingRoutes } from './billing';
import type { ApiRoute } from './context';
import { customerRoutes } from './customers';
import { lookupRoutes } from './lookups';
import { ticketRoutes } from './tickets';
import { webhookRoutes } from './webhooks';

/** Every simulated Halo API route. */
export const apiRoutes: ApiRoute[] = [
	...lookupRoutes,
	...ticketRoutes,
	...customerRoutes,
	...billingRoutes,
	...assetRoutesWithSoftware,
	...webhookRoutes,
];
