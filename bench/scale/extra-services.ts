import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, startService, STATE_DIR, waitForHttp } from '@herald/local-infra';
import type { BenchTarget } from '../lib/bench-env';
import type { ExtraService, Scaler } from './run-scale';

/**
 * The signing key `npm start` gave the producer (JWT_PRIVATE_KEY, else its key file): a second
 * producer must sign with the same key, as every task of one service does on ECS.
 */
function signingKey(): Record<string, string> {
  if (process.env.JWT_PRIVATE_KEY) return { JWT_PRIVATE_KEY: process.env.JWT_PRIVATE_KEY };
  const file = join(STATE_DIR, 'dev', 'jwt-private-key.pem');
  return existsSync(file) ? { JWT_PRIVATE_KEY: readFileSync(file, 'utf8') } : {};
}

/**
 * One more producer or consumer process beside those `npm start` runs, built as they are
 * (`<service>/dist/main.js`, the same Node flags), on the same databases and broker: what ECS does
 * when it scales a service out. Its logs go to `logFile`.
 */
async function startExtraService(name: 'producer' | 'consumer', target: BenchTarget, logFile: string): Promise<ExtraService> {
  const port = await freePort();
  const common = {
    PORT: String(port),
    KAFKA_BROKERS: target.kafkaBrokers.join(','),
    KAFKA_TOPIC_PREFIX: target.topicPrefix,
    ...(target.operatorToken ? { OPERATOR_TOKEN: target.operatorToken } : {}),
    ...(target.userKeysToken ? { USER_KEYS_TOKEN: target.userKeysToken } : {}),
  };
  const env =
    name === 'producer'
      ? { ...common, DATABASE_URL: target.databaseUrl, ...signingKey() }
      : { ...common, DATABASE_URL: target.consumerDatabaseUrl, PRODUCER_URL: target.producerUrl };
  const service = startService({ name, env, from: 'build', logFile });
  const url = `http://127.0.0.1:${port}`;
  await waitForHttp(`${url}/health`, service);
  return { url, stop: () => service.stop() };
}

/** Extra built services beside `npm start`'s, logging to `logDir`. */
export function builtServiceScaler(target: BenchTarget, logDir: string): Scaler {
  mkdirSync(logDir, { recursive: true });
  let started = 0;
  const logFile = (name: string) => join(logDir, `${name}-${Date.now()}-${(started += 1)}.log`);
  return {
    addConsumer: () => startExtraService('consumer', target, logFile('consumer')),
    addProducer: () => startExtraService('producer', target, logFile('producer')),
  };
}
