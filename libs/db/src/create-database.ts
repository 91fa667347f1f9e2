import type { Logger } from '@herald/core';
import { Client } from 'pg';
import type { DatabaseConfig } from './create-sequelize';
import { pgOptions } from './pg-options';

/**
 * Creates the service's database when the server does not have it yet, so a fresh Aurora
 * cluster (which creates only one database) or a bare PostgreSQL works without a manual step.
 * Connects to the same server's `postgres` database; without the right to create databases it
 * only logs, and the migrations then fail with PostgreSQL's own message.
 */
export async function createDatabaseIfMissing({ database, logger }: { database: DatabaseConfig; logger: Logger }): Promise<void> {
  const name = decodeURIComponent(new URL(database.url).pathname.slice(1));
  if (!name || name === 'postgres') return;
  const client = new Client(pgOptions(database, 'postgres'));
  try {
    await client.connect();
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (rowCount) return;
    await client.query(`CREATE DATABASE "${name.replaceAll('"', '""')}"`);
    logger.info({ database: name }, 'created database');
  } catch (error) {
    // 42P04: created meanwhile by another instance.
    if ((error as { code?: string }).code !== '42P04') logger.warn({ err: error, database: name }, 'could not check or create the database');
  } finally {
    await client.end().catch(() => {});
  }
}
