import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { startKafkaBroker } from '../kafka/kafka-broker';
import { ensureDatabase, withDatabase } from '../postgres/databases';
import { startEmbeddedPostgres } from '../postgres/embedded-postgres';
import type { DevConfig } from './dev-config';

export interface InfraOptions {
  /** A broker to use instead of starting one (comma-separated list). */
  kafkaBrokers?: string;
  kafkaPort: number;
  kafkaControllerPort: number;
  kafkaHeapMb?: number;
  /** A PostgreSQL server to use instead of the embedded one; its database part is replaced. */
  databaseUrl?: string;
  postgresPort: number;
  /** Folder for Kafka's and PostgreSQL's data and logs. */
  dataDir: string;
  /** Databases to create when missing (one per service). */
  databases: string[];
  log?: (line: string) => void;
}

export interface Infra {
  kafkaBrokers: string;
  /** URL of the server's maintenance database (`postgres`), for creating and dropping databases. */
  adminDatabaseUrl: string;
  databaseUrl(database: string): string;
  /** One line per part: where it is and whether it was started here (and is stopped by `stop`). */
  started: string[];
  /** Resolves, naming the part, when a part started here ends without `stop` (a crash, a kill). */
  died: Promise<string>;
  stop(): Promise<void>;
}

/**
 * Kafka and PostgreSQL for local runs and tests: the ones named in the environment when given,
 * else a real broker and a real embedded server started here, in that order, and stopped in
 * reverse.
 */
export async function startInfra(options: InfraOptions): Promise<Infra> {
  const log = options.log ?? (() => {});
  const stops: Array<() => Promise<void>> = [];
  const started: string[] = [];
  let stopping = false;
  let died: (what: string) => void = () => {};
  const diedPromise = new Promise<string>((resolveDied) => (died = resolveDied));
  const watch = (exited: Promise<unknown>, what: string) => void exited.then(() => !stopping && died(what));
  const stop = async () => {
    stopping = true;
    for (const stopOne of stops.reverse()) await stopOne().catch((error: unknown) => log(`stop failed: ${String(error)}`));
  };
  mkdirSync(options.dataDir, { recursive: true });
  try {
    let adminDatabaseUrl: string;
    if (options.databaseUrl) {
      adminDatabaseUrl = withDatabase(options.databaseUrl, 'postgres');
      started.push(`PostgreSQL  ${hidePassword(adminDatabaseUrl)}  (from DATABASE_URL)`);
    } else {
      log(`Starting PostgreSQL (embedded) on 127.0.0.1:${options.postgresPort}...`);
      const postgres = await startEmbeddedPostgres({ dataDir: join(options.dataDir, 'postgres'), port: options.postgresPort });
      stops.push(() => postgres.stop());
      watch(postgres.exited, `PostgreSQL (embedded, log in ${join(options.dataDir, 'postgres')})`);
      adminDatabaseUrl = postgres.url();
      started.push(`PostgreSQL  ${hidePassword(adminDatabaseUrl)}  (embedded, data in ${join(options.dataDir, 'postgres')})`);
    }
    for (const database of options.databases) await ensureDatabase(adminDatabaseUrl, database);

    let kafkaBrokers = options.kafkaBrokers;
    if (kafkaBrokers) started.push(`Kafka       ${kafkaBrokers}  (from KAFKA_BROKERS)`);
    else {
      log(`Starting Kafka (KRaft, single node) on 127.0.0.1:${options.kafkaPort}...`);
      const kafkaDir = join(options.dataDir, 'kafka');
      const broker = await startKafkaBroker({
        port: options.kafkaPort,
        controllerPort: options.kafkaControllerPort,
        dataDir: kafkaDir,
        logFile: join(kafkaDir, 'server.log'),
        heapMb: options.kafkaHeapMb,
      });
      stops.push(() => broker.stop());
      watch(broker.exited, `Kafka (pid ${broker.pid}, log ${join(kafkaDir, 'server.log')})`);
      kafkaBrokers = broker.brokers;
      started.push(`Kafka       ${broker.brokers}  (pid ${broker.pid}, log ${join(kafkaDir, 'server.log')})`);
    }
    return { kafkaBrokers, adminDatabaseUrl, databaseUrl: (db) => withDatabase(adminDatabaseUrl, db), started, died: diedPromise, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

const hidePassword = (url: string) => url.replace(/:[^:@/]*@/, ':***@');

/** The services' databases on the local server. */
export const DEV_DATABASES = { producer: 'herald_producer', consumer: 'herald_consumer' };

/** Kafka and PostgreSQL as `npm start` and `npm run infra` run them, from the local runner's config. */
export const startDevInfra = (config: DevConfig, log: (line: string) => void) =>
  startInfra({
    kafkaBrokers: config.KAFKA_BROKERS,
    kafkaPort: config.KAFKA_PORT,
    kafkaControllerPort: config.KAFKA_CONTROLLER_PORT,
    kafkaHeapMb: config.KAFKA_HEAP_MB,
    databaseUrl: config.DATABASE_URL,
    postgresPort: config.EMBEDDED_POSTGRES_PORT,
    dataDir: config.HERALD_DATA_DIR,
    databases: Object.values(DEV_DATABASES),
    log,
  });
