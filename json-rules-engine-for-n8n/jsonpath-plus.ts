/**
 * Stands in for jsonpath-plus inside the n8n package's bundles (see gulpfile.js): jsonpath-plus
 * requires Node's `vm`, which n8n's rules forbid. json-rules-engine calls JSONPath only to read a
 * condition's `path` when its Engine was given no path resolver, and the planner always gives one
 * (engine/plan/prepare.ts), so the n8n package never calls this.
 */
export function JSONPath(): never {
	throw new Error('JSONPath is not in the n8n package: json-rules-engine needs a pathResolver here, as the planner gives it');
}
