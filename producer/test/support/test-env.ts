import { createTestDatabase as createDatabase, testInfra, uniqueName } from '@herald/testing';
import { loadConfig, type ProducerConfig } from '../../src/config';

export const createTestDatabase = () => createDatabase('producer_test');

// Every test's requests come from 127.0.0.1, so the abuse limits are raised out of the way;
// the tests of the limits themselves set their own, low ones.
const UNLIMITED = '1000000';
const NO_ABUSE_LIMITS = {
  SIGNUP_LIMIT_PER_IP: UNLIMITED,
  SIGNUP_LIMIT_PER_ACCOUNT: UNLIMITED,
  LOGIN_LIMIT_PER_IP: UNLIMITED,
  LOGIN_LIMIT_PER_ACCOUNT: UNLIMITED,
  REFRESH_LIMIT_PER_IP: UNLIMITED,
  POST_LIMIT_PER_USER: UNLIMITED,
  FOLLOW_LIMIT_PER_USER: UNLIMITED,
  LOGIN_LOCKOUT_FAILURES: UNLIMITED,
  LOGIN_ACCOUNT_LOCKOUT_FAILURES: UNLIMITED,
  RATE_LIMIT_DELAY_MS: '0',
};

/**
 * Producer config for a test: its own database, its own topics (a unique prefix), port 0, abuse
 * limits out of the way. `overrides` are environment variables, parsed like in production.
 */
/** The secret the tests' producers serve users' keys for (POST /internal/user-keys). */
export const TEST_USER_KEYS_TOKEN = 'test-user-keys-token-0123456789abcdef';

export function testProducerConfig({ databaseUrl, overrides = {} }: { databaseUrl: string; overrides?: Record<string, string> }): ProducerConfig {
  return loadConfig({
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    PORT: '0',
    DATABASE_URL: databaseUrl,
    KAFKA_BROKERS: testInfra().kafkaBrokers,
    KAFKA_TOPIC_PREFIX: `${uniqueName('test-')}.`,
    OUTBOX_POLL_INTERVAL_MS: '200',
    OUTBOX_MAX_BACKOFF_MS: '500',
    SHUTDOWN_TIMEOUT_MS: '4000',
    USER_KEYS_TOKEN: TEST_USER_KEYS_TOKEN,
    ...NO_ABUSE_LIMITS,
    ...overrides,
  });
}
