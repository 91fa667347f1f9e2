import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { startInfra } from './infra';
import { freePort } from './net';

describe('local infrastructure (npm start, npm run infra)', () => {
  it('when the broker it started is killed, says which part died, so the runner can stop the rest and say so', async () => {
    const dataDir = join(process.env.HERALD_TEST_DATA_DIR ?? '.herald/test', `infra-${randomBytes(4).toString('hex')}`);
    const infra = await startInfra({
      kafkaPort: await freePort(),
      kafkaControllerPort: await freePort(),
      kafkaHeapMb: 256,
      databaseUrl: process.env.HERALD_TEST_ADMIN_DATABASE_URL, // the run's PostgreSQL: only the broker is started here
      postgresPort: await freePort(),
      dataDir,
      databases: [],
    });
    try {
      const pid = Number(/pid (\d+)/.exec(infra.started.join('\n'))?.[1]);
      process.kill(pid, 'SIGKILL');
      await expect(infra.died).resolves.toMatch(new RegExp(`^Kafka \\(pid ${pid}, log .*server\\.log\\)$`));
    } finally {
      await infra.stop();
    }
  }, 90_000);

  it('when its broker is stopped on purpose, reports no death', async () => {
    const infra = await startInfra({
      kafkaPort: await freePort(),
      kafkaControllerPort: await freePort(),
      kafkaHeapMb: 256,
      databaseUrl: process.env.HERALD_TEST_ADMIN_DATABASE_URL,
      postgresPort: await freePort(),
      dataDir: join(process.env.HERALD_TEST_DATA_DIR ?? '.herald/test', `infra-${randomBytes(4).toString('hex')}`),
      databases: [],
    });
    await infra.stop();
    const outcome = await Promise.race([infra.died, new Promise((resolveLater) => setTimeout(() => resolveLater('no death reported'), 1000))]);
    expect(outcome).toBe('no death reported');
  }, 90_000);
});
