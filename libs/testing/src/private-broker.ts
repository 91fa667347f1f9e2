import { join } from 'node:path';
import { freePort, type KafkaBrokerOptions } from '@herald/local-infra';
import { uniqueName } from './test-infra';

/**
 * Options for a broker of a test's own, for tests that stop, kill or freeze it (the run's shared
 * broker must stay up for the other test files): free ports and a folder of its own in the run's
 * data folder. Starting it again with the same options brings the same broker back.
 */
export async function privateBrokerOptions(name: string): Promise<KafkaBrokerOptions> {
  const dataDir = join(process.env.HERALD_TEST_DATA_DIR ?? '.herald/test', uniqueName(`${name}-kafka-`));
  return { port: await freePort(), controllerPort: await freePort(), dataDir, logFile: join(dataDir, 'server.log'), heapMb: 384 };
}
