/**
 * Runs our nodes through n8n-core's real execution: a real `Workflow` (n8n-workflow fills in the
 * parameter defaults as the editor would), `WorkflowExecute.processRunExecutionData`, and
 * n8n-core's own contexts, so `getNodeParameter`, `httpRequestWithAuthentication` (with its
 * re-authentication after a 401), `continueOnFail` and paired items are n8n's code.
 *
 * Credentials live in memory across executions like n8n keeps them in its database:
 * `preAuthentication` runs when the expirable `accessToken` is empty or Halo answered 401, and
 * the refreshed token is written back to the stored credential, as n8n's CredentialsHelper does.
 */
import { randomUUID } from 'node:crypto';

import { ExecuteContext, ExecutionLifecycleHooks, LoadOptionsContext, RoutingNode, WorkflowExecute } from 'n8n-core';
import type {
	ExecutionError,
	ICredentialDataDecryptedObject,
	ICredentialsDecrypted,
	ICredentialTestRequest,
	ICredentials,
	ICredentialType,
	IDataObject,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INode,
	INodeCredentialsDetails,
	INodeExecutionData,
	INodeListSearchResult,
	INodeParameters,
	INodePropertyOptions,
	INodeType,
	INodeTypes,
	IRequestOptionsSimplified,
	IRun,
	IWorkflowBase,
	IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';
import { createEmptyRunExecutionData, createRunExecutionData, ICredentialsHelper, NodeConnectionTypes, Workflow } from 'n8n-workflow';

import { HaloPsaAutomationApi } from '../../credentials/HaloPsaAutomationApi.credentials';
import { HaloPsaAutomationWebhookAuthApi } from '../../credentials/HaloPsaAutomationWebhookAuthApi.credentials';
import { HaloPsa } from '../../nodes/HaloPsa/HaloPsa.node';
import { ensureN8nUserFolder } from './n8n-user-folder';

ensureN8nUserFolder();

export const PACKAGE_NAME = 'n8n-nodes-halopsa-automation';
export const HALO_NODE_TYPE = `${PACKAGE_NAME}.haloPsa`;
export const CREDENTIAL_TYPE = 'haloPsaAutomationApi';

export interface HaloCredentialValues {
	url: string;
	clientId: string;
	clientSecret: string;
	tenant?: string;
	authUrl?: string;
	scope?: string;
	accessToken?: string;
}

/** A stored credential: what n8n keeps (encrypted) in its database, shared by every execution. */
export class StoredCredential {
	readonly id = randomUUID();
	readonly name = 'HaloPSA (test)';
	/** how often `preAuthentication` fetched a token for this credential */
	tokenFetches = 0;
	/** how often a node read (decrypted) this credential: n8n reads it from its database each time */
	reads = 0;

	constructor(public data: ICredentialDataDecryptedObject) {}
}

/** Credential values for a sandbox (its demo application unless overridden). */
export function makeCredentials(
	sandbox: { baseUrl: string; clientId: string; clientSecret: string },
	overrides: Partial<HaloCredentialValues> = {},
): StoredCredential {
	return new StoredCredential({
		url: sandbox.baseUrl,
		tenant: '',
		authUrl: '',
		clientId: sandbox.clientId,
		clientSecret: sandbox.clientSecret,
		scope: 'all',
		accessToken: '',
		...overrides,
	});
}

export const WEBHOOK_AUTH_CREDENTIAL_TYPE = 'haloPsaAutomationWebhookAuthApi';

const credentialTypes: Record<string, ICredentialType> = {
	[CREDENTIAL_TYPE]: new HaloPsaAutomationApi(),
	[WEBHOOK_AUTH_CREDENTIAL_TYPE]: new HaloPsaAutomationWebhookAuthApi(),
};

/**
 * n8n's CredentialsHelper semantics over in-memory credentials: the HaloPSA API one, and one per
 * other type a node uses (the trigger's webhook auth), looked up by type as n8n looks them up by id.
 */
export class InMemoryCredentialsHelper extends ICredentialsHelper {
	constructor(
		private readonly stored: StoredCredential,
		private readonly otherTypes: Record<string, StoredCredential> = {},
	) {
		super();
	}

	private storedFor(typeName: string): StoredCredential {
		return this.otherTypes[typeName] ?? this.stored;
	}

	private type(typeName: string): ICredentialType {
		const type = credentialTypes[typeName];
		if (!type) throw new Error(`Unknown credential type ${typeName}`);
		return type;
	}

	getParentTypes(): string[] {
		return [];
	}

	isCredentialUsableByNode(): boolean {
		return true;
	}

	/**
	 * As n8n's CredentialsHelper: an `authenticate` function is called with the credential; generic
	 * templates are resolved with n8n's expression engine.
	 */
	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		incoming: IHttpRequestOptions | IRequestOptionsSimplified,
		workflow?: Workflow,
		node?: INode,
	): Promise<IHttpRequestOptions> {
		const requestOptions = incoming as IHttpRequestOptions & Record<string, IDataObject>;
		const { authenticate } = this.type(typeName);
		if (typeof authenticate === 'function') return await authenticate(credentials, requestOptions);
		if (!authenticate || typeof authenticate !== 'object' || authenticate.type !== 'generic') return requestOptions;
		if (!workflow || !node) throw new Error('Workflow and node are required for declarative credential authentication');
		for (const [outerKey, values] of Object.entries(authenticate.properties)) {
			requestOptions[outerKey] ??= {};
			for (const [key, value] of Object.entries(values as IDataObject)) {
				const resolve = (raw: string) =>
					String(
						workflow.expression.getSimpleParameterValue(node, raw, 'internal', { $credentials: credentials }, undefined, '') ??
							'',
					);
				requestOptions[outerKey][resolve(key)] = resolve(String(value));
			}
		}
		return requestOptions;
	}

	async preAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		_node: INode,
		credentialsExpired: boolean,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		const type = this.type(typeName);
		const expirable = type.properties.find((property) => property.type === 'hidden' && property.typeOptions?.expirable);
		if (!expirable || typeof type.preAuthentication !== 'function') return undefined;
		if (credentials[expirable.name] !== '' && !credentialsExpired) return undefined;
		const output = await type.preAuthentication.call(helpers, credentials);
		if (output[expirable.name] === undefined) return undefined;
		const stored = this.storedFor(typeName);
		stored.tokenFetches += 1;
		stored.data = { ...stored.data, ...(output as ICredentialDataDecryptedObject) };
		return Object.assign(credentials, output);
	}

	async runPreAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		const type = this.type(typeName);
		if (typeof type.preAuthentication !== 'function') return undefined;
		return (await type.preAuthentication.call(helpers, credentials)) as ICredentialDataDecryptedObject;
	}

	async getCredentials(nodeCredentials: INodeCredentialsDetails, type: string): Promise<ICredentials> {
		const stored = this.storedFor(type);
		return {
			id: nodeCredentials.id ?? stored.id,
			name: stored.name,
			type,
			data: undefined,
			getData: () => ({ ...stored.data }),
			getDataToSave: () => ({ id: stored.id, name: stored.name, type, data: '' }),
			setData: (data: ICredentialDataDecryptedObject) => {
				stored.data = { ...data };
			},
		} as unknown as ICredentials;
	}

	/** A fresh copy per call, like n8n decrypting the stored credential for each use. */
	async getDecrypted(
		_additionalData: IWorkflowExecuteAdditionalData,
		_nodeCredentials: INodeCredentialsDetails,
		type: string,
	): Promise<ICredentialDataDecryptedObject> {
		const stored = this.storedFor(type);
		stored.reads += 1;
		return { ...stored.data };
	}

	async updateCredentials(_nodeCredentials: INodeCredentialsDetails, type: string, data: ICredentialDataDecryptedObject) {
		this.storedFor(type).data = { ...data };
	}

	async updateCredentialsOauthTokenData(
		_nodeCredentials: INodeCredentialsDetails,
		type: string,
		data: ICredentialDataDecryptedObject,
	) {
		const stored = this.storedFor(type);
		stored.data = { ...stored.data, ...data };
	}

	getCredentialsProperties(type: string) {
		return this.type(type).properties;
	}
}

/** Our node types, keyed as n8n keys a community package's nodes. */
export class PackageNodeTypes implements INodeTypes {
	private readonly types = new Map<string, INodeType>();

	constructor(nodeTypes: INodeType[]) {
		for (const nodeType of nodeTypes) this.types.set(`${PACKAGE_NAME}.${nodeType.description.name}`, nodeType);
	}

	getByName(type: string): INodeType {
		const nodeType = this.types.get(type);
		if (!nodeType) throw new Error(`Unknown node type ${type}`);
		return nodeType;
	}

	getByNameAndVersion(type: string): INodeType {
		return this.getByName(type);
	}

	getKnownTypes() {
		return {};
	}
}

function makeAdditionalData(
	credentials: StoredCredential | undefined,
	hooks: ExecutionLifecycleHooks,
	executionId: string,
): IWorkflowExecuteAdditionalData {
	return {
		credentialsHelper: new InMemoryCredentialsHelper(credentials ?? new StoredCredential({})),
		executionId,
		hooks,
		currentNodeExecutionIndex: 0,
		restApiUrl: 'http://localhost:5678/rest',
		instanceBaseUrl: 'http://localhost:5678/',
		formBaseUrl: 'http://localhost:5678/form',
		formWaitingBaseUrl: 'http://localhost:5678/form-waiting',
		formTestBaseUrl: 'http://localhost:5678/form-test',
		webhookBaseUrl: 'http://localhost:5678/webhook',
		webhookWaitingBaseUrl: 'http://localhost:5678/webhook-waiting',
		webhookTestBaseUrl: 'http://localhost:5678/webhook-test',
		mcpBaseUrl: 'http://localhost:5678/mcp',
		mcpTestBaseUrl: 'http://localhost:5678/mcp-test',
		variables: {},
		logAiEvent: () => {},
		executeWorkflow: async () => {
			throw new Error('Sub-workflows are not part of this harness');
		},
		getRunExecutionData: async () => undefined,
		getRuntimeCredential: async () => undefined,
		startRunnerTask: async () => {
			throw new Error('Code runners are not part of this harness');
		},
	} as unknown as IWorkflowExecuteAdditionalData;
}

export interface RunNodeOptions {
	parameters: INodeParameters;
	credentials?: StoredCredential;
	/** the JSON of the items the node receives; default one empty item */
	inputItems?: IDataObject[];
	continueOnFail?: boolean;
	/** default: the HaloPSA node */
	nodeType?: INodeType;
}

export interface RunNodeResult {
	/** the node's first output */
	items: INodeExecutionData[];
	/** the execution's error when the node failed (continue-on-fail off) */
	error?: ExecutionError;
	run: IRun;
}

function makeNode(nodeType: INodeType, parameters: INodeParameters, credentials?: StoredCredential, continueOnFail = false): INode {
	return {
		id: randomUUID(),
		name: nodeType.description.defaults.name ?? nodeType.description.displayName,
		type: `${PACKAGE_NAME}.${nodeType.description.name}`,
		typeVersion: Array.isArray(nodeType.description.version)
			? Math.max(...nodeType.description.version)
			: nodeType.description.version,
		position: [0, 0],
		parameters,
		...(credentials ? { credentials: { [CREDENTIAL_TYPE]: { id: credentials.id, name: credentials.name } } } : {}),
		...(continueOnFail ? { onError: 'continueRegularOutput' as const } : {}),
	};
}

/** Executes one node with the given input items through n8n-core's `WorkflowExecute`. */
export async function runNode(options: RunNodeOptions): Promise<RunNodeResult> {
	const nodeType = options.nodeType ?? new HaloPsa();
	const node = makeNode(nodeType, options.parameters, options.credentials, options.continueOnFail);
	const workflowData: IWorkflowBase = {
		id: 'harness',
		name: 'harness',
		active: false,
		isArchived: false,
		nodes: [node],
		connections: {},
		settings: {},
		createdAt: new Date(),
		updatedAt: new Date(),
		activeVersionId: null,
	} as unknown as IWorkflowBase;
	const workflow = new Workflow({
		id: workflowData.id,
		nodes: [node],
		connections: {},
		active: false,
		nodeTypes: new PackageNodeTypes([nodeType]),
		settings: {},
	});

	const executionId = randomUUID();
	const hooks = new ExecutionLifecycleHooks('manual', executionId, workflowData);

	const startNode = workflow.getNode(node.name) as INode;
	const runExecutionData = createRunExecutionData({
		executionData: {
			nodeExecutionStack: [
				{
					node: startNode,
					data: { main: [(options.inputItems ?? [{}]).map((json) => ({ json }))] },
					source: null,
				},
			],
		},
	});
	const additionalData = makeAdditionalData(options.credentials, hooks, executionId);
	const run = await new WorkflowExecute(additionalData, 'manual', runExecutionData).processRunExecutionData(workflow);
	const taskData = run.data.resultData.runData[node.name]?.[0];
	return {
		items: taskData?.data?.main?.[0] ?? [],
		error: run.data.resultData.error ?? taskData?.error,
		run,
	};
}

/** Runs one of the node's `methods.loadOptions` / `methods.listSearch` through n8n-core's LoadOptionsContext. */
export async function runNodeMethod(options: {
	kind: 'loadOptions' | 'listSearch';
	method: string;
	credentials: StoredCredential;
	parameters?: INodeParameters;
	filter?: string;
	paginationToken?: string;
	nodeType?: INodeType;
}): Promise<INodePropertyOptions[] | INodeListSearchResult> {
	const nodeType = options.nodeType ?? new HaloPsa();
	const node = makeNode(nodeType, options.parameters ?? {}, options.credentials);
	const workflow = new Workflow({
		id: 'harness',
		nodes: [node],
		connections: {},
		active: false,
		nodeTypes: new PackageNodeTypes([nodeType]),
		settings: {},
	});
	const hooks = new ExecutionLifecycleHooks('manual', randomUUID(), {} as IWorkflowBase);
	const context = new LoadOptionsContext(
		workflow,
		workflow.getNode(node.name) as INode,
		makeAdditionalData(options.credentials, hooks, randomUUID()),
		'parameters',
	);
	const methods = (nodeType.methods ?? {}) as Record<string, Record<string, (...args: unknown[]) => Promise<unknown>>>;
	const method = methods[options.kind]?.[options.method];
	if (!method) throw new Error(`The node has no ${options.kind} method ${options.method}`);
	return (await method.call(context, options.filter, options.paginationToken)) as
		| INodePropertyOptions[]
		| INodeListSearchResult;
}

/** A resource-locator value, the way the editor stores one. */
export function locator(value: string | number, mode = 'id') {
	return { __rl: true, mode, value: String(value) };
}

export interface CredentialTestResult {
	status: 'OK' | 'Error';
	message: string;
}

/**
 * Runs the credential's own `test` the way n8n's "Test" button does (n8n 2.41.1,
 * packages/cli/src/services/credentials-tester.service.ts, runRequestTest): a temporary node
 * whose only property routes the test request, executed by n8n-core's RoutingNode with the
 * credential (so `preAuthentication` fetches the token), then the same mapping of failures to
 * messages: the test's responseCode rules, the network code, or the error's message.
 */
export async function runCredentialTest(credentials: StoredCredential): Promise<CredentialTestResult> {
	const test = credentialTypes[CREDENTIAL_TYPE].test as ICredentialTestRequest;
	const nodeType: INodeType = {
		description: {
			displayName: 'Credential Test',
			name: 'credentialTest',
			group: ['transform'],
			version: 1,
			description: '',
			defaults: { name: 'Temp-Node' },
			inputs: [NodeConnectionTypes.Main],
			outputs: [NodeConnectionTypes.Main],
			credentials: [{ name: CREDENTIAL_TYPE, required: true }],
			properties: [{ displayName: 'Temp', name: 'temp', type: 'string', routing: { request: test.request }, default: '' }],
		},
	};
	const node: INode = {
		id: 'temp',
		name: 'Temp-Node',
		type: `${PACKAGE_NAME}.credentialTest`,
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
		credentials: { [CREDENTIAL_TYPE]: { id: credentials.id, name: credentials.name } },
	};
	const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes: new PackageNodeTypes([nodeType]) });
	const executionId = randomUUID();
	const additionalData = makeAdditionalData(credentials, new ExecutionLifecycleHooks('internal', executionId, {} as IWorkflowBase), executionId);
	const credentialsDecrypted: ICredentialsDecrypted = {
		id: credentials.id,
		name: credentials.name,
		type: CREDENTIAL_TYPE,
		data: { ...credentials.data },
	};
	const context = new ExecuteContext(
		workflow,
		node,
		additionalData,
		'internal',
		createEmptyRunExecutionData(),
		0,
		[],
		{ main: [[{ json: {} }]] },
		{ node, data: {}, source: null },
		[],
	);
	try {
		await workflow.expression.acquireIsolate();
		await new RoutingNode(context, nodeType, credentialsDecrypted).runNode();
	} catch (error) {
		const response = error.cause?.response as { status: number; statusText?: string } | undefined;
		if (response) {
			const rule = (test.rules ?? []).find((candidate) => candidate.type === 'responseCode' && candidate.properties.value === response.status);
			if (rule) return { status: 'Error', message: rule.properties.message };
			if (response.status < 199 || response.status > 299) {
				return { status: 'Error', message: response.statusText || `Received HTTP status code: ${response.status}` };
			}
		} else if (error.cause?.code) {
			return { status: 'Error', message: String(error.cause.code) };
		}
		return { status: 'Error', message: String(error.message) };
	} finally {
		await workflow.expression.releaseIsolate();
	}
	return { status: 'OK', message: 'Connection successful!' };
}

/** Evaluates a credential expression (`={{ ... $credentials ... }}`) with n8n's expression engine, as n8n does for a credential's test request. */
export function resolveCredentialExpression(expression: string, data: ICredentialDataDecryptedObject): unknown {
	const nodeType = new HaloPsa();
	const node = makeNode(nodeType, {});
	const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes: new PackageNodeTypes([nodeType]) });
	return workflow.expression.getSimpleParameterValue(node, expression, 'internal', { $credentials: data }, undefined, '');
}
