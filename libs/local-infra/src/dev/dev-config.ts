import { envVar, parseEnv, readEnv, type Env } from '@herald/core';
import { join } from 'node:path';
import { z } from 'zod';
import { ROOT, STATE_DIR } from '../paths';

/** What the local runner (`npm start`, `npm run kafka`, the test set-up) reads from the environment. */
const devEnvSchema = z.object({
  /** Use this broker instead of starting one. */
  KAFKA_BROKERS: z.string().min(1).optional(),
  KAFKA_PORT: envVar.port(9092),
  KAFKA_CONTROLLER_PORT: envVar.port(9093),
  KAFKA_HEAP_MB: envVar.int(512, 128),
  /** Nodes of the local Kafka: 1, or a cluster of 3 (what `npm start -- --brokers 3` asks for). */
  KAFKA_NODES: z.enum(['1', '3'], { error: 'must be 1 or 3' }).default('1').transform(Number),
  /** Use this PostgreSQL server (any database on it) instead of the embedded one. */
  DATABASE_URL: z.url().optional(),
  EMBEDDED_POSTGRES_PORT: envVar.port(54320),
  PRODUCER_PORT: envVar.port(9001),
  CONSUMER_PORT: envVar.port(9000),
  /** Zipkin's UI and API, with `npm start -- --traces`. */
  ZIPKIN_PORT: envVar.port(9411),
  HERALD_DATA_DIR: z.string().default(join(STATE_DIR, 'dev')),
  /** The operator credential both services get; a random one per run when unset. */
  OPERATOR_TOKEN: z.string().min(32, 'must be at least 32 characters').optional(),
  /** The secret with which the consumer asks the producer for users' keys; a random one per run when unset. */
  USER_KEYS_TOKEN: z.string().min(32, 'must be at least 32 characters').optional(),
  /** The producer's signing key; when unset, a key kept in HERALD_DATA_DIR (made on first start). */
  JWT_PRIVATE_KEY: z.string().min(1).optional(),
});

export type DevConfig = z.output<typeof devEnvSchema>;

export function loadDevConfig(env: Env = readEnv(process.env, join(ROOT, '.env'))): DevConfig {
  return parseEnv(devEnvSchema, env);
}
