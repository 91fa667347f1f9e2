import type { Logger } from '@herald/core';
import { Client } from 'pg';
import type { QueryInterface, Sequelize } from 'sequelize';
import { SequelizeStorage, Umzug } from 'umzug';
import { initialSchema } from './migrations/0001-initial-schema';

/** Every migration, in order. New ones are appended, never edited once released. */
const MIGRATIONS = [initialSchema];

// Any constant works; it only has to be the same in every producer instance.
const MIGRATION_LOCK_KEY = 0x4e52_4c44;

/**
 * Runs pending migrations. Instances starting together take turns through a PostgreSQL advisory
 * lock, so a migration never runs twice.
 */
export async function migrate({ sequelize, databaseUrl, logger }: { sequelize: Sequelize; databaseUrl: string; logger: Logger }) {
  const umzug = new Umzug<QueryInterface>({
    migrations: MIGRATIONS.map(({ name, up, down }) => ({ name, up: ({ context }) => up(context), down: ({ context }) => down(context) })),
    context: sequelize.getQueryInterface(),
    storage: new SequelizeStorage({ sequelize, tableName: 'schema_migrations' }),
    logger: undefined,
  });
  const lock = new Client({ connectionString: databaseUrl });
  await lock.connect();
  try {
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    const applied = await umzug.up();
    if (applied.length > 0) logger.info({ migrations: applied.map((migration) => migration.name) }, 'applied migrations');
  } finally {
    await lock.end();
  }
}
