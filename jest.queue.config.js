/**
 * The queue-mode suite (scripts/queue.sh, `npm run test:queue`): PostgreSQL, Redis, one n8n 2.41.1
 * main process, 2 workers and 2 webhook processes behind a round-robin proxy, and one Halo sandbox,
 * started once in globalSetup and shared by every file (run in band).
 */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test/queue'],
	testMatch: ['**/*.queue.test.ts'],
	transform: { '^.+\\.ts$': ['ts-jest', { isolatedModules: true, tsconfig: 'tsconfig.json' }] },
	globalSetup: '<rootDir>/test/queue/global-setup.ts',
	globalTeardown: '<rootDir>/test/queue/global-teardown.ts',
	maxWorkers: 1,
	testTimeout: 300000,
};
