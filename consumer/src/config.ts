import { envVar, parseEnv, readEnv, serviceEnvShape, type Env } from '@herald/core';
import { checkDatabaseEnv, databaseEnvShape, toDatabaseConfig } from '@herald/db';
import { topicNames } from '@herald/events';
import { checkKafkaEnv, kafkaEnvShape, toKafkaConfig } from '@herald/kafka';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { z } from 'zod';

const commitMode = z.enum(['auto', 'manual']);

const consumerEnvSchema = z
  .object({
    ...serviceEnvShape(9000),
    ...kafkaEnvShape,
    ...databaseEnvShape,
    /** Where the producer is: this URL, else producer.<endpoint>:9001, else 127.0.0.1:9001. */
    PRODUCER_URL: z.url().optional(),
    /** Injected by AWS Copilot on ECS: `{env}.{app}.local`. */
    COPILOT_SERVICE_DISCOVERY_ENDPOINT: z.string().min(1).optional(),
    PRODUCER_PORT: envVar.port(9001),
    PRODUCER_TIMEOUT_MS: envVar.int(5000, 100),
    /** How long the producer's public keys are cached before they are fetched again. */
    JWKS_CACHE_MS: envVar.int(5 * 60_000, 1000),
    JWT_ISSUER: z.string().min(1).default('herald-producer'),
    JWT_AUDIENCE: z.string().min(1).default('herald'),
    CONSUMER_GROUP_PREFIX: z.string().min(1).default('herald-consumer'),
    USERS_COMMIT_MODE: commitMode.default('auto'),
    TOKENS_COMMIT_MODE: commitMode.default('manual'),
    /** How long the group waits for a silent member (a crashed task) before giving its partitions to others. */
    CONSUMER_SESSION_TIMEOUT_MS: envVar.int(30_000, 6000),
    /** After kafkajs gives up on a consumer, the service starts a fresh one after this delay, doubling per crash. */
    CONSUMER_RESTART_BASE_DELAY_MS: envVar.int(1000, 10),
    CONSUMER_RESTART_MAX_DELAY_MS: envVar.int(30_000, 10),
    /** Restarts in a row (each lasting under a minute) after which /health fails, so the task is replaced. */
    CONSUMER_MAX_RESTARTS: envVar.int(5, 0),
    RETRY_MAX_ATTEMPTS: envVar.int(5, 1),
    RETRY_BASE_DELAY_MS: envVar.int(500, 1),
    RETRY_MAX_DELAY_MS: envVar.int(60_000, 1),
    GRAPHQL_MAX_DEPTH: envVar.int(8, 1),
    GRAPHQL_MAX_COST: envVar.int(5000, 1),
    /**
     * Test-only fault injection: the process kills itself (SIGKILL) after the first database
     * commit of this group's consumer (`users` or `tokens`), before it commits the offset.
     */
    FAULT_CRASH_AFTER_DB_COMMIT: z.enum(['users', 'tokens']).optional(),
  })
  .superRefine((env, ctx) => {
    checkKafkaEnv(env, ctx);
    checkDatabaseEnv(env, ctx, 'consumer');
    if (env.FAULT_CRASH_AFTER_DB_COMMIT && env.NODE_ENV === 'production') {
      ctx.addIssue({ code: 'custom', path: ['FAULT_CRASH_AFTER_DB_COMMIT'], message: 'is for tests and refused in production' });
    }
  });

type ConsumerEnv = z.output<typeof consumerEnvSchema>;

/** Service discovery, in the contract's order. */
export function producerUrlFrom(env: Pick<ConsumerEnv, 'PRODUCER_URL' | 'COPILOT_SERVICE_DISCOVERY_ENDPOINT' | 'PRODUCER_PORT'>): string {
  if (env.PRODUCER_URL) return env.PRODUCER_URL.replace(/\/+$/, '');
  if (env.COPILOT_SERVICE_DISCOVERY_ENDPOINT) return `http://producer.${env.COPILOT_SERVICE_DISCOVERY_ENDPOINT}:${env.PRODUCER_PORT}`;
  return `http://127.0.0.1:${env.PRODUCER_PORT}`;
}

function toConsumerConfig(env: ConsumerEnv) {
  const kafka = toKafkaConfig(env, 'herald-consumer');
  return {
    env: env.NODE_ENV,
    host: env.HOST,
    port: env.PORT,
    logLevel: env.LOG_LEVEL,
    database: toDatabaseConfig(env),
    kafka,
    topics: topicNames(kafka.topicPrefix),
    groups: {
      users: { groupId: `${env.CONSUMER_GROUP_PREFIX}.users`, commitMode: env.USERS_COMMIT_MODE },
      tokens: { groupId: `${env.CONSUMER_GROUP_PREFIX}.tokens`, commitMode: env.TOKENS_COMMIT_MODE },
      retry: { groupId: `${env.CONSUMER_GROUP_PREFIX}.retry`, commitMode: 'manual' as const },
      // One per process (never committed): every task hears every event for its subscribers.
      live: { groupId: `${env.CONSUMER_GROUP_PREFIX}.live.${hostname()}.${process.pid}.${randomBytes(3).toString('hex')}` },
    },
    sessionTimeoutMs: env.CONSUMER_SESSION_TIMEOUT_MS,
    supervision: { restartBaseDelayMs: env.CONSUMER_RESTART_BASE_DELAY_MS, restartMaxDelayMs: env.CONSUMER_RESTART_MAX_DELAY_MS, maxRestarts: env.CONSUMER_MAX_RESTARTS },
    retry: { maxAttempts: env.RETRY_MAX_ATTEMPTS, baseDelayMs: env.RETRY_BASE_DELAY_MS, maxDelayMs: env.RETRY_MAX_DELAY_MS },
    producer: { url: producerUrlFrom(env), timeoutMs: env.PRODUCER_TIMEOUT_MS },
    jwt: { cacheMs: env.JWKS_CACHE_MS, issuer: env.JWT_ISSUER, audience: env.JWT_AUDIENCE },
    graphql: { maxDepth: env.GRAPHQL_MAX_DEPTH, maxCost: env.GRAPHQL_MAX_COST },
    shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS,
    crashAfterDatabaseCommit: env.FAULT_CRASH_AFTER_DB_COMMIT,
  };
}

export type ConsumerConfig = ReturnType<typeof toConsumerConfig>;

/** The consumer's whole configuration, parsed once at start-up; throws a ConfigError naming each bad variable. */
export function loadConfig(env: Env = readEnv()): ConsumerConfig {
  return toConsumerConfig(parseEnv(consumerEnvSchema, env));
}
