import { envVar, parseEnv, readEnv, serviceEnvShape, type Env } from '@herald/core';
import { checkDatabaseEnv, databaseEnvShape, toDatabaseConfig } from '@herald/db';
import { topicNames } from '@herald/events';
import { checkKafkaEnv, compressionAvailable, COMPRESSIONS, kafkaEnvShape, toKafkaConfig, type KafkaConfig } from '@herald/kafka';
import { toTracingConfig, tracingEnvShape } from '@herald/telemetry';
import proxyAddr from 'proxy-addr';
import { z } from 'zod';

/**
 * Which peers may set X-Forwarded-For (express `trust proxy`): `false`, a hop count, or a comma
 * list of addresses, CIDRs and proxy-addr's names (loopback, linklocal, uniquelocal).
 */
const trustProxy = z
  .string()
  .min(1)
  .default('loopback, linklocal, uniquelocal')
  .transform((value, ctx): boolean | number | string => {
    if (value === 'false') return false;
    if (/^\d+$/.test(value)) return Number(value);
    try {
      proxyAddr.compile(value.split(',').map((item) => item.trim()));
      return value;
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be false, a hop count, or a comma list of addresses, CIDRs, loopback, linklocal, uniquelocal' });
      return z.NEVER;
    }
  });

const producerEnvSchema = z
  .object({
    ...serviceEnvShape(9001),
    ...kafkaEnvShape,
    ...databaseEnvShape,
    ...tracingEnvShape,
    /** Largest request body accepted; larger ones get 413. */
    BODY_LIMIT_BYTES: envVar.int(16 * 1024, 1024),
    /** PKCS#8 PEM of the Ed25519 key that signs access tokens. Generated per process in development. */
    JWT_PRIVATE_KEY: z.string().min(1).optional(),
    JWT_KEY_ID: z.string().min(1).default('herald-1'),
    /**
     * Public keys served in the JWKS beside the signing key, and accepted by the producer's own
     * verifier: the next key before it signs, and the previous one while its tokens live. A JSON
     * object of key id to public key PEM (docs/operations.md, "Rotate the JWT signing key").
     */
    JWT_EXTRA_PUBLIC_KEYS: z
      .string()
      .optional()
      .transform((value, ctx) => {
        if (!value) return {};
        try {
          return z.record(z.string().min(1), z.string().includes('PUBLIC KEY')).parse(JSON.parse(value));
        } catch {
          ctx.addIssue({ code: 'custom', message: 'must be a JSON object of key id to public key PEM, e.g. {"herald-2":"-----BEGIN PUBLIC KEY-----\\n..."}' });
          return z.NEVER;
        }
      }),
    JWT_ISSUER: z.string().min(1).default('herald-producer'),
    JWT_AUDIENCE: z.string().min(1).default('herald'),
    ACCESS_TOKEN_TTL_SECONDS: envVar.int(900, 10),
    REFRESH_TOKEN_TTL_SECONDS: envVar.int(30 * 24 * 3600, 60),
    /*
     * One of OWASP's argon2id configurations, which it rates as equally strong: 7 MiB, 5
     * iterations, 1 lane (its list runs from 46 MiB × 1 to 7 MiB × 5). The smallest memory of the
     * list: each hash in flight holds it, so 2 at once take 14 MiB instead of the 38 of 19 MiB × 2,
     * and on this hardware it also costs ~20% less CPU per hash (docs/performance.md, "Settings and the measurements behind them").
     * Hashes made with other parameters still verify: the encoded hash carries its own.
     */
    ARGON2_MEMORY_KIB: envVar.int(7 * 1024, 1024),
    ARGON2_TIME_COST: envVar.int(5, 1),
    ARGON2_PARALLELISM: envVar.int(1, 1),
    /**
     * Hashes computed at once; more requests wait their turn. Each holds ARGON2_MEMORY_KIB, and
     * more hashes than cores only share the same cores, so the default fits a 2-vCPU task.
     */
    ARGON2_MAX_CONCURRENT: envVar.int(2, 1),
    OUTBOX_BATCH_SIZE: envVar.int(500, 1),
    /** Fallback poll when no NOTIFY arrives (e.g. the listening connection is being re-made). */
    OUTBOX_POLL_INTERVAL_MS: envVar.int(1000, 10),
    OUTBOX_MAX_BACKOFF_MS: envVar.int(5000, 10),
    /**
     * Codec of the relay's record batches. None by default: on one machine CPU is scarcer than
     * the loopback's bytes; on MSK, where bytes cross the network and fill disks, lz4 or zstd
     * (docs/performance.md, "Compression").
     */
    OUTBOX_COMPRESSION: z.enum(COMPRESSIONS).default('none'),
    /**
     * Run the relay in a worker thread. Off by default: the pipelined relay keeps up on the main
     * event loop, and a second V8 heap costs ~50 MB of RSS. On when HTTP load is heavy enough to
     * delay publishing (docs/performance.md).
     */
    OUTBOX_RELAY_THREAD: envVar.bool(false),
    /** Published outbox rows are deleted after this many hours (kept meanwhile for audits and replays). */
    OUTBOX_RETENTION_HOURS: envVar.int(72, 0),
    OUTBOX_PURGE_INTERVAL_MS: envVar.int(60_000, 100),
    /** Peers trusted to forward the client's IP; the default covers the VPC (ALB, consumer tasks). */
    TRUST_PROXY: trustProxy,
    // Abuse limits, counted in PostgreSQL so they hold across every producer task.
    SIGNUP_LIMIT_PER_IP: envVar.int(20, 1),
    SIGNUP_LIMIT_PER_ACCOUNT: envVar.int(5, 1),
    SIGNUP_LIMIT_WINDOW_SECONDS: envVar.int(3600, 1),
    LOGIN_LIMIT_PER_IP: envVar.int(60, 1),
    LOGIN_LIMIT_PER_ACCOUNT: envVar.int(20, 1),
    LOGIN_LIMIT_WINDOW_SECONDS: envVar.int(60, 1),
    REFRESH_LIMIT_PER_IP: envVar.int(60, 1),
    REFRESH_LIMIT_WINDOW_SECONDS: envVar.int(60, 1),
    POST_LIMIT_PER_USER: envVar.int(30, 1),
    POST_LIMIT_WINDOW_SECONDS: envVar.int(60, 1),
    /** Follows and unfollows together. */
    FOLLOW_LIMIT_PER_USER: envVar.int(120, 1),
    FOLLOW_LIMIT_WINDOW_SECONDS: envVar.int(60, 1),
    /** Consecutive failed logins for one account from one IP before that pair is locked out. */
    LOGIN_LOCKOUT_FAILURES: envVar.int(5, 1),
    /** Failed logins for one account from any IP before the account is locked out (distributed guessing). */
    LOGIN_ACCOUNT_LOCKOUT_FAILURES: envVar.int(50, 1),
    /** How long failures are remembered without a success. */
    LOGIN_FAILURE_WINDOW_SECONDS: envVar.int(3600, 1),
    /** The first lock-out; each further one doubles, up to the maximum. */
    LOGIN_LOCKOUT_SECONDS: envVar.int(60, 1),
    LOGIN_LOCKOUT_MAX_SECONDS: envVar.int(3600, 1),
    /**
     * How long a 429 is held before it is sent: a client that waits for its answers is slowed to
     * one request per delay per connection, so even a flood of refused requests costs little.
     */
    RATE_LIMIT_DELAY_MS: envVar.int(1000, 0),
    /** The operator credential `/metrics` requires (a bearer token); without it `/metrics` is refused. */
    OPERATOR_TOKEN: z.string().min(32, 'must be at least 32 characters').optional(),
    /** The secret the consumer presents for users' data keys (personal-data/user-keys-routes.ts); without it the endpoint is off. */
    USER_KEYS_TOKEN: z.string().min(32, 'must be at least 32 characters').optional(),
  })
  .superRefine((env, ctx) => {
    checkKafkaEnv(env, ctx);
    checkDatabaseEnv(env, ctx, 'producer');
    if (!compressionAvailable(env.OUTBOX_COMPRESSION)) {
      ctx.addIssue({ code: 'custom', path: ['OUTBOX_COMPRESSION'], message: `${env.OUTBOX_COMPRESSION} needs lz4-napi's binary for this platform, which this install left out (--omit=optional); use zstd, snappy or gzip` });
    }
    if (Object.hasOwn(env.JWT_EXTRA_PUBLIC_KEYS, env.JWT_KEY_ID)) {
      ctx.addIssue({ code: 'custom', path: ['JWT_EXTRA_PUBLIC_KEYS'], message: 'must not name JWT_KEY_ID, the signing key itself' });
    }
    if (env.NODE_ENV === 'production' && !env.JWT_PRIVATE_KEY) {
      ctx.addIssue({ code: 'custom', path: ['JWT_PRIVATE_KEY'], message: 'required in production (PKCS#8 PEM of an Ed25519 key)' });
    }
    if (env.NODE_ENV === 'production' && !env.OPERATOR_TOKEN) {
      ctx.addIssue({ code: 'custom', path: ['OPERATOR_TOKEN'], message: 'required in production (at least 32 random characters)' });
    }
    if (env.NODE_ENV === 'production' && !env.USER_KEYS_TOKEN) {
      ctx.addIssue({ code: 'custom', path: ['USER_KEYS_TOKEN'], message: 'required in production (at least 32 random characters, the same on the consumer)' });
    }
  });

export type ProducerConfig = ReturnType<typeof toProducerConfig>;

function toProducerConfig(env: z.output<typeof producerEnvSchema>, kafka: KafkaConfig) {
  return {
    env: env.NODE_ENV,
    host: env.HOST,
    port: env.PORT,
    logLevel: env.LOG_LEVEL,
    bodyLimitBytes: env.BODY_LIMIT_BYTES,
    database: toDatabaseConfig(env),
    kafka,
    topics: topicNames(kafka.topicPrefix),
    jwt: {
      privateKeyPem: env.JWT_PRIVATE_KEY,
      keyId: env.JWT_KEY_ID,
      extraPublicKeys: env.JWT_EXTRA_PUBLIC_KEYS,
      issuer: env.JWT_ISSUER,
      audience: env.JWT_AUDIENCE,
      accessTokenTtlSeconds: env.ACCESS_TOKEN_TTL_SECONDS,
      refreshTokenTtlSeconds: env.REFRESH_TOKEN_TTL_SECONDS,
    },
    argon2: { memoryCost: env.ARGON2_MEMORY_KIB, timeCost: env.ARGON2_TIME_COST, parallelism: env.ARGON2_PARALLELISM, maxConcurrent: env.ARGON2_MAX_CONCURRENT },
    outbox: { batchSize: env.OUTBOX_BATCH_SIZE, pollIntervalMs: env.OUTBOX_POLL_INTERVAL_MS, maxBackoffMs: env.OUTBOX_MAX_BACKOFF_MS, compression: env.OUTBOX_COMPRESSION },
    outboxRelayThread: env.OUTBOX_RELAY_THREAD,
    outboxRetention: { retentionHours: env.OUTBOX_RETENTION_HOURS, intervalMs: env.OUTBOX_PURGE_INTERVAL_MS },
    shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS,
    trustProxy: env.TRUST_PROXY,
    requestLimits: {
      signUp: { perIp: env.SIGNUP_LIMIT_PER_IP, perAccount: env.SIGNUP_LIMIT_PER_ACCOUNT, windowSeconds: env.SIGNUP_LIMIT_WINDOW_SECONDS },
      login: { perIp: env.LOGIN_LIMIT_PER_IP, perAccount: env.LOGIN_LIMIT_PER_ACCOUNT, windowSeconds: env.LOGIN_LIMIT_WINDOW_SECONDS },
      refresh: { perIp: env.REFRESH_LIMIT_PER_IP, windowSeconds: env.REFRESH_LIMIT_WINDOW_SECONDS },
      post: { perUser: env.POST_LIMIT_PER_USER, windowSeconds: env.POST_LIMIT_WINDOW_SECONDS },
      follow: { perUser: env.FOLLOW_LIMIT_PER_USER, windowSeconds: env.FOLLOW_LIMIT_WINDOW_SECONDS },
      // Fixed: a user ends sessions or changes a password a few times a day, never 10 times a minute.
      session: { perUser: 10, windowSeconds: 60 },
      profile: { perUser: 10, windowSeconds: 60 },
      refusalDelayMs: env.RATE_LIMIT_DELAY_MS,
    },
    loginLockout: {
      failures: env.LOGIN_LOCKOUT_FAILURES,
      accountFailures: env.LOGIN_ACCOUNT_LOCKOUT_FAILURES,
      failureWindowSeconds: env.LOGIN_FAILURE_WINDOW_SECONDS,
      lockSeconds: env.LOGIN_LOCKOUT_SECONDS,
      maxLockSeconds: env.LOGIN_LOCKOUT_MAX_SECONDS,
      refusalDelayMs: env.RATE_LIMIT_DELAY_MS,
    },
    operatorToken: env.OPERATOR_TOKEN,
    userKeysToken: env.USER_KEYS_TOKEN,
    /** Undefined when tracing is off (no OTEL_EXPORTER_OTLP_ENDPOINT). */
    tracing: toTracingConfig(env),
  };
}

/** The producer's whole configuration, parsed once at start-up; throws a ConfigError naming each bad variable. */
export function loadConfig(env: Env = readEnv()): ProducerConfig {
  const parsed = parseEnv(producerEnvSchema, env);
  return toProducerConfig(parsed, toKafkaConfig(parsed, 'herald-producer'));
}
