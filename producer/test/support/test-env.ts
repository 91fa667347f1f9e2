import { createTestDatabase as createDatabase, testInfra, uniqueName } from '@herald/testing';
import { loadConfig, type ProducerConfig } from '../../src/config';

export const createTestDatabase = () => createDatabase('producer_test');

/**
 * Producer config for a test: its own database, its own topics (a unique prefix), port 0.
 * `overrides` are environment variables, parsed like in production.
 */
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
    ...overrides,
  });
}
