import type { Logger } from '@herald/core';
import { Sequelize } from 'sequelize';

export interface DatabaseConfig {
  url: string;
  ssl: boolean;
  poolMax: number;
}

/** One Sequelize (and pg pool) per process, built in main.ts and handed to whoever needs it. */
export function createSequelize({ config, logger }: { config: DatabaseConfig; logger: Logger }): Sequelize {
  return new Sequelize(config.url, {
    dialect: 'postgres',
    logging: (sql) => logger.trace({ sql }, 'sql'),
    pool: { max: config.poolMax, min: 0, idle: 10_000, acquire: 10_000 },
    dialectOptions: {
      ...(config.ssl ? { ssl: { require: true, rejectUnauthorized: true } } : {}),
      // Fail fast when PostgreSQL is down instead of hanging a request for the OS timeout.
      connectionTimeoutMillis: 5000,
      statement_timeout: 15_000,
    },
  });
}
