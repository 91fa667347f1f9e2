import type { ClientConfig } from 'pg';
import type { DatabaseConfig } from './create-sequelize';

/**
 * Connection options for the plain `pg` clients a service keeps beside Sequelize (LISTEN, the
 * outbox relay, the migration lock), with the same TLS setting as Sequelize's pool.
 */
export function pgOptions(config: DatabaseConfig, database?: string): ClientConfig {
  const url = new URL(config.url);
  if (database) url.pathname = `/${database}`;
  return {
    connectionString: url.toString(),
    connectionTimeoutMillis: 5000,
    ...(config.ssl ? { ssl: { rejectUnauthorized: true } } : {}),
  };
}
