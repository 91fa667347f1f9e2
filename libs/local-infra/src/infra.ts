import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { clusterPorts, startKafkaCluster, type KafkaCluster } from './kafka/kafka-cluster';
import { ensureDatabase, withDatabase } from './postgres/databases';
import { startEmbeddedPostgres } from './postgres/embedded-postgres';
import type { DevConfig } from './dev/dev-config';

export interface InfraOptions {
  /** A broker to use instead of starting one (comma-separated list). */
  kafkaBrokers?: string;
  kafkaPort: number;
  kafkaControllerPort: number;
  /** Nodes of the local Kafka: 1 (a single broker) or 3 (a cluster); ports count up from the two above. */
  kafkaNodes?: number;
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
  /** The Kafka started here, which the failure simulation may stop and start; absent for a given broker. */
  cluster?: KafkaCluster;
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
    let cluster: KafkaCluster | undefined;
    if (kafkaBrokers) started.push(`Kafka       ${kafkaBrokers}  (from KAFKA_BROKERS)`);
    else {
      const nodes = options.kafkaNodes ?? 1;
      const kafkaDir = join(options.dataDir, nodes === 1 ? 'kafka' : `kafka-${nodes}-nodes`);
      log(`Starting Kafka (KRaft, ${nodes === 1 ? 'single node' : `${nodes} nodes`}) on 127.0.0.1:${options.kafkaPort}...`);
      cluster = await startKafkaCluster({ ports: clusterPorts(nodes, options.kafkaPort, options.kafkaControllerPort), dataDir: kafkaDir, heapMb: options.kafkaHeapMb });
      const kafka = cluster;
      stops.push(() => kafka.stop());
      kafkaBrokers = cluster.brokers;
      const describe = ({ nodeId, pid, logFile }: ReturnType<KafkaCluster['nodes']>[number]) => `${nodes === 1 ? '' : `node ${nodeId}, `}pid ${pid}, log ${logFile}`;
      // One broker down is the end of a single-node Kafka; a cluster carries on without it.
      if (nodes === 1) kafka.onUnexpectedExit((node) => !stopping && died(`Kafka (${describe(node)})`));
      else kafka.onUnexpectedExit((node) => log(`Kafka node ${node.nodeId} exited on its own (log ${node.logFile}); the cluster carries on without it.`));
      for (const node of cluster.nodes()) started.push(`Kafka       ${node.address}  (${describe(node)})`);
    }
    return {
      kafkaBrokers,
      cluster,
      adminDatabaseUrl,
      databaseUrl: (db) => withDatabase(adminDatabaseUrl, db),
      started,
      died: diedPromise,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

const hidePassword = (url: string) => url.replace(/:[^:@/]*@/, ':***@');

/** The services' databases on the local server. */
export const DEV_DATABASES = { producer: 'herald_producer', consumer: 'herald_consumer' };

/** Where a running `npm start` or `npm run infra` notes its Kafka nodes, for `npm run kafka`. */
const brokersFile = (config: DevConfig) => join(config.HERALD_DATA_DIR, 'kafka-brokers');

/**
 * The local Kafka's addresses for tools: KAFKA_BROKERS, else the nodes a running `npm start`
 * started (so any node that is up answers), else the first node's port.
 */
export function localKafkaBrokers(config: DevConfig): string {
  if (config.KAFKA_BROKERS) return config.KAFKA_BROKERS;
  try {
    return readFileSync(brokersFile(config), 'utf8').trim();
  } catch {
    return clusterPorts(config.KAFKA_NODES, config.KAFKA_PORT, config.KAFKA_CONTROLLER_PORT).map(({ port }) => `127.0.0.1:${port}`).join(',');
  }
}

/** Kafka and PostgreSQL as `npm start` and `npm run infra` run them, from the local runner's config. */
export async function startDevInfra(config: DevConfig, log: (line: string) => void, { kafkaNodes = config.KAFKA_NODES }: { kafkaNodes?: number } = {}): Promise<Infra> {
  const infra = await startInfra({
    kafkaNodes,
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
  if (!infra.cluster) return infra;
  writeFileSync(brokersFile(config), `${infra.kafkaBrokers}\n`);
  return { ...infra, stop: () => infra.stop().finally(() => rmSync(brokersFile(config), { force: true })) };
}
