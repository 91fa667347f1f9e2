import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import {
  answersOk,
  ensureDatabase,
  ensureDevJwtKey,
  freePort,
  startEmbeddedPostgres,
  startKafkaCluster,
  startService,
  waitForHttp,
  type KafkaCluster,
  type PostgresServer,
  type ServiceProcess,
} from '@herald/local-infra';

export const GROUP_PREFIX = 'herald-chaos';
const DATABASES = { producer: 'herald_producer', consumer: 'herald_consumer' };

export interface ChaosSystem {
  cluster: KafkaCluster;
  brokers: string[];
  producerUrl: string;
  producerDatabaseUrl: string;
  consumerDatabaseUrl: string;
  /** Processes that ended without being asked to (a crash the suite did not cause), by name. */
  unexpectedExits: string[];
  /** `kill -9` of the producer; resolves once it is gone. */
  killProducer(): Promise<void>;
  /** Starts the producer again; resolves once it answers /health. */
  startProducer(): Promise<void>;
  /** `kill -9` of consumer task 0 or 1 (the other keeps running). */
  killConsumer(index: number): Promise<void>;
  startConsumer(index: number): Promise<void>;
  /** A clean stop of PostgreSQL and a start on the same data and port after `downMs`. */
  restartPostgres(downMs: number): Promise<void>;
  stop(): Promise<void>;
}

export interface ChaosSystemOptions {
  /** This run's own folder: Kafka's and PostgreSQL's data, the services' logs. */
  dataDir: string;
  /** Built services (`npm run chaos`, as the images run them) or their sources through tsx (tests). */
  from: 'build' | 'source';
  log: (line: string) => void;
}

/**
 * Herald as two ECS tasks of the consumer and one of the producer would run it, on a Kafka and a
 * PostgreSQL of the run's own (so the suite may kill and restart them): a three-node KRaft cluster
 * with replication factor 3, an embedded PostgreSQL, the producer and two consumer processes with
 * the same group ids. Every port is free when asked for.
 */
export async function startChaosSystem({ dataDir, from, log }: ChaosSystemOptions): Promise<ChaosSystem> {
  const ports = [];
  for (let i = 0; i < 3; i += 1) ports.push({ port: await freePort(), controllerPort: await freePort() });
  const postgresPort = await freePort();
  const producerPort = await freePort();
  const consumerPorts = [await freePort(), await freePort()];
  const stops: Array<() => Promise<void>> = [];
  const stopAll = async () => {
    for (const stopOne of stops.reverse()) await stopOne().catch((error: unknown) => log(`stop failed: ${String(error)}`));
  };

  try {
    log(`Starting a three-node Kafka cluster (ports ${ports.map(({ port }) => port).join(', ')}) and PostgreSQL (port ${postgresPort})...`);
    const [cluster, firstPostgres] = await Promise.all([
      startKafkaCluster({ ports, dataDir: join(dataDir, 'kafka'), heapMb: 320 }),
      startEmbeddedPostgres({ dataDir: join(dataDir, 'postgres'), port: postgresPort }),
    ]);
    stops.push(() => cluster.stop());
    let postgres: PostgresServer = firstPostgres;
    stops.push(() => postgres.stop());
    for (const database of Object.values(DATABASES)) await ensureDatabase(postgres.url(), database);

    let stopping = false;
    const unexpectedExits: string[] = [];
    const operatorToken = randomBytes(24).toString('base64url');
    const userKeysToken = randomBytes(24).toString('base64url');
    const kafkaEnv = { KAFKA_BROKERS: cluster.brokers, KAFKA_REPLICATION_FACTOR: '3', HOST: '127.0.0.1', LOG_LEVEL: 'info', OPERATOR_TOKEN: operatorToken, USER_KEYS_TOKEN: userKeysToken };
    const producerUrl = `http://127.0.0.1:${producerPort}`;
    const producerEnv = {
      ...kafkaEnv,
      PORT: String(producerPort),
      DATABASE_URL: postgres.url(DATABASES.producer),
      // One key for every start, so the clients' access tokens outlive a producer restart.
      JWT_PRIVATE_KEY: ensureDevJwtKey(join(dataDir, 'jwt-private-key.pem')),
      // The run outlasts the default 15 minutes; a client would refresh, this one need not.
      ACCESS_TOKEN_TTL_SECONDS: '7200',
      // The suite is a few busy clients on one address: the abuse limits are another test's subject.
      ...Object.fromEntries(
        ['SIGNUP_LIMIT_PER_IP', 'SIGNUP_LIMIT_PER_ACCOUNT', 'LOGIN_LIMIT_PER_IP', 'LOGIN_LIMIT_PER_ACCOUNT', 'REFRESH_LIMIT_PER_IP', 'POST_LIMIT_PER_USER', 'FOLLOW_LIMIT_PER_USER'].map((name) => [name, '100000000']),
      ),
    };
    const consumerEnv = (index: number) => ({
      ...kafkaEnv,
      PORT: String(consumerPorts[index]),
      DATABASE_URL: postgres.url(DATABASES.consumer),
      PRODUCER_URL: producerUrl,
      CONSUMER_GROUP_PREFIX: GROUP_PREFIX,
      // A killed task's partitions move to the other after 6 s (the broker's minimum), not 30 s.
      CONSUMER_SESSION_TIMEOUT_MS: '6000',
    });

    // Processes the suite killed itself: their exit is the scenario, not a finding.
    const killed = new Set<ServiceProcess>();
    const launch = async (name: 'producer' | 'consumer', env: Record<string, string>, url: string, logName: string) => {
      const service = startService({ name, env, from, logFile: join(dataDir, `${logName}.log`) });
      void service.exited.then((code) => {
        if (!stopping && !killed.has(service)) unexpectedExits.push(`${logName} (exit ${code}; log ${join(dataDir, `${logName}.log`)})`);
      });
      await waitForHttp(`${url}/health`, service, 120_000);
      return service;
    };
    const kill = async (service: ServiceProcess) => {
      killed.add(service);
      await service.stop(5_000, 'SIGKILL');
    };

    log('Starting the producer and two consumer tasks...');
    let producer = await launch('producer', producerEnv, producerUrl, 'producer');
    stops.push(() => producer.stop());
    const consumerUrl = (index: number) => `http://127.0.0.1:${consumerPorts[index]}`;
    const consumers: ServiceProcess[] = [];
    for (const index of [0, 1]) consumers.push(await launch('consumer', consumerEnv(index), consumerUrl(index), `consumer-${index + 1}`));
    stops.push(async () => {
      for (const consumer of consumers) await consumer.stop();
    });
    for (const index of [0, 1]) {
      if (!(await answersOk(`${consumerUrl(index)}/ready`, { timeoutMs: 120_000 }))) throw new Error(`consumer task ${index + 1} did not become ready (its groups joined) within 120 s`);
    }

    return {
      cluster,
      brokers: cluster.brokers.split(','),
      producerUrl,
      producerDatabaseUrl: postgres.url(DATABASES.producer),
      consumerDatabaseUrl: postgres.url(DATABASES.consumer),
      unexpectedExits,
      killProducer: () => kill(producer),
      async startProducer() {
        producer = await launch('producer', producerEnv, producerUrl, 'producer');
      },
      killConsumer: (index) => kill(consumers[index]!),
      async startConsumer(index) {
        consumers[index] = await launch('consumer', consumerEnv(index), consumerUrl(index), `consumer-${index + 1}`);
      },
      async restartPostgres(downMs) {
        await postgres.stop();
        await new Promise((resolveWait) => setTimeout(resolveWait, downMs));
        postgres = await startEmbeddedPostgres({ dataDir: join(dataDir, 'postgres'), port: postgresPort });
      },
      async stop() {
        stopping = true;
        await stopAll();
      },
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
