import { envVar, parseEnv, readEnv, serviceEnvShape, type Env } from '@herald/core';
import { checkDatabaseEnv, databaseEnvShape, toDatabaseConfig } from '@herald/db';
import { topicNames } from '@herald/events';
import { checkKafkaEnv, kafkaEnvShape, toKafkaConfig } from '@herald/kafka';
import { toTracingConfig, tracingEnvShape } from '@herald/telemetry';
import { randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import { hostname } from 'node:os';
import { z } from 'zod';
import { consumerRoles } from './roles';

const commitMode = z.enum(['auto', 'manual']);

/** A switch whose default depends on NODE_ENV (decided in toConsumerConfig). */
const optionalSwitch = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { error: 'must be true or false' })
  .optional()
  .transform((value) => (value === undefined ? undefined : value === 'true' || value === '1' || value === 'yes'));

/** express' `trust proxy`: true/false, a hop count, or a comma-separated list of names and addresses (CIDR). */
const trustProxy = z
  .string()
  .default('loopback, linklocal, uniquelocal')
  .transform((value, ctx): boolean | number | string[] => {
    const trimmed = value.trim();
    if (trimmed === 'true' || trimmed === 'false') return trimmed === 'true';
    if (/^\d+$/.test(trimmed)) return Number(trimmed);
    const items = trimmed.split(',').map((item) => item.trim()).filter(Boolean);
    const bad = items.filter((item) => !['loopback', 'linklocal', 'uniquelocal'].includes(item) && !isIP(item.split('/')[0] ?? ''));
    if (bad.length > 0) ctx.addIssue({ code: 'custom', message: `must be true, false, a hop count, or names (loopback, linklocal, uniquelocal) and IP addresses or CIDR ranges; not ${bad.join(', ')}` });
    return items;
  });

/** Origins allowed to call the API from a browser (CORS); each one scheme://host[:port]. */
const origins = z
  .string()
  .default('')
  .transform((value, ctx) => {
    const items = value.split(',').map((item) => item.trim()).filter(Boolean);
    for (const item of items) {
      if (!URL.canParse(item) || new URL(item).origin !== item) ctx.addIssue({ code: 'custom', message: `must be origins like https://app.example.com (no path, no trailing slash); not ${item}` });
    }
    return items;
  });

const consumerEnvSchema = z
  .object({
    ...serviceEnvShape(9000),
    ...kafkaEnvShape,
    ...databaseEnvShape,
    ...tracingEnvShape,
    /** Which roles this process runs (roles.ts): projector, read-api, ops; all three by default. */
    CONSUMER_ROLES: consumerRoles,
    /** Where the producer is: this URL, else producer.<endpoint>:9001, else 127.0.0.1:9001. */
    PRODUCER_URL: z.url().optional(),
    /** Injected by AWS Copilot on ECS: `{env}.{app}.local`. */
    COPILOT_SERVICE_DISCOVERY_ENDPOINT: z.string().min(1).optional(),
    PRODUCER_PORT: envVar.port(9001),
    PRODUCER_TIMEOUT_MS: envVar.int(5000, 100),
    JWT_ISSUER: z.string().min(1).default('herald-producer'),
    JWT_AUDIENCE: z.string().min(1).default('herald'),
    CONSUMER_GROUP_PREFIX: z.string().min(1).default('herald-consumer'),
    USERS_COMMIT_MODE: commitMode.default('auto'),
    TOKENS_COMMIT_MODE: commitMode.default('manual'),
    /**
     * At most one offset commit per this many milliseconds per projection group (both modes), not
     * one per chunk: at low rates most batches hold one record. 0: commit after every chunk.
     */
    CONSUMER_COMMIT_INTERVAL_MS: envVar.int(100, 0),
    /** How long the group waits for a silent member (a crashed task) before giving its partitions to others. */
    CONSUMER_SESSION_TIMEOUT_MS: envVar.int(30_000, 6000),
    /** How long the broker holds an empty fetch (docs/performance.md): the idle fetch rate, not the latency. */
    CONSUMER_FETCH_MAX_WAIT_MS: envVar.int(500, 10),
    /** Bytes one fetch answer may carry, and per partition: what each of the service's consumers may buffer. */
    CONSUMER_FETCH_MAX_BYTES: envVar.int(2 * 1024 * 1024, 1024),
    CONSUMER_FETCH_MAX_BYTES_PER_PARTITION: envVar.int(512 * 1024, 1024),
    /** After kafkajs gives up on a consumer, the service starts a fresh one after this delay, doubling per crash. */
    CONSUMER_RESTART_BASE_DELAY_MS: envVar.int(1000, 10),
    CONSUMER_RESTART_MAX_DELAY_MS: envVar.int(30_000, 10),
    /** Restarts in a row (each lasting under a minute) after which /health fails, so the task is replaced. */
    CONSUMER_MAX_RESTARTS: envVar.int(5, 0),
    /**
     * Authors with more followers than this are not fanned out on write; their posts are merged
     * into their followers' feeds when read (docs/architecture.md, "Feed").
     */
    FEED_FANOUT_MAX_FOLLOWERS: envVar.int(10_000, 0),
    /** How many of a followee's latest posts a new follow puts into the follower's feed. */
    FEED_BACKFILL_POSTS: envVar.int(50, 0),
    /** Posts fanned out per database transaction (each up to FEED_FANOUT_MAX_FOLLOWERS rows), heartbeating between. */
    FEED_FANOUT_CHUNK_POSTS: envVar.int(20, 1),
    RETRY_MAX_ATTEMPTS: envVar.int(5, 1),
    RETRY_BASE_DELAY_MS: envVar.int(500, 1),
    RETRY_MAX_DELAY_MS: envVar.int(60_000, 1),
    GRAPHQL_MAX_DEPTH: envVar.int(8, 1),
    GRAPHQL_MAX_COST: envVar.int(5000, 1),
    /** The largest GraphQL request body (413 above it); aliases, tokens and directives have fixed limits (GRAPHQL_FIXED_LIMITS). */
    GRAPHQL_BODY_LIMIT_BYTES: envVar.int(64 * 1024, 1024),
    /**
     * Open graphql-ws sockets plus SSE subscription streams per client address, and in all, per
     * task. Default 16 in production; 1000 elsewhere, where every client (a bench's hundreds of
     * subscribers too) is 127.0.0.1.
     */
    GRAPHQL_MAX_STREAMS_PER_CLIENT: z.string().regex(/^\d+$/, 'must be a whole number').transform(Number).pipe(z.number().min(1, 'must be at least 1')).optional(),
    GRAPHQL_MAX_STREAMS: envVar.int(2000, 1),
    /** Subscriptions running at once on one graphql-ws socket. */
    GRAPHQL_MAX_SUBSCRIPTIONS_PER_SOCKET: envVar.int(20, 1),
    /** Introspection and "did you mean" suggestions; GraphiQL. Default: on, except in production. */
    GRAPHQL_INTROSPECTION: optionalSwitch,
    GRAPHIQL: optionalSwitch,
    /** Browser origins allowed by CORS on /graphql (comma-separated); empty: same origin only. /ops/graphql is same origin only. */
    CORS_ORIGINS: origins,
    /** Which peers' X-Forwarded-For is believed (express `trust proxy`): the load balancer's, not a client's. */
    TRUST_PROXY: trustProxy,
    /** The operator credential for the operators' GraphQL endpoint (/ops/graphql) and /metrics. */
    OPERATOR_TOKEN: z.string().min(32, 'must be at least 32 characters').optional(),
    /** The secret the projector and the read API present for users' data keys (personal-data/user-keys-client.ts). */
    USER_KEYS_TOKEN: z.string().min(32, 'must be at least 32 characters').optional(),
    /** Where users' data keys are served: the producer (PRODUCER_URL or service discovery) unless set. */
    USER_KEYS_URL: z.url().optional(),
    /**
     * The local cluster control (failure simulation in the console), handed over by `npm start`
     * only when it started the Kafka cluster itself. Both or neither; never in production.
     */
    LOCAL_CLUSTER_CONTROL_URL: z
      .url()
      .refine((value) => /^https?:$/.test(new URL(value).protocol), 'must be an http:// URL')
      .optional(),
    LOCAL_CLUSTER_CONTROL_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
    /** How often the console samples the cluster, topics and groups (it keeps the last 100 samples: the lag history). */
    CONSOLE_SAMPLE_INTERVAL_MS: envVar.int(3000, 500),
  })
  .superRefine((env, ctx) => {
    checkKafkaEnv(env, ctx);
    checkDatabaseEnv(env, ctx, 'consumer');
    if (env.NODE_ENV === 'production' && !env.OPERATOR_TOKEN) {
      ctx.addIssue({ code: 'custom', path: ['OPERATOR_TOKEN'], message: 'required in production (at least 32 random characters)' });
    }
    // The projector and the read API open users' sealed personal data; ops never does.
    if (env.NODE_ENV === 'production' && !env.USER_KEYS_TOKEN && env.CONSUMER_ROLES.some((role) => role !== 'ops')) {
      ctx.addIssue({ code: 'custom', path: ['USER_KEYS_TOKEN'], message: 'required in production for the projector and read-api roles (the same value as the producer\'s)' });
    }
    if (Boolean(env.LOCAL_CLUSTER_CONTROL_URL) !== Boolean(env.LOCAL_CLUSTER_CONTROL_TOKEN)) {
      const missing = env.LOCAL_CLUSTER_CONTROL_URL ? 'LOCAL_CLUSTER_CONTROL_TOKEN' : 'LOCAL_CLUSTER_CONTROL_URL';
      ctx.addIssue({ code: 'custom', path: [missing], message: 'LOCAL_CLUSTER_CONTROL_URL and LOCAL_CLUSTER_CONTROL_TOKEN go together: set both or neither' });
    }
    if (env.LOCAL_CLUSTER_CONTROL_URL && env.NODE_ENV === 'production') {
      ctx.addIssue({ code: 'custom', path: ['LOCAL_CLUSTER_CONTROL_URL'], message: 'is for a local cluster started by npm start, and refused in production' });
    }
  });

type ConsumerEnv = z.output<typeof consumerEnvSchema>;

/** Service discovery, in the contract's order. */
export function producerUrlFrom(env: Pick<ConsumerEnv, 'PRODUCER_URL' | 'COPILOT_SERVICE_DISCOVERY_ENDPOINT' | 'PRODUCER_PORT'>): string {
  if (env.PRODUCER_URL) return env.PRODUCER_URL.replace(/\/+$/, '');
  if (env.COPILOT_SERVICE_DISCOVERY_ENDPOINT) return `http://producer.${env.COPILOT_SERVICE_DISCOVERY_ENDPOINT}:${env.PRODUCER_PORT}`;
  return `http://127.0.0.1:${env.PRODUCER_PORT}`;
}

/**
 * Limits no legitimate query comes near (Herald's own queries use a few aliases, no directives and
 * a few hundred tokens), so no deployment needs to change them; depth and cost are settings.
 */
const GRAPHQL_FIXED_LIMITS = { maxAliases: 15, maxTokens: 1000, maxDirectives: 10 };

/** What the GraphQL server allows; the schema is only discoverable outside production unless enabled. */
function toGraphQLConfig(env: ConsumerEnv) {
  const development = env.NODE_ENV !== 'production';
  return {
    limits: {
      maxDepth: env.GRAPHQL_MAX_DEPTH,
      maxCost: env.GRAPHQL_MAX_COST,
      ...GRAPHQL_FIXED_LIMITS,
    },
    introspection: env.GRAPHQL_INTROSPECTION ?? development,
    graphiql: env.GRAPHIQL ?? development,
    corsOrigins: env.CORS_ORIGINS,
  };
}

const processUnique = () => `${hostname()}.${process.pid}.${randomBytes(3).toString('hex')}`;

/** The settings every role shares, then each role's own (its wiring file reads only those). */
function toConsumerConfig(env: ConsumerEnv) {
  const kafka = toKafkaConfig(env, 'herald-consumer');
  const topics = topicNames(kafka.topicPrefix);
  const prefix = env.CONSUMER_GROUP_PREFIX;
  return {
    roles: env.CONSUMER_ROLES,
    env: env.NODE_ENV,
    host: env.HOST,
    port: env.PORT,
    logLevel: env.LOG_LEVEL,
    shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS,
    operatorToken: env.OPERATOR_TOKEN,
    /** Undefined when tracing is off (no OTEL_EXPORTER_OTLP_ENDPOINT). */
    tracing: toTracingConfig(env),
    database: toDatabaseConfig(env),
    kafka,
    topics,
    /** The HTTP server every role's endpoints share, and its limits. */
    http: {
      trustProxy: env.TRUST_PROXY,
      graphqlBodyLimitBytes: env.GRAPHQL_BODY_LIMIT_BYTES,
      streams: { perClient: env.GRAPHQL_MAX_STREAMS_PER_CLIENT ?? (env.NODE_ENV === 'production' ? 16 : 1000), total: env.GRAPHQL_MAX_STREAMS },
      maxSubscriptionsPerSocket: env.GRAPHQL_MAX_SUBSCRIPTIONS_PER_SOCKET,
    },
    /** How every role's kafkajs consumers join, fetch and are restarted. */
    consumers: {
      sessionTimeoutMs: env.CONSUMER_SESSION_TIMEOUT_MS,
      fetch: { maxWaitMs: env.CONSUMER_FETCH_MAX_WAIT_MS, maxBytes: env.CONSUMER_FETCH_MAX_BYTES, maxBytesPerPartition: env.CONSUMER_FETCH_MAX_BYTES_PER_PARTITION },
      supervision: { restartBaseDelayMs: env.CONSUMER_RESTART_BASE_DELAY_MS, restartMaxDelayMs: env.CONSUMER_RESTART_MAX_DELAY_MS, maxRestarts: env.CONSUMER_MAX_RESTARTS },
    },
    /** Where the producer's HTTP API is: the API roles' mutations and status, and its public keys. */
    producer: { url: producerUrlFrom(env), timeoutMs: env.PRODUCER_TIMEOUT_MS },
    /**
     * Users' data keys, to open their events' sealed personal data: asked of the producer, kept a
     * while (a deleted user's key is forgotten when the deletion is projected).
     */
    userKeys: { url: env.USER_KEYS_URL?.replace(/\/+$/, '') ?? producerUrlFrom(env), token: env.USER_KEYS_TOKEN, cacheMs: 10 * 60_000, maxCached: 100_000 },
    /** The GraphQL servers' limits, the public one's and the operators' alike. */
    graphql: toGraphQLConfig(env),
    /** The feed's read model: written by the projector, read by the read API. */
    feed: { maxFollowers: env.FEED_FANOUT_MAX_FOLLOWERS, backfillPosts: env.FEED_BACKFILL_POSTS, fanOutChunkPosts: env.FEED_FANOUT_CHUNK_POSTS },
    projector: {
      /** One group per projection: its id, its topic, its commit mode. */
      groups: {
        users: { groupId: `${prefix}.users`, topic: topics.newUserCreated, commitMode: env.USERS_COMMIT_MODE },
        // Manual: a profile change is committed once its row is written (the highest revision wins).
        userUpdates: { groupId: `${prefix}.user-updates`, topic: topics.userUpdated, commitMode: 'manual' as const },
        userDeletions: { groupId: `${prefix}.user-deletions`, topic: topics.userDeleted, commitMode: 'manual' as const },
        tokens: { groupId: `${prefix}.tokens`, topic: topics.issuedToken, commitMode: env.TOKENS_COMMIT_MODE },
        // The feed's groups commit by hand after each chunk's transaction (fan-out, backfill).
        posts: { groupId: `${prefix}.posts`, topic: topics.postCreated, commitMode: 'manual' as const },
        postDeletions: { groupId: `${prefix}.post-deletions`, topic: topics.postDeleted, commitMode: 'manual' as const },
        follows: { groupId: `${prefix}.follows`, topic: topics.userFollowed, commitMode: 'manual' as const },
        unfollows: { groupId: `${prefix}.unfollows`, topic: topics.userUnfollowed, commitMode: 'manual' as const },
        // Manual: a session's end is committed once it is in the table the token verifier reads.
        sessions: { groupId: `${prefix}.sessions`, topic: topics.sessionEnded, commitMode: 'manual' as const },
      },
      retryGroupId: `${prefix}.retry`,
      commitIntervalMs: env.CONSUMER_COMMIT_INTERVAL_MS,
      retry: { maxAttempts: env.RETRY_MAX_ATTEMPTS, baseDelayMs: env.RETRY_BASE_DELAY_MS, maxDelayMs: env.RETRY_MAX_DELAY_MS },
    },
    readApi: {
      // One per process (never committed): every task hears every event for its subscribers.
      liveGroupId: `${prefix}.live.${processUnique()}`,
      /** What every process's live group id starts with (the AsyncAPI contract states it). */
      liveGroupPrefix: `${prefix}.live.`,
      // The producer's public keys are fetched again after 5 minutes, or at once for a token with an unknown key id.
      jwt: { cacheMs: 5 * 60_000, issuer: env.JWT_ISSUER, audience: env.JWT_AUDIENCE },
    },
    ops: {
      // The console's live flow, one group per process, and only while a console watches it.
      flowGroupId: `${prefix}.console.${processUnique()}`,
      /** What every process's flow group id starts with (the AsyncAPI contract states it). */
      flowGroupPrefix: `${prefix}.console.`,
      // producerStatus's answer is shared by the requests of one second.
      producerStatusCacheMs: 1000,
      sampleIntervalMs: env.CONSOLE_SAMPLE_INTERVAL_MS,
      historySamples: 100,
      clusterControl:
        env.LOCAL_CLUSTER_CONTROL_URL && env.LOCAL_CLUSTER_CONTROL_TOKEN ? { url: env.LOCAL_CLUSTER_CONTROL_URL.replace(/\/+$/, ''), token: env.LOCAL_CLUSTER_CONTROL_TOKEN } : undefined,
    },
  };
}

export type ConsumerConfig = ReturnType<typeof toConsumerConfig>;

/** The consumer's whole configuration, parsed once at start-up; throws a ConfigError naming each bad variable. */
export function loadConfig(env: Env = readEnv()): ConsumerConfig {
  return toConsumerConfig(parseEnv(consumerEnvSchema, env));
}
