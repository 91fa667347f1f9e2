import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, InfraError, loadDevConfig, startInfra, STATE_DIR, type Infra } from '@herald/local-infra';

declare global {
  var __HERALD_TEST_INFRA__: { infra: Infra; dataDir: string } | undefined;
}

/**
 * Jest global set-up: real Kafka and PostgreSQL for the whole run. Uses KAFKA_BROKERS and
 * DATABASE_URL when given; otherwise starts a fresh broker and embedded server on free ports in
 * a throw-away folder, so a running `npm start` is never touched. Test files read the addresses
 * from HERALD_TEST_* variables (workers inherit this process's environment).
 */
export default async function globalSetup(): Promise<void> {
  const config = loadDevConfig();
  const dataDir = join(STATE_DIR, 'test', `run-${process.pid}`);
  rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(dataDir, { recursive: true });
  const started = Date.now();
  try {
    const infra = await startInfra({
      kafkaBrokers: config.KAFKA_BROKERS,
      kafkaPort: await freePort(),
      kafkaControllerPort: await freePort(),
      kafkaHeapMb: 512,
      databaseUrl: config.DATABASE_URL,
      postgresPort: await freePort(),
      dataDir,
      databases: [],
    });
    globalThis.__HERALD_TEST_INFRA__ = { infra, dataDir };
    process.env.HERALD_TEST_KAFKA_BROKERS = infra.kafkaBrokers;
    process.env.HERALD_TEST_ADMIN_DATABASE_URL = infra.adminDatabaseUrl;
    process.env.HERALD_TEST_DATA_DIR = dataDir;
    console.log(`\nTest infrastructure ready in ${((Date.now() - started) / 1000).toFixed(1)}s:\n  ${infra.started.join('\n  ') || 'given by KAFKA_BROKERS and DATABASE_URL'}`);
  } catch (error) {
    if (error instanceof InfraError) {
      console.error(`\n${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}
