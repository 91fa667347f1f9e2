// A unit test of kafkajs' own send path as patched in patches/kafkajs+2.2.4.patch: the cluster and
// brokers are stand-ins, so that one send can meet a leader change between its attempts.
import { KafkaJSConnectionError } from 'kafkajs';

/* eslint-disable @typescript-eslint/no-require-imports -- kafkajs' internals have no typed entry point */
const createSendMessages = require('kafkajs/src/producer/sendMessages') as (deps: unknown) => (request: unknown) => Promise<Array<{ topicName: string; partition: number }>>;
const createRetry = require('kafkajs/src/retry') as (options: unknown) => unknown;
/* eslint-enable @typescript-eslint/no-require-imports */

interface Produced {
  nodeId: number;
  partitions: number[];
}

/** Two partitions of one topic, led by nodes 1 and 2, until node 1 fails and node 2 leads both. */
function clusterWithLeaderChange() {
  const leaders: Record<number, number> = { 0: 1, 1: 2 };
  const produced: Produced[] = [];
  let node1Failed = false;
  const broker = (nodeId: number) => ({
    nodeId,
    async produce({ topicData }: { topicData: Array<{ topic: string; partitions: Array<{ partition: number }> }> }) {
      const partitions = topicData.flatMap(({ partitions: entries }) => entries.map(({ partition }) => partition));
      if (nodeId === 1 && !node1Failed) {
        // Node 1 dies with the request in flight, after node 2 has answered for its partition;
        // node 2 takes over node 1's partition.
        await new Promise((resolveLater) => setTimeout(resolveLater, 20));
        node1Failed = true;
        leaders[0] = 2;
        throw new KafkaJSConnectionError('Connection error: read ECONNRESET');
      }
      produced.push({ nodeId, partitions });
      return { topics: topicData.map(({ topic, partitions: entries }) => ({ topicName: topic, partitions: entries.map(({ partition }) => ({ partition, errorCode: 0, baseOffset: '0' })) })) };
    },
  });
  const brokers = { 1: broker(1), 2: broker(2) };
  const cluster = {
    targetTopics: new Set<string>(),
    refreshMetadataIfNecessary: async () => {},
    refreshMetadata: async () => {},
    addMultipleTargetTopics: async () => {},
    isConnected: () => true,
    removeBroker: () => {},
    findTopicPartitionMetadata: () => [0, 1].map((partitionId) => ({ partitionId, leader: leaders[partitionId] })),
    findLeaderForPartitions: (_topic: string, partitions: string[]) =>
      partitions.reduce<Record<number, number[]>>((result, id) => {
        const leader = leaders[Number(id)]!;
        return { ...result, [leader]: [...(result[leader] ?? []), Number(id)] };
      }, {}),
    findBroker: async ({ nodeId }: { nodeId: string }) => brokers[Number(nodeId) as 1 | 2],
  };
  return { cluster, produced };
}

describe("kafkajs' send as patched (a leader change between attempts)", () => {
  it('sends a failed broker’s partition again to its new leader, even when that leader already answered for another partition', async () => {
    const { cluster, produced } = clusterWithLeaderChange();
    const noop = () => {};
    const sendMessages = createSendMessages({
      logger: { debug: noop, info: noop, warn: noop, error: noop },
      cluster,
      partitioner: ({ message }: { message: { key: string } }) => Number(message.key),
      eosManager: {
        acquireBrokerLock: async () => {},
        releaseBrokerLock: async () => {},
        isTransactional: () => false,
        getSequence: () => 0,
        updateSequence: noop,
        getProducerId: () => -1,
        getProducerEpoch: () => 0,
      },
      retrier: createRetry({ retries: 3, initialRetryTime: 1 }),
    });

    const acknowledged = await sendMessages({ acks: -1, topicMessages: [{ topic: 'outbox', messages: [{ key: '0', value: 'a' }, { key: '1', value: 'b' }] }] });

    // Unpatched, the retry skipped node 2 (it had answered) and resolved without partition 0.
    expect(produced).toEqual([
      { nodeId: 2, partitions: [1] },
      { nodeId: 2, partitions: [0] },
    ]);
    expect(acknowledged.map(({ partition }) => partition).sort()).toEqual([0, 1]);
  });
});
