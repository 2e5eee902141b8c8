/**
 * Stands in for json-rules-engine's debug logger inside the n8n package's bundles (see gulpfile.js):
 * it logs to the console when the DEBUG environment variable asks for it, and n8n's rules allow
 * shipped code neither the console nor the environment. This one logs nothing.
 */
export default function debug(): void {
	// nothing: see above
}
