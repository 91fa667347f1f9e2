/**
 * One jest run for every workspace (`npm test`). Unit tests sit beside the code
 * (`src/**\/*.test.ts`); integration tests live in each workspace's `test/` and use the real Kafka
 * and PostgreSQL that the global set-up provides. Long runs (`*.long.test.ts`: the failure suite's
 * short run, the benches' smoke run) are left to `npm run test:long` (jest.long.config.js), which
 * CI runs too.
 * @type {import('jest').Config}
 */
module.exports = {
  testEnvironment: 'node',
  // Resolve workspace packages (@herald/*) to their TypeScript sources, as tsx does.
  testEnvironmentOptions: { customExportConditions: ['herald-source', 'node', 'require', 'default'] },
  roots: ['<rootDir>/libs', '<rootDir>/producer', '<rootDir>/consumer', '<rootDir>/infra', '<rootDir>/scripts', '<rootDir>/bench', '<rootDir>/chaos'],
  testMatch: ['**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '\\.long\\.test\\.ts$'],
  // `cdk synth` leaves copies of the packages in infra/cdk.out; jest would see them twice.
  modulePathIgnorePatterns: ['<rootDir>/infra/cdk.out'],
  transform: {
    '^.+\\.[cm]?[jt]s$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2024' }, module: { type: 'commonjs' } }],
  },
  // jose, openapi-typescript's dependencies and auto-bind (of GraphQL Code Generator) ship ES
  // modules only; jest's module system needs them as CommonJS (for the contracts' tests).
  transformIgnorePatterns: ['/node_modules/(?!(jose|auto-bind|openapi-typescript|parse-json|index-to-position|change-case|supports-color)/)'],
  globalSetup: '<rootDir>/scripts/test/global-setup.ts',
  globalTeardown: '<rootDir>/scripts/test/global-teardown.ts',
  reporters: ['default', '<rootDir>/scripts/test/summary-reporter.js'],
  testTimeout: 60_000,
  // Integration tests share one broker and one database server on 2 cores.
  maxWorkers: 2,
};
