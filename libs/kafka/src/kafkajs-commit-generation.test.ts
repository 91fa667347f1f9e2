// A unit test of kafkajs' consumer runner as patched in patches/kafkajs+2.2.4.patch: the consumer
// group is a stand-in, so that one commit can meet a rebalance between its attempts.
/* eslint-disable @typescript-eslint/no-require-imports -- kafkajs' internals have no typed entry point */
const Runner = require('kafkajs/src/consumer/runner') as new (options: unknown) => { running: boolean; commitOffsets(offsets: unknown): Promise<void> };
const { createLogger, LEVELS } = require('kafkajs/src/loggers') as { createLogger: (options: unknown) => unknown; LEVELS: { NOTHING: number } };
const { createErrorFromCode } = require('kafkajs/src/protocol/error') as { createErrorFromCode: (code: number) => Error };
/* eslint-enable @typescript-eslint/no-require-imports */

/** What a commit meets while the group's coordinator has died and another broker loads the group: a retriable error. */
const COORDINATOR_LOAD_IN_PROGRESS = 14;

/**
 * A member in generation 4 whose first commit is refused while the group's coordinator moves (a
 * broker killed), which kafkajs retries. With `rejoined`, the members' sessions ran out meanwhile
 * and by the retry the member's own fetch loop has rejoined (generation 5), so the partition of
 * that commit may now be another member's; without, the generation is the same.
 */
function memberWhoseFirstCommitIsRefused({ rejoined }: { rejoined: boolean }) {
  const attempts: Array<{ generationId: number; offsets: unknown }> = [];
  const consumerGroup = {
    groupId: 'g',
    memberId: 'm',
    generationId: 4,
    getNodeIds: () => [1],
    async commitOffsets(offsets: unknown) {
      attempts.push({ generationId: consumerGroup.generationId, offsets });
      if (attempts.length === 1) {
        if (rejoined) consumerGroup.generationId = 5;
        throw createErrorFromCode(COORDINATOR_LOAD_IN_PROGRESS);
      }
    },
  };
  const runner = new Runner({
    logger: createLogger({ level: LEVELS.NOTHING, logCreator: () => () => {} }),
    consumerGroup,
    instrumentationEmitter: { emit: () => {} },
    eachBatch: async () => {},
    onCrash: () => {},
    retry: { retries: 3, initialRetryTime: 1, maxRetryTime: 5 },
    autoCommit: false,
    concurrency: 1,
  });
  runner.running = true;
  return { runner, attempts };
}

const offsets = { topics: [{ topic: 't', partitions: [{ partition: 0, offset: '7' }] }] };

describe("kafkajs' manual offset commit (patched)", () => {
  it('when the group rebalances between its attempts, gives up as a rebalance error instead of committing in the new generation', async () => {
    const { runner, attempts } = memberWhoseFirstCommitIsRefused({ rejoined: true });

    await expect(runner.commitOffsets(offsets)).rejects.toMatchObject({ type: 'ILLEGAL_GENERATION' });
    // Upstream tried again in generation 5 and resolved: a commit of a partition the member may
    // no longer own, landing after its new owner's commits and taking the group's offset back.
    expect(attempts.map(({ generationId }) => generationId)).toEqual([4]);
  });

  it('within one generation, retries a refused commit as before', async () => {
    const { runner, attempts } = memberWhoseFirstCommitIsRefused({ rejoined: false });

    await runner.commitOffsets(offsets);
    expect(attempts.map(({ generationId }) => generationId)).toEqual([4, 4]);
  });
});
