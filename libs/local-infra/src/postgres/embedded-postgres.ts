import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { InfraError } from '../infra-error';
import { isListening } from '../net';
import { stopChild } from '../stop-child';

export interface PostgresServer {
  /** URL of a database on this server; `database` defaults to `postgres`. */
  url(database?: string): string;
  /** Resolves when the server's process ends, asked to or not. */
  exited: Promise<unknown>;
  stop(): Promise<void>;
}

/**
 * Starts a real PostgreSQL (the `embedded-postgres` package) in a process of its own and returns
 * once it accepts connections. Data in `dataDir` is initialised on first start and kept.
 */
export async function startEmbeddedPostgres({ dataDir, port }: { dataDir: string; port: number }): Promise<PostgresServer> {
  if (await isListening(port)) {
    throw new InfraError(
      `PostgreSQL: port ${port} is already in use. Stop whatever listens there (another \`npm start\`?), ` +
        'choose another port with EMBEDDED_POSTGRES_PORT, or set DATABASE_URL to use that server.',
    );
  }
  const child = spawn(
    process.execPath,
    ['--conditions=herald-source', '--import', 'tsx', join(__dirname, 'run-embedded-postgres.ts'), dataDir, String(port)],
    { detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const exited = new Promise<number | null>((resolveExit) => child.once('exit', (code) => resolveExit(code)));
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));

  const adminUrl = await new Promise<string>((resolveReady, reject) => {
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /READY (\S+)/.exec(stdout);
      if (match?.[1]) resolveReady(match[1]);
    });
    void exited.then((code) => reject(new InfraError(`PostgreSQL (embedded) failed to start (exit ${code}): ${stderr.trim() || 'no output'}`)));
  });
  child.stdout.removeAllListeners('data');
  child.stdout.resume();

  return {
    url: (database = 'postgres') => adminUrl.replace(/\/[^/]*$/, `/${database}`),
    exited,
    stop: () => stopChild(child, exited, { timeoutMs: 20_000 }),
  };
}
