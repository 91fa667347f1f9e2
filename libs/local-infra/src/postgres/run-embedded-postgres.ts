// Keeps an embedded PostgreSQL server running until SIGTERM. Started by embedded-postgres.ts in a
// process group of its own, so Ctrl-C in the terminal does not stop the database before the
// services that are still draining into it; the dev runner stops it last.
import { runEmbeddedPostgres } from './embedded-postgres-server';

const [dataDir, port] = process.argv.slice(2);

runEmbeddedPostgres({ dataDir: dataDir ?? '', port: Number(port) })
  .then((server) => {
    process.stdout.write(`READY ${server.url()}\n`);
    const stop = () => void server.stop().then(() => process.exit(0));
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
  })
  .catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
