import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import * as agent from './agent/Agent.resource';
import * as asset from './asset/Asset.resource';
import * as client from './client/Client.resource';
import * as contract from './contract/Contract.resource';
import * as customApiCall from './customApiCall/CustomApiCall.resource';
import * as item from './item/Item.resource';
import * as note from './note/Note.resource';
import * as recurringInvoice from './recurringInvoice/RecurringInvoice.resource';
import * as site from './site/Site.resource';
import * as team from './team/Team.resource';
import * as ticket from './ticket/Ticket.resource';
import * as user from './user/User.resource';

/** What every operation file (`<operation>.operation.ts`) exports. */
export interface HaloOperation {
	/** its entry in the resource's Operation list; the entry's value is its key in the resource's `operations` */
	option: { name: string; description: string; action: string };
	/** its fields, without the resource/operation display options: properties.ts adds those */
	properties: INodeProperties[];
	/** Runs the operation for one input item; the router adds paired items and continue-on-fail. */
	execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject | IDataObject[]>;
}

/** What every resource file (`<Name>.resource.ts`) exports. */
export interface HaloResource {
	/** the resource's name in the Resource list */
	displayName: string;
	/**
	 * operation key (the `operation` parameter's value, written here and nowhere else) -> operation;
	 * the first is the resource's default operation
	 */
	operations: Record<string, HaloOperation>;
}

/** Resource key (the `resource` parameter's value, written here and nowhere else) -> resource, in the node's order. */
export const resources: Record<string, HaloResource> = {
	ticket,
	note,
	client,
	site,
	user,
	agent,
	team,
	contract,
	recurringInvoice,
	item,
	asset,
	customApiCall,
};
