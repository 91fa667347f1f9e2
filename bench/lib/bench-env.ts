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
  const databaseUrl = env.DATABASE_URL ?? 'postgres://postgres:herald-local@127.0.0.1:54320/herald_producer';
  // npm start keeps both databases on one server: herald_producer and herald_consumer.
  const consumerDatabaseUrl = new URL(databaseUrl);
  consumerDatabaseUrl.pathname = '/herald_consumer';
  return {
    producerUrl: env.PRODUCER_URL ?? 'http://127.0.0.1:9001',
    consumerUrl: env.CONSUMER_URL ?? 'http://127.0.0.1:9000',
    kafkaBrokers: (env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',').map((broker) => broker.trim()),
    databaseUrl,
    consumerDatabaseUrl: env.CONSUMER_DATABASE_URL ?? consumerDatabaseUrl.toString(),
    topicPrefix: env.KAFKA_TOPIC_PREFIX ?? '',
    operatorToken: env.OPERATOR_TOKEN,
  };
}
