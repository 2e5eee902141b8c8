// What the n8n package ships is linted with n8n-node lint's own configuration (@n8n/node-cli/eslint:
// ESLint's and typescript-eslint's recommended rules, import-x, @n8n/eslint-plugin-community-nodes'
// recommended rules and eslint-plugin-n8n-nodes-base's node, credential and package.json rules), not a
// rule turned off beyond what that configuration turns off. `n8n-node lint` itself lints every .ts
// file of its folder, and this repository also holds the Halo sandbox, the tests and the scripts that
// run n8n, which are no community-node code; so its configuration is applied here to the files the
// package ships: the nodes and credentials, and what their bundles take in (the Halo client core, the
// engine, json-rules-engine's stand-ins). test/package/n8nPackage.test.ts checks that every source file
// esbuild bundles is among them.
import { config as n8nNodeLint } from '@n8n/node-cli/eslint';
import tseslint from 'typescript-eslint';

/** The TypeScript the n8n package's bundles are built from. */
export const SHIPPED_SOURCES = ['nodes/**/*.ts', 'credentials/**/*.ts', 'halo-client/**/*.ts', 'engine/**/*.ts', 'json-rules-engine-for-n8n/**/*.ts'];
/** engine/ files that only the engine package has (its axios data source and entry) or the tests use. */
const ENGINE_PACKAGE_ONLY = ['engine/axiosDataSource.ts', 'engine/index.ts', 'engine/testing.ts', 'engine/synthetic.ts'];

/** n8n-node lint's configuration with its "every .ts file" blocks narrowed to what the package ships. */
const shippedCodeConfig = n8nNodeLint.map((block) =>
	block.files?.length === 1 && block.files[0] === '**/*.ts'
		? { ...block, files: SHIPPED_SOURCES, ignores: [...(block.ignores ?? []), ...ENGINE_PACKAGE_ONLY] }
		: block,
);

export default tseslint.config(
	{ ignores: ['dist/**', 'packages/*/dist/**', 'node_modules/**', 'coverage/**', '**/*.js', '**/*.mjs'] },
	{
		// Everything else (sandbox, tests, scripts, benchmarks, the engine package's own files): parsed, for the import rules below.
		files: ['**/*.ts'],
		languageOptions: { parser: tseslint.parser, parserOptions: { sourceType: 'module' } },
	},
	...shippedCodeConfig,
	{
		// The engine and the Halo client core also run outside n8n (the engine package): n8n stays out of them.
		files: ['engine/**/*.ts', 'halo-client/**/*.ts'],
		rules: {
			'no-restricted-imports': [
				'error',
				{
					paths: ['n8n-workflow', 'n8n-core'].map((name) => ({
						name,
						message: 'engine/ and halo-client/ never import n8n: keep n8n types and helpers in nodes/ and credentials/.',
					})),
					patterns: [
						{ group: ['n8n-workflow/*', 'n8n-core/*', '@n8n/*'], message: 'engine/ and halo-client/ never import n8n.' },
						{ group: ['**/nodes/**', '**/credentials/**'], message: 'engine/ and halo-client/ must not depend on the n8n nodes or credentials.' },
					],
				},
			],
		},
	},
);
