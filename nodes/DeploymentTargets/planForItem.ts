import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { Decision, DeploymentPlan, FormPolicy, PlanOptions, Policy, RawSnapshot, Snapshot } from '../../engine/planning';
import {
	assetsNeedingInstalledSoftware,
	checkPolicies,
	compileFormPolicy,
	describePolicyErrors,
	describeUnknownReference,
	findUnknownReferences,
	isBlockingReference,
	normalizeSnapshot,
	PagedHaloDataSource,
	PlanDateError,
	planDeployments,
	policyErrorsHeadline,
	PolicyValidationError,
	splitNamesAndIds,
	withUniqueIds,
} from '../../engine/planning';
import { haloApiRequestAllItems } from '../transport';

type OutputMode = 'changes' | 'assets' | 'software' | 'reconciliation';

interface PlanOptionsParameter {
	includeInactiveAssets?: boolean;
	includeSummary?: boolean;
	planDate?: string;
	timeZone?: string;
}

function fail(this: IExecuteFunctions, itemIndex: number, message: string, description: string): never {
	throw new NodeOperationError(this.getNode(), message, { itemIndex, description });
}

/** The form's policies, compiled to the same JSON policies a user could write; ids made unique. */
function policiesFromForm(this: IExecuteFunctions, itemIndex: number): Policy[] {
	const entries = this.getNodeParameter('formPolicies.policy', itemIndex, []) as IDataObject[];
	if (entries.length === 0) fail.call(this, itemIndex, 'No policy is set', 'Add at least one policy under Policies, or switch Policies From to JSON.');
	const compiled = entries.map((entry, index) => {
		try {
			return compileFormPolicy(entry as unknown as FormPolicy);
		} catch (error) {
			const problems = error instanceof PolicyValidationError ? error.errors.map((problem) => problem.message).join('\n') : (error as Error).message;
			return fail.call(this, itemIndex, `Policy ${index + 1} in the form is not valid`, `${problems}\nFill in Software and at least one contract type or item; Contract-Linked is a scope for recurring items.`);
		}
	});
	return withUniqueIds(compiled);
}

function policiesFromJson(this: IExecuteFunctions, itemIndex: number): Policy[] {
	const document = this.getNodeParameter('policiesJson', itemIndex) as unknown;
	const { policies, errors } = checkPolicies(document);
	if (errors.length > 0) {
		fail.call(this, itemIndex, policyErrorsHeadline(errors), describePolicyErrors(errors));
	}
	return policies;
}

interface LoadedSnapshot {
	snapshot: Snapshot;
	/** loaded for some clients only (Client IDs), so contract types, asset types and clients are known only for those */
	partial: boolean;
	/** the Halo source, when installed software is still to be read for the assets whose decisions need it */
	softwareSource?: PagedHaloDataSource;
}

async function loadSnapshot(this: IExecuteFunctions, itemIndex: number, options: PlanOptionsParameter): Promise<LoadedSnapshot> {
	const dataSource = this.getNodeParameter('dataSource', itemIndex) as 'halo' | 'input';
	if (dataSource === 'input') {
		const field = (this.getNodeParameter('snapshotField', itemIndex, '') as string).trim();
		const json = this.getInputData()[itemIndex].json;
		const value = field ? json[field] : json;
		if (typeof value !== 'object' || value === null || Array.isArray(value)) {
			fail.call(this, itemIndex, `The input item has no snapshot${field ? ` in the field "${field}"` : ''}`, 'A snapshot is an object with the lists clients, contracts, invoices (recurring invoices with lines), items and assets, and optionally installedSoftware.');
		}
		return { snapshot: normalizeSnapshot(value as RawSnapshot), partial: false };
	}
	const clientIds = splitNamesAndIds(this.getNodeParameter('clientIds', itemIndex, '') as string);
	const notIds = clientIds.filter((id) => typeof id !== 'number');
	if (notIds.length > 0) fail.call(this, itemIndex, `Client IDs must be numbers, got "${notIds.join('", "')}"`, 'Enter client IDs separated by commas, e.g. 12, 15, or leave the field empty for every client.');
	const source = new PagedHaloDataSource(
		async (path, envelopeKey, qs) => (await haloApiRequestAllItems.call(this, path, envelopeKey, { qs, itemIndex })) as Array<Record<string, unknown>>,
	);
	const includeInstalledSoftware = this.getNodeParameter('includeInstalledSoftware', itemIndex, false) as boolean;
	const everyAsset = includeInstalledSoftware && this.getNodeParameter('installedSoftwareFor', itemIndex, 'needed') === 'all';
	const snapshot = await source.loadSnapshot({
		clientIds: clientIds.length > 0 ? (clientIds as number[]) : undefined,
		includeInstalledSoftware: everyAsset,
		includeInactiveAssets: options.includeInactiveAssets,
	});
	return { snapshot, partial: clientIds.length > 0, softwareSource: includeInstalledSoftware && !everyAsset ? source : undefined };
}

function decisionJson(decision: Decision): IDataObject {
	return { ...decision } as unknown as IDataObject;
}

function outputRows(plan: DeploymentPlan, mode: OutputMode): IDataObject[] {
	if (mode === 'changes') return [...plan.changes()].map(decisionJson);
	if (mode === 'software') return plan.summary() as unknown as IDataObject[];
	if (mode === 'reconciliation') return plan.reconciliation() as unknown as IDataObject[];
	const rows: IDataObject[] = [];
	let current: IDataObject | undefined;
	for (const decision of plan.decisions()) {
		if (current?.assetId !== decision.assetId) {
			current = {
				assetId: decision.assetId,
				assetName: decision.assetName,
				clientId: decision.clientId,
				clientName: decision.clientName,
				assetTypeId: decision.assetTypeId,
				assetTypeName: decision.assetTypeName,
				targetedSoftware: [],
				decisions: [],
			};
			rows.push(current);
		}
		const { software, targeted, installed, action, reasons } = decision;
		if (targeted) (current.targetedSoftware as string[]).push(software);
		(current.decisions as IDataObject[]).push({ software, targeted, installed, action, reasons } as unknown as IDataObject);
	}
	return rows;
}

function summaryRow(plan: DeploymentPlan, warnings: string[]): IDataObject {
	const software = plan.summary();
	return {
		summary: true,
		dryRun: true,
		date: plan.date,
		timeZone: plan.timeZone,
		assets: plan.assetCount,
		clients: plan.clientCount,
		policies: plan.policyCount,
		installedSoftwareKnown: plan.installedSoftwareKnown,
		changes: {
			install: software.reduce((total, entry) => total + entry.install, 0),
			remove: software.reduce((total, entry) => total + entry.remove, 0),
		},
		software: software as unknown as IDataObject[],
		warnings: [...plan.warnings, ...warnings],
	};
}

/** Plans for one input item: policies, snapshot, checks, plan, then the rows of the chosen output. */
export async function planForItem(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]> {
	const policySource = this.getNodeParameter('policySource', itemIndex) as 'form' | 'json';
	const policies = policySource === 'form' ? policiesFromForm.call(this, itemIndex) : policiesFromJson.call(this, itemIndex);
	const options = this.getNodeParameter('options', itemIndex, {}) as PlanOptionsParameter;
	const loaded = await loadSnapshot.call(this, itemIndex, options);
	const { partial, softwareSource } = loaded;
	let { snapshot } = loaded;

	const activeAssets = options.includeInactiveAssets ? snapshot.assets : snapshot.assets.filter((asset) => !asset.inactive);
	if (activeAssets.length === 0) {
		fail.call(this, itemIndex, 'The snapshot has no assets to plan for', snapshot.assets.length > 0
			? 'Every asset is flagged inactive; turn on Include Inactive Assets to plan for them.'
			: 'HaloPSA (or the input item) returned no assets: check the Client IDs, the API application\'s asset permission, or the snapshot\'s "assets" list.');
	}

	// With Client IDs set only those clients' contracts are loaded: a contract type missing from them
	// may be the tenant's all the same (the technician tab plans for one client), so it is a warning.
	const references = findUnknownReferences(policies, snapshot, { partialSnapshot: partial });
	const blocking = references.filter(isBlockingReference);
	if (blocking.length > 0) {
		fail.call(this, itemIndex, `${blocking.length === 1 ? 'A policy names a contract type or item' : `Policies name ${blocking.length} contract types or items`} that HaloPSA does not have`, blocking.map(describeUnknownReference).join('\n'));
	}
	const warnings = references.filter((reference) => !isBlockingReference(reference)).map(describeUnknownReference);

	const planOptions: PlanOptions = {
		date: options.planDate || undefined,
		// the workflow's time zone unless one is set, as the HaloPSA node's In Force On filter reads dates
		timeZone: options.timeZone?.trim() || this.getTimezone(),
		includeInactiveAssets: options.includeInactiveAssets,
	};
	let plan: DeploymentPlan;
	try {
		// planned from the lists first: only the assets whose decisions depend on it cost a software request
		if (softwareSource) snapshot = await softwareSource.addInstalledSoftware(snapshot, await assetsNeedingInstalledSoftware(snapshot, policies, planOptions));
		plan = await planDeployments(snapshot, policies, planOptions);
	} catch (error) {
		if (error instanceof PlanDateError) fail.call(this, itemIndex, error.message, 'Correct Plan Date or Time Zone under Options.');
		throw new NodeOperationError(this.getNode(), error as Error, { itemIndex });
	}
	const rows = outputRows(plan, this.getNodeParameter('output', itemIndex) as OutputMode);
	return options.includeSummary === false ? rows : [summaryRow(plan, warnings), ...rows];
}
