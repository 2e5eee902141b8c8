import tseslint from 'typescript-eslint';
import { n8nCommunityNodesPlugin } from '@n8n/eslint-plugin-community-nodes';
import n8nNodesBase from 'eslint-plugin-n8n-nodes-base';

export default tseslint.config(
	{ ignores: ['dist/**', 'node_modules/**', 'coverage/**', '**/*.js', '**/*.mjs'] },
	{
		files: ['**/*.ts'],
		languageOptions: { parser: tseslint.parser, parserOptions: { sourceType: 'module' } },
		plugins: { '@typescript-eslint': tseslint.plugin },
		rules: {},
	},
	{
		files: ['nodes/**/*.ts', 'credentials/**/*.ts'],
		...n8nCommunityNodesPlugin.configs.recommended,
	},
	{
		files: ['package.json'],
		languageOptions: { parser: tseslint.parser, parserOptions: { extraFileExtensions: ['.json'] } },
		plugins: n8nCommunityNodesPlugin.configs.recommended.plugins,
		rules: {
			...Object.fromEntries(
				Object.entries(n8nCommunityNodesPlugin.configs.recommended.rules).filter(([name]) =>
					/package|author|homepage|peer-dependencies|lifecycle|files-array|overrides|runtime-dependencies/.test(name),
				),
			),
			// The brief requires axios, json-rules-engine and luxon at run time: the one documented exception.
			'@n8n/community-nodes/no-runtime-dependencies': 'off',
		},
	},
	{
		// engine/ and the Halo client core are used outside n8n too (the standalone axios client): n8n stays out of them.
		files: ['engine/**/*.ts', 'halo-client/**/*.ts'],
		rules: {
			'no-restricted-imports': [
				'error',
				{
					paths: ['n8n-workflow', 'n8n-core'].map((name) => ({
						name,
						message: 'engine/ never imports n8n: keep n8n types and helpers in nodes/ and credentials/.',
					})),
					patterns: [
						{ group: ['n8n-workflow/*', 'n8n-core/*', '@n8n/*'], message: 'engine/ never imports n8n.' },
						{ group: ['**/nodes/**', '**/credentials/**'], message: 'engine/ must not depend on the n8n nodes or credentials.' },
					],
				},
			],
		},
	},
	{
		files: ['credentials/**/*.ts'],
		plugins: { 'n8n-nodes-base': n8nNodesBase },
		rules: {
			...n8nNodesBase.configs.credentials.rules,
			// Off in n8n's own configs (n8n-node lint and the community-package scanner): not valid for community nodes.
			'n8n-nodes-base/cred-class-field-documentation-url-miscased': 'off',
		},
	},
	{
		files: ['nodes/**/*.ts'],
		plugins: { 'n8n-nodes-base': n8nNodesBase },
		rules: {
			...n8nNodesBase.configs.nodes.rules,
			// The older plugin wants the string 'main'; n8n 2.x and the community plugin use NodeConnectionTypes.Main.
			'n8n-nodes-base/node-class-description-inputs-wrong-regular-node': 'off',
			'n8n-nodes-base/node-class-description-outputs-wrong': 'off',
		},
	},
);
