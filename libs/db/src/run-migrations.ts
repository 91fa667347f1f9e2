import type { Logger } from '@herald/core';
import { Client } from 'pg';
import type { QueryInterface, Sequelize } from 'sequelize';
import { SequelizeStorage, Umzug } from 'umzug';
import type { DatabaseConfig } from './create-sequelize';
import { pgOptions } from './pg-options';

export interface Migration {
  name: string;
  up(queryInterface: QueryInterface): Promise<void>;
  down(queryInterface: QueryInterface): Promise<void>;
}

/**
 * Runs pending migrations at start-up. Instances starting together take turns through a
 * PostgreSQL advisory lock (held on a connection of its own), so a migration never runs twice.
 */
export async function runMigrations({
  sequelize,
  database,
  migrations,
  lockKey,
  logger,
}: {
  sequelize: Sequelize;
  database: DatabaseConfig;
  /** Every migration, in order. New ones are appended, never edited once released. */
  migrations: Migration[];
  /** Any constant, the same in every instance of one service. */
  lockKey: number;
  logger: Logger;
}): Promise<void> {
  const umzug = new Umzug<QueryInterface>({
    migrations: migrations.map(({ name, up, down }) => ({ name, up: ({ context }) => up(context), down: ({ context }) => down(context) })),
    context: sequelize.getQueryInterface(),
    storage: new SequelizeStorage({ sequelize, tableName: 'schema_migrations' }),
    logger: undefined,
  });
  const lock = new Client(pgOptions(database));
  await lock.connect();
  try {
    await lock.query('SELECT pg_advisory_lock($1)', [lockKey]);
    const applied = await umzug.up();
    if (applied.length > 0) logger.info({ migrations: applied.map((migration) => migration.name) }, 'applied migrations');
  } finally {
    await lock.end();
  }
}
