import type { Logger } from '@herald/core';
import { Pool } from 'pg';
import type { DatabaseConfig } from './create-sequelize';
import { pgOptions } from './pg-options';

/**
 * A plain `pg` pool beside Sequelize's, for one job (the relay, the purger, the rate limits). A pool
 * emits 'error' when the server drops an idle connection (a restart, a database dropped with
 * FORCE); without a listener that would end the process. The next query reconnects.
 */
export function createPool({ config, max, logger, name }: { config: DatabaseConfig; max: number; logger: Logger; name: string }): Pool {
  const pool = new Pool({ ...pgOptions(config), max });
  pool.on('error', (error) => logger.warn({ err: error, pool: name }, 'idle database connection lost'));
  return pool;
}
