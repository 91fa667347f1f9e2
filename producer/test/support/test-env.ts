import { randomBytes } from 'node:crypto';
import { createLogger, type Logger } from '@herald/core';
import { Writable } from 'node:stream';
import { dropDatabase, ensureDatabase, withDatabase } from '../../../scripts/postgres/databases';
import { loadConfig, type ProducerConfig } from '../../src/config';

/** Addresses of the real Kafka and PostgreSQL the jest global set-up started (or was given). */
export function testInfra(): { kafkaBrokers: string; adminDatabaseUrl: string } {
  const kafkaBrokers = process.env.HERALD_TEST_KAFKA_BROKERS;
  const adminDatabaseUrl = process.env.HERALD_TEST_ADMIN_DATABASE_URL;
  if (!kafkaBrokers || !adminDatabaseUrl) throw new Error('HERALD_TEST_* not set: run the tests with `npm test`');
  return { kafkaBrokers, adminDatabaseUrl };
}

export const uniqueName = (prefix: string) => `${prefix}${randomBytes(5).toString('hex')}`;

/** A database of this test's own, dropped by the returned function. */
export async function createTestDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const { adminDatabaseUrl } = testInfra();
  const name = uniqueName('producer_test_');
  await ensureDatabase(adminDatabaseUrl, name);
  return { url: withDatabase(adminDatabaseUrl, name), drop: () => dropDatabase(adminDatabaseUrl, name) };
}

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

/** A logger that keeps every line in memory, so tests can check what was (not) logged. */
export function captureLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(chunk.toString());
      callback();
    },
  });
  return { logger: createLogger({ name: 'producer-test', level: 'debug', destination }), lines };
}
