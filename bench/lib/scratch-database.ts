import { createLogger } from '@herald/core';
import { createSequelize, runMigrations } from '@herald/db';
import { createScratchDatabase } from '@herald/local-infra';

/**
 * A throw-away database beside a service's (same server), with that service's own schema applied
 * by its own migrations, so a baseline writes to the very tables, indexes and triggers that the
 * service does. `drop()` removes it.
 */
export async function createMigratedScratchDatabase(serverUrl: string, migrations: { MIGRATIONS: Parameters<typeof runMigrations>[0]['migrations']; MIGRATION_LOCK_KEY: number }) {
  const scratch = await createScratchDatabase(serverUrl, 'herald_bench');
  const logger = createLogger({ name: 'bench', level: 'warn' });
  const database = { url: scratch.url, ssl: false, poolMax: 1 };
  const sequelize = createSequelize({ config: database, logger });
  try {
    await runMigrations({ sequelize, database, migrations: migrations.MIGRATIONS, lockKey: migrations.MIGRATION_LOCK_KEY, logger });
  } catch (error) {
    await scratch.drop();
    throw error;
  } finally {
    await sequelize.close();
  }
  return scratch;
}
