import { randomBytes } from 'node:crypto';
import { createLogger } from '@herald/core';
import { createSequelize, runMigrations } from '@herald/db';
import { Client } from 'pg';
import { MIGRATIONS, MIGRATION_LOCK_KEY } from '../../producer/src/db/migrations';

async function onServer(serverUrl: string, sql: string): Promise<void> {
  const client = new Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/**
 * A throw-away database beside the producer's (same server), with the producer's own schema
 * applied by its own migrations, so a baseline writes to the very tables, indexes and NOTIFY
 * trigger that the service does. `drop()` removes it.
 */
export async function createScratchProducerDatabase(producerDatabaseUrl: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `herald_bench_${randomBytes(4).toString('hex')}`;
  await onServer(producerDatabaseUrl, `CREATE DATABASE "${name}"`);
  const url = new URL(producerDatabaseUrl);
  url.pathname = `/${name}`;
  const logger = createLogger({ name: 'bench', level: 'warn' });
  const database = { url: url.toString(), ssl: false, poolMax: 1 };
  const sequelize = createSequelize({ config: database, logger });
  try {
    await runMigrations({ sequelize, database, migrations: MIGRATIONS, lockKey: MIGRATION_LOCK_KEY, logger });
  } finally {
    await sequelize.close();
  }
  return { url: url.toString(), drop: () => onServer(producerDatabaseUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`) };
}
