/**
 * The planner and its policy and snapshot tools, without an HTTP client: what the n8n package's
 * Deployment Targets node bundles (it loads Halo data through the node transport). The engine
 * package's API (index.ts) is this plus the axios data source.
 */
export type * from './types';
export { normalizeSnapshot, toId } from './snapshot';
export type { HaloDay } from './dates';
export { calendarDate, readHaloDay, resolvePlanDate, PlanDateError } from './dates';
export type { CoverageFacts, CoverageKeys, CoverageOptions, CoverageSource, InForceLine } from './coverage';
export { computeCoverage, CoverageSet, isContractInForce } from './coverage';
export type { AssetFacts, FactName } from './facts';
export { FACT_CATALOG } from './facts';
export { ALL_OPERATORS, customOperators, normalizeKey } from './operators';
export type { ConditionNode, LeafCondition, Policy, PolicyCheck, PolicyEffect, PolicyError } from './policy/schema';
export { checkPolicies, describePolicyErrors, parsePolicies, policyErrorsHeadline, PolicyValidationError } from './policy/schema';
export type { FormPolicy } from './policy/compile';
export { compileFormPolicy, splitNamesAndIds, withUniqueIds } from './policy/compile';
export type { ReferenceCheckOptions, ReferenceKind, UnknownReference } from './policy/references';
export { describeUnknownReference, findUnknownReferences, isBlockingReference } from './policy/references';
export { closestMatches } from './suggest';
export type { PlanOptions } from './plan/prepare';
export type {
	Decision,
	DecisionReason,
	DeploymentAction,
	FailedCondition,
	MatchedSource,
	PolicyExplanation,
	ReconciliationRow,
	SoftwareSummary,
	WhyNotReport,
} from './plan/result';
export { DeploymentPlan } from './plan/result';
export { assetsNeedingInstalledSoftware, planDeployments } from './plan/planner';
export type { HaloDataSource, HaloListFetcher, QueryValue, SnapshotLoadOptions } from './datasource';
export { PagedHaloDataSource } from './datasource';
