/** Unit and integration tests (sandbox over real HTTP). The real-n8n and queue-mode suites have their own configs. */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts'],
	testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/e2e/', '<rootDir>/test/queue/'],
	transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.jest.json' }] },
	globalSetup: '<rootDir>/test/helpers/jest-global-setup.ts',
	globalTeardown: '<rootDir>/test/helpers/jest-global-teardown.ts',
	testTimeout: 30000,
};
