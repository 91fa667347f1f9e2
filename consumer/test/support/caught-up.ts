import { uncommitted } from '@herald/kafka';
import { eventually, testKafka } from '@herald/testing';
import type { InProcessConsumer } from './in-process-consumer';

/**
 * Waits until each named group of the consumer has committed past the end of its topic: every
 * record sent before was projected. For tests that assert what did not happen. Any consumer with
 * the group prefix: one in the test's process, or a system's process (support/system.ts).
 */
export async function groupsCaughtUp(consumer: Pick<InProcessConsumer, 'groupPrefix'>, groups: ReadonlyArray<readonly [group: string, topic: string]>): Promise<void> {
  const admin = testKafka().admin();
  await admin.connect();
  try {
    await eventually(async () => (await Promise.all(groups.map(([group, topic]) => uncommitted(admin, `${consumer.groupPrefix}.${group}`, topic)))).every((lag) => lag === 0), {
      timeoutMs: 30_000,
      what: `${groups.map(([group]) => group).join(', ')} caught up`,
    });
  } finally {
    await admin.disconnect();
  }
}
