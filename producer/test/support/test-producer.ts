import { eventually, isReady, silentLogger, startProbe, testKafka } from '@herald/testing';
import type { ProducerConfig } from '../../src/config';
import { startProducer, type RunningProducer } from '../../src/main';
import { createTestDatabase, testProducerConfig } from './test-env';

export interface TestProducer {
  database: Awaited<ReturnType<typeof createTestDatabase>>;
  config: ProducerConfig;
  producer: RunningProducer;
  /** Reads the topics the test named, from their start. */
  probe: Awaited<ReturnType<typeof startProbe>>;
  url: string;
}

/**
 * A producer of the test file's own (database, topics), started before its tests and stopped
 * after, with a probe on the topics `probed` names: the set-up every REST suite repeats.
 */
export function useTestProducer(probed: (topics: ProducerConfig['topics']) => string[]): TestProducer {
  const running = {} as TestProducer;
  beforeAll(async () => {
    running.database = await createTestDatabase();
    running.config = testProducerConfig({ databaseUrl: running.database.url });
    running.producer = await startProducer(running.config, silentLogger('producer-test'));
    running.url = running.producer.url;
    await eventually(isReady(running.url), { what: 'producer ready (topics created)' });
    running.probe = await startProbe(testKafka(), probed(running.config.topics));
  });
  afterAll(async () => {
    await running.probe?.stop();
    await running.producer?.stop();
    await running.database?.drop();
  });
  return running;
}
