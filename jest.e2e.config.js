/**
 * The real-n8n suite (scripts/e2e.sh, `npm run test:e2e`): one n8n 2.41.1 with the packed package,
 * one Halo sandbox, started once in globalSetup and shared by every file (run in band).
 */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test/e2e'],
	testMatch: ['**/*.e2e.test.ts'],
	transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.jest.json' }] },
	globalSetup: '<rootDir>/test/e2e/global-setup.ts',
	globalTeardown: '<rootDir>/test/e2e/global-teardown.ts',
	maxWorkers: 1,
	testTimeout: 180000,
	// The browser tests go last: they add a node in the editor after the API tests are done.
	testSequencer: '<rootDir>/test/e2e/sequencer.js',
};
