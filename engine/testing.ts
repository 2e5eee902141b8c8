/**
 * For tests and benchmarks, not the package's API: the naive per-asset planner the grouped planner is
 * checked and measured against, and the seeded synthetic tenant they run on.
 */
export { planNaive } from './plan/planner';
export type { SyntheticOptions } from './synthetic';
export { generateSyntheticPolicies, generateSyntheticSnapshot, seededRandom } from './synthetic';
