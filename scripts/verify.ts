// `npm run verify`: compares the consumer's read models with what the producer's tables say they
// must be and prints every difference, then `N differences`; exits 1 when N > 0
// (docs/operations.md, "Verify the read models"). By default it reads the local system (npm start);
// PRODUCER_DATABASE_URL, CONSUMER_DATABASE_URL, KAFKA_BROKERS and the consumer's own variables
// (KAFKA_TOPIC_PREFIX, CONSUMER_GROUP_PREFIX, FEED_BACKFILL_POSTS) name another. It first waits
// up to `--wait` seconds (30) for the outbox to be published and every projection group to catch
// up, and says so when they have not: what is still in flight shows as differences.
import { parseArgs } from 'node:util';
import { ConfigError, createLogger, readEnv } from '@herald/core';
import { findDifferences, projectionLag } from '@herald/convergence';
import { loadConfig } from '@herald/consumer/tools';
import { createKafka } from '@herald/kafka';
import { DEV_DATABASES, loadDevConfig, localDatabaseUrl, localKafkaBrokers } from '@herald/local-infra';
import { Client } from 'pg';

const sleep = (ms: number) => new Promise((resolveWait) => setTimeout(resolveWait, ms));

/** A database this tool cannot use, and what to do about it. */
class UnreachableDatabase extends Error {}

/** Connects once to each database first, so that one that is down or missing is named, with what to do. */
async function reach(name: string, url: string, variable: string): Promise<void> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  try {
    await client.connect();
    await client.query('SELECT 1 FROM users LIMIT 1');
  } catch (error) {
    const code = (error as { code?: string }).code;
    const why = code === '42P01' ? 'it has no users table: is it the right database, migrated?' : (error as Error).message;
    throw new UnreachableDatabase(`The ${name}'s database cannot be read (${why}). Start the system (npm start), or set ${variable} to the ${name}'s database.`);
  } finally {
    await client.end().catch(() => {});
  }
}

/** Waits until nothing is in flight or `waitMs` have passed; returns what is still behind (empty: caught up). */
async function waitForProjections(config: ReturnType<typeof loadConfig>, producerDatabaseUrl: string, waitMs: number): Promise<string[]> {
  const kafka = createKafka({ config: config.kafka, logger: createLogger({ name: 'verify', level: 'silent' }) });
  const admin = kafka.admin();
  const source = new Client({ connectionString: producerDatabaseUrl, connectionTimeoutMillis: 5_000 });
  await source.connect();
  try {
    await admin.connect();
    const groups = [...Object.values(config.projector.groups), { groupId: config.projector.retryGroupId, topic: config.topics.retry }];
    const deadline = Date.now() + waitMs;
    for (;;) {
      const { unsent, behind } = await projectionLag({ admin, source, groups });
      const pending = [...(unsent > 0 ? [`${unsent} outbox rows not yet published (is the producer running?)`] : []), ...behind.map((group) => `records not yet committed by ${group} (is the consumer running?)`)];
      if (pending.length === 0 || Date.now() >= deadline) return pending;
      await sleep(500);
    }
  } finally {
    await admin.disconnect().catch(() => {});
    await source.end().catch(() => {});
  }
}

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { wait: { type: 'string', default: '30' } } });
  const waitSeconds = Number(values.wait);
  if (!Number.isFinite(waitSeconds) || waitSeconds < 0) {
    console.error('usage: npm run verify [-- --wait <seconds>]');
    return 2;
  }
  const env = readEnv();
  const dev = loadDevConfig();
  const producerDatabaseUrl = env.PRODUCER_DATABASE_URL ?? localDatabaseUrl(dev.EMBEDDED_POSTGRES_PORT, DEV_DATABASES.producer);
  const config = loadConfig({
    ...env,
    DATABASE_URL: env.CONSUMER_DATABASE_URL ?? localDatabaseUrl(dev.EMBEDDED_POSTGRES_PORT, DEV_DATABASES.consumer),
    KAFKA_BROKERS: env.KAFKA_BROKERS ?? localKafkaBrokers(dev),
  });

  await reach('producer', producerDatabaseUrl, 'PRODUCER_DATABASE_URL');
  await reach('consumer', config.database.url, 'CONSUMER_DATABASE_URL');
  let pending: string[];
  try {
    pending = await waitForProjections(config, producerDatabaseUrl, waitSeconds * 1000);
  } catch (error) {
    pending = [`Kafka could not be asked (${error instanceof Error ? error.message : String(error)}); whether everything is projected is unknown`];
  }
  for (const line of pending) console.log(`warning: ${line}`);
  if (pending.length > 0) console.log(`warning: not caught up after ${waitSeconds} s; differences below may be events still in flight (run again, or with --wait)`);

  const differences = await findDifferences({ producerDatabaseUrl, consumerDatabaseUrl: config.database.url, backfillPosts: config.feed.backfillPosts });
  for (const difference of differences) console.log(difference);
  console.log(`${differences.length} differences`);
  return differences.length > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof ConfigError || error instanceof UnreachableDatabase) console.error(error.message);
    else console.error(error);
    process.exit(1);
  },
);
