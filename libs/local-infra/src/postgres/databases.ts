import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

const quoted = (name: string) => `"${name.replaceAll('"', '""')}"`;

async function onServer(adminUrl: string, sql: string, params: unknown[] = []): Promise<number> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return (await client.query(sql, params)).rowCount ?? 0;
  } finally {
    await client.end();
  }
}

/** Creates `database` on the server behind `adminUrl` unless it exists. */
export async function ensureDatabase(adminUrl: string, database: string): Promise<void> {
  if (!(await onServer(adminUrl, 'SELECT 1 FROM pg_database WHERE datname = $1', [database]))) await onServer(adminUrl, `CREATE DATABASE ${quoted(database)}`);
}

/** Drops `database` (closing its connections) if it exists. */
export async function dropDatabase(adminUrl: string, database: string): Promise<void> {
  await onServer(adminUrl, `DROP DATABASE IF EXISTS ${quoted(database)} WITH (FORCE)`);
}

/** The same URL pointing at another database on the same server. */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/**
 * A throw-away database on the server behind `serverUrl` (any database URL of it), named
 * `<prefix>_<random>`, for a test or a bench baseline; `drop()` removes it.
 */
export async function createScratchDatabase(serverUrl: string, prefix: string): Promise<{ name: string; url: string; drop: () => Promise<void> }> {
  const name = `${prefix}_${randomBytes(5).toString('hex')}`;
  const adminUrl = withDatabase(serverUrl, 'postgres');
  await onServer(adminUrl, `CREATE DATABASE ${quoted(name)}`);
  return { name, url: withDatabase(serverUrl, name), drop: () => dropDatabase(adminUrl, name) };
}
