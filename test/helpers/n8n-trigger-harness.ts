/**
 * Runs the HaloPSA Trigger the way n8n does, with n8n-core's own contexts:
 * - publishing / unpublishing call the node's webhook methods through `HookContext`
 *   (checkExists, then create when it answers false; delete), as n8n's ActiveWorkflowManager does;
 * - a local HTTP server plays n8n's webhook endpoint: every call Halo (the sandbox) makes is
 *   handed to the node's `webhook()` through `WebhookContext`, and counted as a started
 *   execution only when the node returned `workflowData`, as n8n's webhook helper decides.
 * Static data is kept like n8n keeps it in the database: each call gets a fresh `Workflow`
 * built from the saved copy, and the copy is replaced only when the node changed it (calls
 * running at the same time each write their whole copy back: the last writer wins, as in n8n),
 * and, as in n8n 2.41.1, not for a call that starts an execution and leaves the answer to n8n.
 * Listening for a test event follows n8n's TestWebhooks: the webhook is registered under the
 * webhook-test URL with empty static data that lives only in memory, the first test call that
 * starts an execution is handed to the node in mode `manual`, and then the webhook is deleted.
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

import { HookContext, WebhookContext } from 'n8n-core';
import type {
	IDataObject,
	INode,
	INodeExecutionData,
	INodeParameters,
	IWebhookData,
	IWorkflowExecuteAdditionalData,
	WorkflowActivateMode,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import { NodeHelpers, Workflow } from 'n8n-workflow';

import { HaloPsaTrigger } from '../../nodes/HaloPsaTrigger/HaloPsaTrigger.node';
import type { HaloCredentialValues } from './n8n-harness';
import {
	CREDENTIAL_TYPE,
	InMemoryCredentialsHelper,
	PackageNodeTypes,
	StoredCredential,
	WEBHOOK_AUTH_CREDENTIAL_TYPE,
} from './n8n-harness';

export const TRIGGER_NODE_TYPE = 'n8n-nodes-halopsa-automation.haloPsaTrigger';

/** The subset of express' Response the node and n8n's webhook helper use. */
function expressLikeResponse(response: http.ServerResponse) {
	const adapter = {
		headersSent: false,
		setHeader(name: string, value: string) {
			response.setHeader(name, value);
			return adapter;
		},
		status(code: number) {
			response.statusCode = code;
			return adapter;
		},
		json(body: unknown) {
			adapter.send(JSON.stringify(body), 'application/json; charset=utf-8');
			return adapter;
		},
		send(body: string, contentType = 'text/plain; charset=utf-8') {
			if (!response.hasHeader('Content-Type')) response.setHeader('Content-Type', contentType);
			adapter.headersSent = true;
			response.end(body);
			return adapter;
		},
		end() {
			adapter.headersSent = true;
			response.end();
			return adapter;
		},
	};
	return adapter;
}

export interface WebhookCall {
	status: number;
	path: string;
	/** True for a call to the webhook-test URL while listening for a test event. */
	test: boolean;
	/** The Authorization header the caller sent (for tests that replay Halo's credentials). */
	authorization?: string;
	/** True when the node returned workflowData, i.e. n8n would have started an execution. */
	started: boolean;
	items: IDataObject[];
	error?: string;
}

/** The fields of a HaloPSA Automation Webhook Auth API credential (missing ones are empty, as n8n fills in defaults). */
export interface WebhookAuthValues {
	username?: string;
	password?: string;
	pathSecret?: string;
}

export interface TriggerHarnessOptions {
	credentials: HaloCredentialValues;
	/** The Webhook Auth credential selected in the node (manual registration); none when omitted. */
	webhookAuth?: WebhookAuthValues;
	parameters: INodeParameters;
	workflowName?: string;
}

export class TriggerHarness {
	readonly calls: WebhookCall[] = [];
	/** The node's static data as n8n would have saved it in the database. */
	savedStaticData: IDataObject = {};

	private readonly nodeType = new HaloPsaTrigger();
	private readonly workflowId = `wf-${randomUUID().slice(0, 8)}`;
	private readonly node: INode;
	private readonly credentialsHelper: InMemoryCredentialsHelper;
	private readonly webhookAuth = new StoredCredential({});
	private server?: http.Server;
	private baseUrl = '';
	/** The static data n8n keeps with a test registration (undefined when not listening). */
	private testStaticData?: IDataObject;
	private readonly inFlight = new Set<Promise<void>>();

	private constructor(private readonly options: TriggerHarnessOptions) {
		this.credentialsHelper = new InMemoryCredentialsHelper(
			new StoredCredential({ scope: 'all', tenant: '', authUrl: '', accessToken: '', ...options.credentials }),
			{ [WEBHOOK_AUTH_CREDENTIAL_TYPE]: this.webhookAuth },
		);
		if (options.webhookAuth) this.updateWebhookAuth(options.webhookAuth);
		this.node = {
			id: randomUUID(),
			name: 'HaloPSA Trigger',
			type: TRIGGER_NODE_TYPE,
			typeVersion: 1,
			position: [0, 0],
			webhookId: randomUUID(),
			parameters: options.parameters,
			credentials: {
				[CREDENTIAL_TYPE]: { id: '1', name: 'HaloPSA sandbox' },
				...(options.webhookAuth ? { [WEBHOOK_AUTH_CREDENTIAL_TYPE]: { id: '2', name: 'HaloPSA webhook auth' } } : {}),
			},
		};
	}

	static async start(options: TriggerHarnessOptions): Promise<TriggerHarness> {
		const harness = new TriggerHarness(options);
		await harness.listen();
		return harness;
	}

	/** The node's own part of the saved static data (what `getWorkflowStaticData('node')` returns). */
	get nodeStaticData(): IDataObject {
		return (this.savedStaticData[`node:${this.node.name}`] as IDataObject | undefined) ?? {};
	}

	set nodeStaticData(data: IDataObject) {
		this.savedStaticData = { ...this.savedStaticData, [`node:${this.node.name}`]: data };
	}

	get executionsStarted(): number {
		return this.calls.filter((call) => call.started).length;
	}

	/** Every item of every started execution, in order. */
	get items(): IDataObject[] {
		return this.calls.flatMap((call) => call.items);
	}

	/** The production URL n8n would show for the node. */
	get webhookUrl(): string {
		return this.hookContext('webhook', 'activate').getNodeWebhookUrl('default') as string;
	}

	/** The test URL n8n would show while listening for a test event. */
	get testWebhookUrl(): string {
		return this.hookContext('manual', 'manual', this.workflow({}), true).getNodeWebhookUrl('default') as string;
	}

	get listening(): boolean {
		return this.testStaticData !== undefined;
	}

	setParameters(parameters: INodeParameters): void {
		this.node.parameters = parameters;
	}

	/** Edits the stored Webhook Auth credential, as saving it in n8n's credential dialog does (n8n reads it on every call). */
	updateWebhookAuth(values: WebhookAuthValues): void {
		this.webhookAuth.data = { username: '', password: '', pathSecret: '', ...values };
	}

	/**
	 * What n8n does when it activates the workflow: checkExists, then create if needed. This is
	 * the first publish and every n8n start (the static data kept from before).
	 */
	async publish(): Promise<void> {
		await this.withStaticData(async (context) => {
			const exists = await this.nodeType.webhookMethods!.default.checkExists.call(context);
			if (!exists) await this.nodeType.webhookMethods!.default.create.call(context);
		});
	}

	/** What n8n 2.41 does when a published workflow is published again with the trigger's settings changed: remove (delete), then activate. */
	async republish(): Promise<void> {
		await this.unpublish();
		await this.publish();
	}

	/** What n8n does when the workflow is unpublished. */
	async unpublish(): Promise<void> {
		await this.withStaticData(async (context) => {
			await this.nodeType.webhookMethods!.default.delete.call(context);
		});
	}

	/** What n8n does on "Listen for test event": checkExists/create under the test URL, with empty static data kept in memory. */
	async listenForTestEvent(): Promise<void> {
		const workflow = this.workflow({});
		const context = this.hookContext('manual', 'manual', workflow, true);
		if (!(await this.nodeType.webhookMethods!.default.checkExists.call(context))) {
			await this.nodeType.webhookMethods!.default.create.call(context);
		}
		this.testStaticData = JSON.parse(JSON.stringify(workflow.staticData)) as IDataObject;
	}

	/** What n8n does after the first test execution, or when listening times out: delete with the test static data. */
	async stopListening(): Promise<void> {
		if (!this.testStaticData) return;
		const workflow = this.workflow(this.testStaticData);
		this.testStaticData = undefined;
		await this.nodeType.webhookMethods!.default.delete.call(this.hookContext('internal', 'update', workflow, true));
	}

	async checkExists(): Promise<boolean> {
		let exists = false;
		await this.withStaticData(async (context) => {
			exists = await this.nodeType.webhookMethods!.default.checkExists.call(context);
		});
		return exists;
	}

	/** Resolves once every call received so far has been handled (also those whose caller gave up waiting). */
	async settled(): Promise<void> {
		while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
	}

	async stop(): Promise<void> {
		await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
	}

	private workflow(staticData: IDataObject = this.savedStaticData): Workflow {
		return new Workflow({
			id: this.workflowId,
			name: this.options.workflowName ?? 'Trigger harness',
			nodes: [this.node],
			connections: {},
			active: true,
			nodeTypes: new PackageNodeTypes([this.nodeType]),
			staticData: structuredClone(staticData),
		});
	}

	private additionalData(): IWorkflowExecuteAdditionalData {
		return {
			credentialsHelper: this.credentialsHelper,
			webhookBaseUrl: `${this.baseUrl}/webhook`,
			webhookTestBaseUrl: `${this.baseUrl}/webhook-test`,
			webhookWaitingBaseUrl: `${this.baseUrl}/webhook-waiting`,
			formWaitingBaseUrl: `${this.baseUrl}/form-waiting`,
			instanceBaseUrl: this.baseUrl,
			restApiUrl: `${this.baseUrl}/rest`,
			currentNodeParameters: undefined,
			executionTimeoutTimestamp: undefined,
			userId: 'harness-user',
			variables: {},
		} as unknown as IWorkflowExecuteAdditionalData;
	}

	/**
	 * What n8n's WebhookService.getNodeWebhooks builds for the node: the path and isFullPath
	 * expressions resolved, and the registered path made by NodeHelpers.getNodeWebhookPath
	 * (`<webhookId>/<path>`, or the path alone for a full path).
	 */
	private webhookData(workflow: Workflow, additionalData: IWorkflowExecuteAdditionalData, isTest = false): IWebhookData {
		const node = workflow.getNode(this.node.name)!;
		const description = this.nodeType.description.webhooks![0];
		const evaluate = (value: unknown, fallback?: unknown) =>
			workflow.expression.getSimpleParameterValue(node, value as string, 'internal', {}, undefined, fallback as boolean);
		const nodePath = String(evaluate(description.path));
		const isFullPath = evaluate(description.isFullPath, false) === true;
		const webhookPath = NodeHelpers.getNodeWebhookPath(this.workflowId, node, nodePath, isFullPath, false);
		return {
			httpMethod: description.httpMethod as IWebhookData['httpMethod'],
			node: node.name,
			path: webhookPath,
			webhookDescription: description,
			workflowId: this.workflowId,
			workflowExecuteAdditionalData: additionalData,
			webhookId: webhookPath.includes(':') ? node.webhookId : undefined,
			...(isTest ? { isTest: true } : {}),
		};
	}

	private hookContext(mode: WorkflowExecuteMode, activation: WorkflowActivateMode, workflow = this.workflow(), isTest = false) {
		const additionalData = this.additionalData();
		return new HookContext(
			workflow,
			workflow.getNode(this.node.name)!,
			additionalData,
			mode,
			activation,
			this.webhookData(workflow, additionalData, isTest),
		);
	}

	/** n8n saves the workflow's static data after activation, deactivation and every webhook call. */
	private async withStaticData(run: (context: HookContext) => Promise<void>): Promise<void> {
		const workflow = this.workflow();
		try {
			await run(this.hookContext('webhook', 'activate', workflow));
		} finally {
			this.saveIfChanged(workflow);
		}
	}

	private saveIfChanged(workflow: Workflow): void {
		if (workflow.staticData.__dataChanged === true) {
			const { __dataChanged: _changed, ...saved } = JSON.parse(JSON.stringify(workflow.staticData)) as IDataObject;
			this.savedStaticData = saved;
		}
	}

	private async listen(): Promise<void> {
		this.server = http.createServer((request, response) => {
			const handling = this.handle(request, response);
			this.inFlight.add(handling);
			void handling.finally(() => this.inFlight.delete(handling));
		});
		await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
		this.baseUrl = `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
	}

	private async handle(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
		const chunks: Buffer[] = [];
		for await (const chunk of request) chunks.push(chunk as Buffer);
		const raw = Buffer.concat(chunks).toString('utf8');
		const url = new URL(request.url ?? '/', this.baseUrl);
		const test = url.pathname.startsWith('/webhook-test/');
		const call: WebhookCall = {
			status: 0,
			path: url.pathname,
			test,
			started: false,
			items: [],
			authorization: request.headers.authorization,
		};
		this.calls.push(call);
		const send = (status: number, body: unknown) => {
			response.statusCode = status;
			response.setHeader('Content-Type', 'application/json; charset=utf-8');
			response.end(JSON.stringify(body));
		};
		response.on('finish', () => (call.status = response.statusCode));

		// A test call sees the test registration's static data; a production call the saved copy.
		const testStaticData = this.testStaticData;
		const workflow = this.workflow(test ? {} : this.savedStaticData);
		if (test && testStaticData) workflow.setTestStaticData(testStaticData);
		const additionalData = this.additionalData();
		const webhook = this.webhookData(workflow, additionalData, test);
		const params = this.matchPath(url.pathname, webhook, test ? '/webhook-test/' : '/webhook/');
		if (!params || request.method !== webhook.httpMethod || (test && !testStaticData)) {
			send(404, { message: 'The requested webhook is not registered' });
			return;
		}

		let body: unknown = raw;
		try {
			body = raw === '' ? {} : JSON.parse(raw);
		} catch {
			// n8n hands a body it cannot parse to the node as it came.
		}
		const expressResponse = expressLikeResponse(response);
		additionalData.httpRequest = {
			body,
			headers: request.headers,
			params,
			query: Object.fromEntries(url.searchParams),
			method: request.method,
			url: request.url,
		} as unknown as IWorkflowExecuteAdditionalData['httpRequest'];
		additionalData.httpResponse = expressResponse as unknown as IWorkflowExecuteAdditionalData['httpResponse'];

		const mode: WorkflowExecuteMode = test ? 'manual' : 'webhook';
		const context = new WebhookContext(workflow, workflow.getNode(this.node.name)!, additionalData, mode, webhook, [], null);
		try {
			const result = await this.nodeType.webhook!.call(context);
			// n8n saves static data after production calls only, when it is handed the answer. A call
			// that starts an execution and leaves the answer to n8n is answered after n8n prepared
			// the execution, which builds a second Workflow on the same static data and so marks it
			// unchanged (n8n 2.41.1, WorkflowRunner.run): nothing is saved then.
			const answeredByN8nAfterStart = result.workflowData !== undefined && !result.noWebhookResponse;
			if (!test && !answeredByN8nAfterStart) this.saveIfChanged(workflow);
			if (result.workflowData) {
				call.started = true;
				call.items = (result.workflowData[0] ?? []).map((item: INodeExecutionData) => item.json);
			}
			// responseMode onReceived: n8n answers at once, with the node's response when it gave one.
			if (!result.noWebhookResponse) {
				send(200, result.webhookResponse ?? { message: result.workflowData ? 'Workflow was started' : 'Webhook call received' });
			}
		} catch (error) {
			// n8n starts an execution that carries the error, and answers 500.
			if (!test) this.saveIfChanged(workflow);
			call.started = true;
			call.error = (error as Error).message;
			send(500, { message: 'Workflow Webhook Error: Workflow could not be started!' });
		}
		// A test execution ends the listening, which deletes the test registration; a refused call does not.
		if (test && call.started) await this.stopListening();
	}

	/**
	 * n8n 2.41's route matching (WebhookService.findWebhook, LiveWebhooks): a plain path must equal
	 * the registered one; a path with `:name` segments is looked up as `<webhookId>/<segments>`
	 * against the registered template, whose `:name` segments capture the request's segments.
	 */
	private matchPath(pathname: string, webhook: IWebhookData, prefix: string): IDataObject | undefined {
		if (!pathname.startsWith(prefix)) return undefined;
		const requested = pathname.slice(prefix.length).split('/').map(decodeURIComponent);
		const template = webhook.path.split('/');
		if (!template.some((segment) => segment.startsWith(':'))) {
			return requested.join('/') === webhook.path ? {} : undefined;
		}
		const [webhookId, ...segments] = requested;
		if (webhookId !== webhook.webhookId || segments.length !== template.length) return undefined;
		const params: IDataObject = {};
		for (const [index, segment] of template.entries()) {
			if (segment.startsWith(':')) params[segment.slice(1)] = segments[index];
			else if (!segments.includes(segment)) return undefined;
		}
		return params;
	}
}
