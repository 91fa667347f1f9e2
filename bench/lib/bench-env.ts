import { DEV_DATABASES, loadDevConfig, localDatabaseUrl, withDatabase } from '@herald/local-infra';

/**
 * Where the benches find the running system. Defaults match a plain `npm start`; every address
 * can be overridden so a bench can target a system started on other ports (or a test's own).
 */
export interface BenchTarget {
  producerUrl: string;
  consumerUrl: string;
  kafkaBrokers: string[];
  /** The producer's database (the outbox bench preloads it; the pg baseline makes a scratch database beside it). */
  databaseUrl: string;
  /** The consumer's database (the feed bench counts fanned-out rows in it). */
  consumerDatabaseUrl: string;
  /** KAFKA_TOPIC_PREFIX of the services, if they run with one. */
  topicPrefix: string;
  /** The services' OPERATOR_TOKEN (npm start prints it): /metrics and every login on tokenIssued need it. */
  operatorToken: string | undefined;
}

export function benchTarget(env: NodeJS.ProcessEnv = process.env): BenchTarget {
  const databaseUrl = env.DATABASE_URL ?? localDatabaseUrl(loadDevConfig().EMBEDDED_POSTGRES_PORT, DEV_DATABASES.producer);
  return {
    producerUrl: env.PRODUCER_URL ?? 'http://127.0.0.1:9001',
    consumerUrl: env.CONSUMER_URL ?? 'http://127.0.0.1:9000',
    kafkaBrokers: (env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',').map((broker) => broker.trim()),
    databaseUrl,
    // npm start keeps both services' databases on one server.
    consumerDatabaseUrl: env.CONSUMER_DATABASE_URL ?? withDatabase(databaseUrl, DEV_DATABASES.consumer),
    topicPrefix: env.KAFKA_TOPIC_PREFIX ?? '',
    operatorToken: env.OPERATOR_TOKEN,
  };
}
