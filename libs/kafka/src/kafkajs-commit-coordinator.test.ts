// A unit test of kafkajs' offset manager as patched in patches/kafkajs+2.2.4.patch: the cluster
// and the brokers are stand-ins, so that the group's coordinator can move between two commits.

/* eslint-disable @typescript-eslint/no-require-imports -- kafkajs' internals have no typed entry point */
const OffsetManager = require('kafkajs/src/consumer/offsetManager') as new (options: unknown) => { commitOffsets(offsets: unknown): Promise<void> };
const { createErrorFromCode } = require('kafkajs/src/protocol/error') as { createErrorFromCode: (code: number) => Error };
/* eslint-enable @typescript-eslint/no-require-imports */

/** What a broker answers a commit for a group it no longer coordinates. */
const NOT_COORDINATOR = 16;

/** A broker that records the commits it is sent; `coordinates` says whether it takes them. */
function broker(nodeId: number, coordinates: boolean) {
  const commits: unknown[] = [];
  return {
    nodeId,
    commits,
    isConnected: () => true,
    async offsetCommit(payload: unknown) {
      commits.push(payload);
      if (!coordinates) throw createErrorFromCode(NOT_COORDINATOR);
    },
  };
}

describe("kafkajs' offset commits (patched)", () => {
  it('when the coordinator it was given has moved, the next commit goes to the one the cluster names now', async () => {
    // The member last synced with node 1; since then node 2 coordinates the group, and the member
    // heartbeats to it without having synced again (a rejoin refused while node 2 loaded the group).
    const [old, current] = [broker(1, false), broker(2, true)];
    const committed = {};
    const cluster = { refreshMetadata: async () => {}, findGroupCoordinator: async () => current, findBroker: async () => old, committedOffsets: () => committed };
    const offsetManager = new OffsetManager({
      cluster,
      coordinator: old,
      memberAssignment: { t: [0] },
      autoCommit: false,
      topicConfigurations: {},
      instrumentationEmitter: { emit: () => {} },
      groupId: 'g',
      generationId: 5,
      memberId: 'm',
    });
    const offsets = { topics: [{ topic: 't', partitions: [{ partition: 0, offset: '7' }] }] };

    await expect(offsetManager.commitOffsets(offsets)).rejects.toMatchObject({ type: 'NOT_COORDINATOR_FOR_GROUP' });
    await offsetManager.commitOffsets(offsets);

    // Upstream sent the second commit to node 1 as well, refused, and so every commit after it.
    expect([old.commits.length, current.commits.length]).toEqual([1, 1]);
  });
});
