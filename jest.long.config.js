/**
 * `npm run test:long`: the runs too long for `npm test`, on the same set-up: the failure suite's
 * short run (chaos/chaos.long.test.ts) and the benches' smoke run (scripts/bench-smoke.long.test.ts).
 * @type {import('jest').Config}
 */
const base = require('./jest.config');

module.exports = {
  ...base,
  testMatch: ['**/*.long.test.ts'],
  testPathIgnorePatterns: ['/node_modules/'],
};
