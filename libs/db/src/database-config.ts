import { ConfigError, databaseUrlFrom, envVar } from '@herald/core';
import { z } from 'zod';
import type { DatabaseConfig } from './create-sequelize';

/** The database part of a service's environment; spread into its schema. */
export const databaseEnvShape = {
  DATABASE_URL: z.url().optional(),
  /** JSON secret with host, port, dbname, username, password (what Copilot injects for Aurora). */
  DB_SECRET: z.string().min(1).optional(),
  /** The database on the DB_SECRET server, when it is not the secret's `dbname`. */
  DATABASE_NAME: z.string().min(1).optional(),
  DATABASE_SSL: envVar.bool(false),
  DATABASE_POOL_MAX: envVar.int(10, 1),
};

type DatabaseEnv = z.output<z.ZodObject<typeof databaseEnvShape>>;

/** For `.superRefine`: one of DATABASE_URL and DB_SECRET must be there. */
export function checkDatabaseEnv(env: DatabaseEnv, ctx: z.RefinementCtx, service: string): void {
  if (!env.DATABASE_URL && !env.DB_SECRET) {
    ctx.addIssue({ code: 'custom', path: ['DATABASE_URL'], message: `required (or DB_SECRET): the PostgreSQL database of the ${service}` });
  }
}

export function toDatabaseConfig(env: DatabaseEnv): DatabaseConfig {
  let url: string | undefined;
  try {
    url = databaseUrlFrom({ url: env.DATABASE_URL, secretJson: env.DB_SECRET, database: env.DATABASE_NAME });
  } catch (error) {
    throw new ConfigError([`DB_SECRET: ${error instanceof Error ? error.message : 'is invalid'}`]);
  }
  return { url: url ?? '', ssl: env.DATABASE_SSL, poolMax: env.DATABASE_POOL_MAX };
}
