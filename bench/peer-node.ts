/**
 * n8n's own HaloPSA node (`n8n-nodes-base.haloPSA`), loaded from the pinned n8n runtime's
 * node_modules and run through the same n8n-core harness as ours (test/helpers/n8n-harness.ts).
 *
 * The harness keeps one in-memory credential stored under our credential type name, so the
 * built-in's `getCredentials('haloPSAApi')` is answered from that stored credential; everything
 * else (its execute(), token fetch, paging, n8n's `helpers.request`) is n8n-nodes-base's own code.
 */
import * as path from 'node:path';

import type { ICredentialDataDecryptedObject, IExecuteFunctions, INodeType } from 'n8n-workflow';

import { CREDENTIAL_TYPE, StoredCredential } from '../test/helpers/n8n-harness';

export const PEER_NODE_TYPE = 'n8n-nodes-base.haloPSA';
export const PEER_CREDENTIAL_TYPE = 'haloPSAApi';

/**
 * The built-in credential's fields for a Halo at `baseUrl`. Its hidden scope defaults to
 * "admin edit:tickets edit:customers"; it is given "all", the scope ours uses, so both ask Halo
 * for the same rights. Hosting type "On-Premise": the built-in then appends `?tenant=` anyway
 * (it compares the option with 'on-premise' while the option's value is 'onPremise').
 */
export function peerCredentialData(sandbox: { baseUrl: string; clientId: string; clientSecret: string }): ICredentialDataDecryptedObject {
	return {
		hostingType: 'onPremise',
		authUrl: `${sandbox.baseUrl}/auth`,
		resourceApiUrl: `${sandbox.baseUrl}/api`,
		client_id: sandbox.clientId,
		client_secret: sandbox.clientSecret,
		tenant: '',
		scope: 'all',
	};
}

export function peerCredentials(sandbox: { baseUrl: string; clientId: string; clientSecret: string }): StoredCredential {
	return new StoredCredential(peerCredentialData(sandbox));
}

/** The built-in node class, wrapped so the harness's credential answers its credential type. */
export function loadPeerNode(runtimeNodeModules: string): INodeType {
	const modulePath = path.join(runtimeNodeModules, 'n8n-nodes-base', 'dist', 'nodes', 'HaloPSA', 'HaloPSA.node.js');
	const { HaloPSA } = require(modulePath) as { HaloPSA: new () => INodeType };
	const builtIn = new HaloPSA();
	return {
		description: { ...builtIn.description, credentials: [{ name: CREDENTIAL_TYPE, required: true }] },
		methods: builtIn.methods,
		async execute(this: IExecuteFunctions) {
			const getCredentials = this.getCredentials.bind(this);
			this.getCredentials = (async (type: string, itemIndex?: number) =>
				await getCredentials(type === PEER_CREDENTIAL_TYPE ? CREDENTIAL_TYPE : type, itemIndex)) as IExecuteFunctions['getCredentials'];
			return await builtIn.execute!.call(this);
		},
	};
}
