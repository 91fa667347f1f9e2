import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { runService, type Logger } from '@herald/core';
import { createDatabaseIfMissing, createPool, createSequelize, runMigrations } from '@herald/db';
import { sourceTopics } from '@herald/events';
import { createBrokerProbe, createKafka } from '@herald/kafka';
import { createDocumentRoutes, createHealthRoutes } from '@herald/http';
import { traced } from '@herald/telemetry';
import { QueryTypes } from 'sequelize';
import { buildApp } from './app';
import { createAccessTokenVerifier } from './auth/access-token-verifier';
import { createAuthRoutes } from './auth/auth-routes';
import { createLogin } from './auth/login';
import { createPasswordHasher } from './auth/password-hasher';
import { createPasswordChange } from './auth/password-change';
import { createRefresh } from './auth/refresh';
import { createSessions } from './auth/sessions';
import { createAccountDeletion } from './users/delete-account';
import { createProfileUpdate } from './users/update-profile';
import { loadSigningKey } from './auth/signing-key';
import { createTokenIssuer } from './auth/token-issuer';
import { loadConfig, type ProducerConfig } from './config';
import { MIGRATION_LOCK_KEY, MIGRATIONS } from './db/migrations';
import { defineModels } from './db/models';
import { createFeedRoutes } from './feed/feed-routes';
import { createFollows } from './feed/follows';
import { createPosts } from './feed/posts';
import { createMetrics } from './http/metrics';
import { createLimiterFactory } from './limits/limiter';
import { createLoginLockout } from './limits/login-lockout';
import { createRequestLimits } from './limits/request-limits';
import { createOutboxPurger } from './outbox/outbox-purger';
import { startRelayRuntime } from './outbox/relay-runtime';
import { startRelayThread } from './outbox/relay-thread';
import { createOutboxWriter } from './outbox/outbox-writer';
import { OPENAPI_PATH, producerOpenApi } from './openapi/producer-openapi';
import { createUserKeys } from './personal-data/user-keys';
import { createUserKeysRoutes } from './personal-data/user-keys-routes';
import { createSignUp } from './users/sign-up';
import { createUserRepository } from './users/user-repository';
import { createUserRoutes } from './users/user-routes';

const VERSION = '0.1.0';
// Each limit check is one short query; a few connections serve thousands of checks a second.
const LIMITS_POOL_MAX = 4;

export interface RunningProducer {
  url: string;
  stop(): Promise<void>;
}

/**
 * Wires the producer from its config and starts it: migrations, HTTP server, outbox relay.
 * The only place where the parts meet; tests call it with their own config.
 */
export async function startProducer(config: ProducerConfig, logger: Logger): Promise<RunningProducer> {
  await createDatabaseIfMissing({ database: config.database, logger });
  const sequelize = createSequelize({ config: config.database, logger });
  await runMigrations({ sequelize, database: config.database, migrations: MIGRATIONS, lockKey: MIGRATION_LOCK_KEY, logger });
  const models = defineModels(sequelize);

  const metrics = createMetrics({
    pendingOutbox: async () => {
      const [row] = await sequelize.query<{ count: string; oldest: number | null }>(
        'SELECT count(*) AS count, extract(epoch FROM now() - min(created_at))::float8 AS oldest FROM outbox_events WHERE sent_at IS NULL',
        { type: QueryTypes.SELECT },
      );
      return { count: Number(row?.count ?? 0), oldestAgeSeconds: row?.oldest ?? 0 };
    },
  });
  const relaySettings = {
    logLevel: config.logLevel,
    database: config.database,
    kafka: config.kafka,
    topics: sourceTopics(config.topics),
    outbox: config.outbox,
    tracing: config.tracing,
  };
  const probeAdmin = createKafka({ config: config.kafka, logger }).admin();
  const brokerProbe = createBrokerProbe({ admin: probeAdmin, logger: logger.child({ component: 'broker-probe' }) });
  const relay = config.outboxRelayThread
    ? startRelayThread({ settings: relaySettings, metrics: metrics.outbox, logger })
    : startRelayRuntime({ settings: relaySettings, metrics: metrics.outbox, logger: logger.child({ component: 'outbox-relay' }) });
  const purgerPool = createPool({ config: config.database, max: 1, logger, name: 'outbox-purger' });
  const purger = createOutboxPurger({ pool: purgerPool, ...config.outboxRetention, logger: logger.child({ component: 'outbox-purger' }) });

  const outbox = createOutboxWriter({ sequelize });
  const users = createUserRepository({ models });
  const userKeys = createUserKeys({ sequelize });
  const hasher = await createPasswordHasher(config.argon2);
  const signingKey = await loadSigningKey({ privateKeyPem: config.jwt.privateKeyPem, keyId: config.jwt.keyId, extraPublicKeys: config.jwt.extraPublicKeys, logger });
  const tokens = createTokenIssuer({ sequelize, outbox, signingKey, settings: config.jwt, topic: config.topics.issuedToken });
  const sessions = createSessions({ sequelize, outbox, topic: config.topics.sessionEnded });
  const verifyAccessToken = createAccessTokenVerifier({ signingKey, issuer: config.jwt.issuer, audience: config.jwt.audience, sessions });
  // A pool of its own, so limit checks never wait behind the requests they guard.
  const limitsPool = createPool({ config: config.database, max: LIMITS_POOL_MAX, logger, name: 'rate-limits' });
  const limiter = createLimiterFactory({ pool: limitsPool });
  const limits = createRequestLimits({ limiter, settings: config.requestLimits });
  const lockout = createLoginLockout({ limiter, settings: config.loginLockout });

  const app = buildApp({
    logger,
    metrics,
    bodyLimitBytes: config.bodyLimitBytes,
    trustProxy: config.trustProxy,
    routers: [
      createHealthRoutes({
        service: 'producer',
        version: VERSION,
        registry: metrics.registry,
        operatorToken: config.operatorToken,
        readiness: [
          { name: 'database', check: () => sequelize.authenticate().then(() => true) },
          // The relay's flag alone stays true for as long as a hung broker holds its requests.
          { name: 'kafka', check: async () => relay.isConnected() && brokerProbe.isReachable() },
        ],
      }),
      createUserRoutes({
        signUp: createSignUp({ sequelize, users, userKeys, outbox, hasher, topic: config.topics.newUserCreated }),
        updateProfile: createProfileUpdate({ sequelize, users, userKeys, hasher, outbox, limits, topic: config.topics.userUpdated }),
        deleteAccount: createAccountDeletion({ sequelize, users, hasher, sessions, outbox, limits, topic: config.topics.userDeleted }),
        users,
        limits,
        verifyAccessToken,
      }),
      createFeedRoutes({
        posts: createPosts({ sequelize, userKeys, outbox, topics: config.topics }),
        follows: createFollows({ sequelize, outbox, topics: config.topics }),
        limits,
        verifyAccessToken,
      }),
      createUserKeysRoutes({ userKeys, token: config.userKeysToken }),
      createDocumentRoutes({ path: OPENAPI_PATH, document: producerOpenApi() }),
      createAuthRoutes({
        login: createLogin({ sequelize, users, hasher, tokens, sessions, limits, lockout }),
        refresh: createRefresh({ sequelize, tokens, sessions }),
        changePassword: createPasswordChange({ sequelize, users, hasher, sessions, limits }),
        sessions,
        verifyAccessToken,
        limits,
        signingKey,
      }),
    ],
  });

  purger.start();
  brokerProbe.start();
  const server = createServer(app);
  server.listen(config.port, config.host);
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const url = `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${port}`;
  logger.info({ url }, 'producer listening');

  let stopped: Promise<void> | undefined;
  return {
    url,
    stop: () => (stopped ??= stop()),
  };

  /** Stops accepting, lets in-flight requests finish, then publishes what they committed. */
  async function stop(): Promise<void> {
    const closed = new Promise<void>((resolveClose) => server.close(() => resolveClose()));
    server.closeIdleConnections();
    const forceClose = setTimeout(() => server.closeAllConnections(), config.shutdownTimeoutMs / 2);
    await closed;
    clearTimeout(forceClose);
    await relay.stop(config.shutdownTimeoutMs / 2);
    brokerProbe.stop();
    await probeAdmin.disconnect().catch(() => {});
    await purger.stop();
    await purgerPool.end();
    await limitsPool.end();
    await sequelize.close();
    logger.info('producer stopped');
  }
}

// Tracing (when configured) starts before the producer and stops after it (@herald/telemetry).
if (require.main === module) runService({ name: 'producer', loadConfig, start: traced(() => 'herald-producer', startProducer) });
