// `npm run republish -- all | users | follows | posts | sessions`: the events that rebuild the
// read models, from the producer's database through its outbox, once Kafka's retention has dropped
// the early events or a read model is lost (docs/operations.md, "Rebuild the read models"). The
// producer's relay publishes them, so a producer must be running. DATABASE_URL names the
// producer's database (the local one by default).
import { ConfigError, createLogger, readEnv } from '@herald/core';
import { createSequelize, isDatabaseUnavailable } from '@herald/db';
import {
  createEndedSessionRepublisher,
  createFollowRepublisher,
  createOutboxWriter,
  createPostRepublisher,
  createTokenRepublisher,
  createUserRepublisher,
  loadConfig,
  type RepublishOptions,
} from '@herald/producer/tools';
import { DEV_DATABASES, loadDevConfig, localDatabaseUrl } from '@herald/local-infra';
import type { Sequelize } from 'sequelize';

// `all` runs them in this order: users first, so a consumer reading the topics as they fill meets
// a user before what refers to them (projections accept any order; this only makes it the usual one).
const KINDS = ['users', 'follows', 'posts', 'sessions'] as const;
type Kind = (typeof KINDS)[number];
const USAGE = `usage: npm run republish -- all | ${KINDS.join(' | ')}`;

const progress = (noun: string): RepublishOptions => ({ onBatch: (count) => console.log(`${count} ${noun} written to the outbox`) });

/** Each kind: its republishers run with progress lines, then one summary line. */
function kinds(sequelize: Sequelize, config: ReturnType<typeof loadConfig>): Record<Kind, () => Promise<string>> {
  const { topics } = config;
  const deps = { sequelize, outbox: createOutboxWriter({ sequelize }), topics };
  return {
    users: async () => {
      const total = await createUserRepublisher(deps)(progress('users'));
      return `${total} users in the outbox (new-user-created, or user-updated for a changed profile) for ${topics.newUserCreated} and ${topics.userUpdated}.`;
    },
    follows: async () => {
      const total = await createFollowRepublisher(deps)(progress('follows'));
      return `${total} follows in the outbox at their revision (user-followed, or user-unfollowed for a pair no longer followed) for ${topics.userFollowed} and ${topics.userUnfollowed}.`;
    },
    posts: async () => {
      const total = await createPostRepublisher(deps)(progress('posts'));
      return `${total} posts in the outbox (post-created) for ${topics.postCreated}.`;
    },
    sessions: async () => {
      const tokens = await createTokenRepublisher(deps)(progress('access tokens'));
      const ended = await createEndedSessionRepublisher({ ...deps, accessTokenTtlSeconds: config.jwt.accessTokenTtlSeconds })(progress('ended sessions'));
      return `${tokens} unexpired access tokens (issued-token) and ${ended} sessions ended within an access token's lifetime (session-ended) in the outbox for ${topics.issuedToken} and ${topics.sessionEnded}.`;
    },
  };
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const [what] = args;
  const chosen = what === 'all' ? [...KINDS] : KINDS.filter((kind) => kind === what);
  if (args.length !== 1 || chosen.length === 0) {
    console.error(USAGE);
    return 2;
  }
  const env = readEnv();
  const local = localDatabaseUrl(loadDevConfig().EMBEDDED_POSTGRES_PORT, DEV_DATABASES.producer);
  const config = loadConfig({ ...env, DATABASE_URL: env.DATABASE_URL ?? (env.DB_SECRET ? undefined : local) });
  const logger = createLogger({ name: 'republish', level: 'warn' });
  const sequelize = createSequelize({ config: config.database, logger });
  try {
    const run = kinds(sequelize, config);
    for (const [index, kind] of chosen.entries()) {
      try {
        console.log(await run[kind]());
      } catch (error) {
        const again = chosen.slice(index).map((rest) => `npm run republish -- ${rest}`).join(', then ');
        // Whole batches were written; writing them again is harmless, as consumers ignore what they hold.
        console.error(`Republishing ${kind} stopped. Once the cause below is mended, run ${again}.`);
        throw error;
      }
    }
    console.log("The producer's relay publishes them; keep a producer running until herald_outbox_pending (its /metrics) is back to 0.");
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
