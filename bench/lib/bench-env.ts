import { DEV_DATABASES, loadDevConfig, localDatabaseUrl, localOperatorToken, withDatabase, type DevConfig } from '@herald/local-infra';

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
  /** The services' OPERATOR_TOKEN: /metrics and every user's tokenIssued (on /ops/graphql) need it. */
  operatorToken: string | undefined;
  /**
   * The services' USER_KEYS_TOKEN, for a service the scale bench adds beside them: USER_KEYS_TOKEN
   * (from the shell or .env, as `npm start` reads it). `npm start` makes a random one per run and
   * keeps it to itself, so without it an added consumer cannot fetch users' keys from its producer.
   */
  userKeysToken: string | undefined;
}

/**
 * The target from the environment. The operator token is OPERATOR_TOKEN, else the one a running
 * `npm start` noted in its data dir (it makes a random one per run and prints it).
 */
export function benchTarget(env: NodeJS.ProcessEnv = process.env, devConfig: DevConfig = loadDevConfig()): BenchTarget {
  const databaseUrl = env.DATABASE_URL ?? localDatabaseUrl(devConfig.EMBEDDED_POSTGRES_PORT, DEV_DATABASES.producer);
  return {
    producerUrl: env.PRODUCER_URL ?? 'http://127.0.0.1:9001',
    consumerUrl: env.CONSUMER_URL ?? 'http://127.0.0.1:9000',
    kafkaBrokers: (env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',').map((broker) => broker.trim()),
    databaseUrl,
    // npm start keeps both services' databases on one server.
    consumerDatabaseUrl: env.CONSUMER_DATABASE_URL ?? withDatabase(databaseUrl, DEV_DATABASES.consumer),
    topicPrefix: env.KAFKA_TOPIC_PREFIX ?? '',
    operatorToken: env.OPERATOR_TOKEN || localOperatorToken(devConfig),
    userKeysToken: env.USER_KEYS_TOKEN || devConfig.USER_KEYS_TOKEN,
  };
}

/** A bench cannot run as asked; its message says what to do, and no stack trace is needed. */
export class BenchSetupError extends Error {
  override name = 'BenchSetupError';
}

/**
 * The operator token, or a stop at once: without it every login and refresh would count as
 * undelivered and every RSS as unknown, which reads like a result rather than a missing setting.
 */
export function requireOperatorToken(target: BenchTarget, bench: string, forWhat: string): string {
  if (target.operatorToken) return target.operatorToken;
  throw new BenchSetupError(
    `${bench} needs the services' operator token (${forWhat}), and found none: OPERATOR_TOKEN is not set and no \`npm start\` of this checkout is running ` +
      '(it notes its token in the operator-token file of its data dir, HERALD_DATA_DIR). Run the bench while `npm start` runs, ' +
      'or set OPERATOR_TOKEN to the token the services were started with (`npm start` prints it).',
  );
}
