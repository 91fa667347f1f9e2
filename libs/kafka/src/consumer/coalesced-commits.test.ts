import { silentLogger } from '@herald/testing';
import { createCoalescedCommits, type PartitionOffset } from './coalesced-commits';

const TOPIC = 'issued-token';

function setUp({ intervalMs = 100, fail = () => false }: { intervalMs?: number; fail?: () => boolean } = {}) {
  const commits: PartitionOffset[][] = [];
  const coalesced = createCoalescedCommits({
    intervalMs,
    logger: silentLogger('test'),
    commit: async (offsets) => {
      if (fail()) throw new Error('The group is rebalancing (test)');
      commits.push(offsets);
    },
  });
  return { commits, coalesced };
}

describe('coalesced offset commits', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('commits the first offset after a quiet spell at once, and the ones behind it together, at most once per interval', async () => {
    const { commits, coalesced } = setUp();
    coalesced.databaseCommitted(TOPIC, 0, '1');
    await jest.advanceTimersByTimeAsync(0);
    expect(commits).toEqual([[{ topic: TOPIC, partition: 0, offset: '1' }]]);

    for (let offset = 2; offset <= 20; offset += 1) {
      coalesced.databaseCommitted(TOPIC, offset % 2, String(offset));
      await jest.advanceTimersByTimeAsync(5); // 19 chunks in 95 ms
    }
    expect(commits).toHaveLength(1);
    await jest.advanceTimersByTimeAsync(5);
    expect(commits).toHaveLength(2);
    // The newest offset of each partition, nothing older.
    expect(commits[1]).toEqual(
      expect.arrayContaining([
        { topic: TOPIC, partition: 0, offset: '20' },
        { topic: TOPIC, partition: 1, offset: '19' },
      ]),
    );
    expect(commits[1]).toHaveLength(2);
    expect(coalesced.pending()).toEqual([]);
  });

  it('when the stream goes quiet, the last offsets are committed within the interval without another record', async () => {
    const { commits, coalesced } = setUp();
    coalesced.databaseCommitted(TOPIC, 3, '10');
    await jest.advanceTimersByTimeAsync(1);
    coalesced.databaseCommitted(TOPIC, 3, '11');
    await jest.advanceTimersByTimeAsync(99);
    expect(commits.flat()).toContainEqual({ topic: TOPIC, partition: 3, offset: '11' });
    expect(coalesced.pending()).toEqual([]);
  });

  it('never moves an offset back when an older chunk reports after a newer one', async () => {
    const { commits, coalesced } = setUp();
    coalesced.databaseCommitted(TOPIC, 0, '1');
    await jest.advanceTimersByTimeAsync(0);
    coalesced.databaseCommitted(TOPIC, 0, '9');
    coalesced.databaseCommitted(TOPIC, 0, '5');
    await jest.advanceTimersByTimeAsync(100);
    expect(commits.at(-1)).toEqual([{ topic: TOPIC, partition: 0, offset: '9' }]);
  });

  it('flush commits what is pending at once, before the interval is over', async () => {
    const { commits, coalesced } = setUp({ intervalMs: 60_000 });
    coalesced.databaseCommitted(TOPIC, 0, '1');
    await jest.advanceTimersByTimeAsync(0);
    coalesced.databaseCommitted(TOPIC, 1, '7');
    expect(commits).toHaveLength(1);
    await coalesced.flush();
    expect(commits).toEqual([[{ topic: TOPIC, partition: 0, offset: '1' }], [{ topic: TOPIC, partition: 1, offset: '7' }]]);
  });

  it('after a rebalance, partitions no longer assigned are dropped from the pending set and not taken again', async () => {
    const { commits, coalesced } = setUp({ intervalMs: 60_000 });
    coalesced.assigned({ [TOPIC]: [0, 1, 2, 3] });
    coalesced.databaseCommitted(TOPIC, 0, '1');
    await jest.advanceTimersByTimeAsync(0);
    coalesced.databaseCommitted(TOPIC, 1, '4');
    coalesced.databaseCommitted(TOPIC, 2, '6');
    coalesced.assigned({ [TOPIC]: [2, 3] });
    coalesced.databaseCommitted(TOPIC, 0, '2'); // a chunk that finished after its partition moved away
    expect(coalesced.pending()).toEqual([{ topic: TOPIC, partition: 2, offset: '6' }]);
    await coalesced.flush();
    expect(commits.at(-1)).toEqual([{ topic: TOPIC, partition: 2, offset: '6' }]);
  });

  it('a refused commit is logged, not thrown, and its offsets are committed at the next attempt unless their partition moved', async () => {
    let refuse = true;
    const { commits, coalesced } = setUp({ fail: () => refuse });
    coalesced.databaseCommitted(TOPIC, 0, '3');
    coalesced.databaseCommitted(TOPIC, 1, '8');
    await jest.advanceTimersByTimeAsync(0);
    expect(commits).toEqual([]);
    expect(coalesced.pending()).toHaveLength(2);

    coalesced.assigned({ [TOPIC]: [1] });
    refuse = false;
    await jest.advanceTimersByTimeAsync(100);
    expect(commits).toEqual([[{ topic: TOPIC, partition: 1, offset: '8' }]]);
  });

  it('after a refused commit it waits a second before trying again (kafkajs may be restarting the consumer), and tries at once when the group is joined again', async () => {
    let refuse = true;
    let attempts = 0;
    const coalesced = createCoalescedCommits({
      intervalMs: 100,
      logger: silentLogger('test'),
      commit: async () => {
        attempts += 1;
        if (refuse) throw new Error('Consumer group was not initialized (test)');
      },
    });
    coalesced.databaseCommitted(TOPIC, 0, '3');
    await jest.advanceTimersByTimeAsync(0);
    expect(attempts).toBe(1);
    await jest.advanceTimersByTimeAsync(999);
    expect(attempts).toBe(1);
    await jest.advanceTimersByTimeAsync(1);
    expect(attempts).toBe(2);

    refuse = false;
    await jest.advanceTimersByTimeAsync(200);
    coalesced.assigned({ [TOPIC]: [0] });
    await jest.advanceTimersByTimeAsync(0);
    expect(attempts).toBe(3);
    expect(coalesced.pending()).toEqual([]);
  });

  it('once closed, it commits nothing more', async () => {
    const { commits, coalesced } = setUp();
    coalesced.databaseCommitted(TOPIC, 0, '1');
    coalesced.close();
    coalesced.databaseCommitted(TOPIC, 0, '2');
    await coalesced.flush();
    await jest.advanceTimersByTimeAsync(1000);
    expect(commits).toEqual([]);
  });
});
