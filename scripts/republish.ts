// `npm run republish -- users`: a new-user-created event for every user, from the producer's
// database through its outbox, to rebuild read models after Kafka's retention dropped the early
// events (docs/operations.md, "Rebuild the read models"). The producer's relay publishes them, so
// a producer must be running. DATABASE_URL names the producer's database (the local one by default).
import { ConfigError, createLogger, readEnv } from '@herald/core';
import { createSequelize, isDatabaseUnavailable } from '@herald/db';
import { createOutboxWriter, createUserKeys, createUserRepublisher, loadConfig } from '@herald/producer/tools';
import { DEV_DATABASES, loadDevConfig, localDatabaseUrl } from '@herald/local-infra';

async function main(): Promise<number> {
  const [what] = process.argv.slice(2);
  if (what !== 'users') {
    console.error('usage: npm run republish -- users');
    return 2;
  }
  const env = readEnv();
  const local = localDatabaseUrl(loadDevConfig().EMBEDDED_POSTGRES_PORT, DEV_DATABASES.producer);
  const config = loadConfig({ ...env, DATABASE_URL: env.DATABASE_URL ?? (env.DB_SECRET ? undefined : local) });
  const logger = createLogger({ name: 'republish', level: 'warn' });
  const sequelize = createSequelize({ config: config.database, logger });
  try {
    const republishUsers = createUserRepublisher({ sequelize, userKeys: createUserKeys({ sequelize }), outbox: createOutboxWriter({ sequelize }), topics: config.topics });
    const total = await republishUsers({ onBatch: (count) => console.log(`${count} users written to the outbox`) });
    console.log(`${total} users in the outbox (new-user-created, or user-updated for a changed profile); the producer's relay publishes them to ${config.topics.newUserCreated} and ${config.topics.userUpdated}.`);
    return 0;
  } finally {
    await sequelize.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof ConfigError) console.error(error.message);
    else if (isDatabaseUnavailable(error)) console.error(`The producer's database cannot be reached (${(error as Error).message}): start it (npm start or npm run infra) or set DATABASE_URL.`);
    else console.error(error);
    process.exit(1);
  },
);
