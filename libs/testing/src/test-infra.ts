import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { createLogger, type Logger } from '@herald/core';
import { createScratchDatabase } from '@herald/local-infra';
import { Client } from 'pg';

/** Addresses of the real Kafka and PostgreSQL the jest global set-up started (or was given). */
export function testInfra(): { kafkaBrokers: string; adminDatabaseUrl: string; dataDir: string } {
  const kafkaBrokers = process.env.HERALD_TEST_KAFKA_BROKERS;
  const adminDatabaseUrl = process.env.HERALD_TEST_ADMIN_DATABASE_URL;
  if (!kafkaBrokers || !adminDatabaseUrl) throw new Error('HERALD_TEST_* not set: run the tests with `npm test`');
  return { kafkaBrokers, adminDatabaseUrl, dataDir: process.env.HERALD_TEST_DATA_DIR ?? '.herald/test' };
}

export const uniqueName = (prefix: string) => `${prefix}${randomBytes(5).toString('hex')}`;

/** A pg client on `url` for the length of `body`, closed after it whatever happens. */
export async function withClient<T>(url: string, body: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await body(client);
  } finally {
    await client.end();
  }
}

/** A database of this test's own on the run's server, dropped by the returned function. */
export const createTestDatabase = (prefix: string): Promise<{ url: string; drop: () => Promise<void> }> => createScratchDatabase(testInfra().adminDatabaseUrl, prefix);

/** A single number from SQL (e.g. a count), read straight from the database. */
export async function queryNumber(databaseUrl: string, sql: string, params: unknown[] = []): Promise<number> {
  return withClient(databaseUrl, async (client) => {
    const { rows } = await client.query<Record<string, string>>(sql, params);
    return Number(Object.values(rows[0] ?? {})[0]);
  });
}

export async function queryRows<T extends object>(databaseUrl: string, sql: string, params: unknown[] = []): Promise<T[]> {
  return withClient(databaseUrl, async (client) => (await client.query<T>(sql, params)).rows);
}

/** A logger that keeps every line in memory, so tests can check what was (not) logged. */
export function captureLogger(name: string): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(chunk.toString());
      callback();
    },
  });
  return { logger: createLogger({ name, level: 'debug', destination }), lines };
}

export const silentLogger = (name = 'test') => createLogger({ name, level: 'silent' });
