import type { Logger } from '@herald/core';
import { decodeMemberAssignment, toPartitionStatus, type KafkaAdmin } from '@herald/kafka';
import type { ClusterControl, LocalNode, QuorumLeader } from './cluster-control';

export interface BrokerView {
  nodeId: number;
  address: string;
  rack: string | null;
  /**
   * In the cluster's metadata now (a broker known before, or to the local control, and missing
   * from it is down) and, with a local cluster control, its process not stopped: a killed broker
   * stays in the metadata until the controller fences it, seconds later.
   */
  up: boolean;
  /** In the cluster's metadata now. */
  listed: boolean;
  controller: boolean;
  /** The KRaft quorum leader (the active controller), when the local cluster control tells it. */
  quorumLeader: boolean;
  /** The local cluster control's word on its process, when there is a control. */
  localState: LocalNode['state'] | null;
}

export interface PartitionView {
  partition: number;
  leader: number;
  replicas: number[];
  isr: number[];
  offlineReplicas: number[];
  endOffset: string | null;
}

export interface TopicView {
  name: string;
  /** From the end offsets of the last two samples: the broker's count, whichever task consumes. */
  messagesPerSecond: number | null;
  partitions: PartitionView[];
}

export interface MemberView {
  memberId: string;
  clientId: string;
  clientHost: string;
  assignments: Array<{ topic: string; partitions: number[] }>;
}

export interface GroupPartitionView {
  topic: string;
  partition: number;
  committedOffset: string | null;
  endOffset: string;
  lag: number;
  /** Lag at each of the snapshot's sampleTimes (null where this partition was not sampled). */
  lagHistory: Array<number | null>;
}

export interface GroupView {
  groupId: string;
  state: string;
  /** Paused by an operator on this task (failure simulation). */
  paused: boolean;
  members: MemberView[];
  partitions: GroupPartitionView[];
}

export interface ConsoleSnapshot {
  sampledAt: string | null;
  /** When each sample of the lag history was taken (ms since the epoch), oldest first. */
  sampleTimes: number[];
  /** Why the last sample failed, if it did (the data shown is then the last good sample's). */
  error: string | null;
  cluster: {
    clusterId: string | null;
    controllerId: number | null;
    /** The active controller, from the local cluster control (the client protocol cannot say); null without one. */
    quorumLeaderId: number | null;
    quorumLeaderEpoch: number | null;
    brokers: BrokerView[];
    underReplicatedPartitions: number;
    offlinePartitions: number;
  };
  topics: TopicView[];
  groups: GroupView[];
}

interface Sample {
  at: number;
  clusterId: string;
  controllerId: number | null;
  live: Array<{ nodeId: number; address: string; rack: string | null }>;
  topics: Array<{ name: string; partitions: PartitionView[]; total: bigint | null }>;
  groups: Array<Omit<GroupView, 'paused' | 'partitions'> & { partitions: Array<Omit<GroupPartitionView, 'lagHistory'>> }>;
  nodes: LocalNode[] | null;
  quorum: QuorumLeader | null;
}

const lagKey = (groupId: string, topic: string, partition: number) => `${groupId}|${topic}|${partition}`;

/** Messages per second between two samples of a topic's summed end offsets. */
export function ratePerSecond(before: { at: number; total: bigint | null } | undefined, after: { at: number; total: bigint | null }): number | null {
  if (!before || before.total === null || after.total === null || after.at <= before.at) return null;
  const added = after.total - before.total;
  return added < 0n ? null : Number(added) / ((after.at - before.at) / 1000);
}


/**
 * Samples what the console shows, on a timer, with an admin client of its own: brokers and the
 * controller, every Herald topic's partitions (leader, replicas, ISR, end offsets), the
 * consumer's groups (state, members and their partitions, lag per partition), and the local
 * cluster control's nodes. Pages read the last sample, so however many are open, the broker is
 * asked the same; the lag of the last `historySize` samples is kept in memory (a bounded ring),
 * so a page opened now shows the last minutes at once.
 */
export function createClusterSampler({
  admin,
  topics,
  groups,
  control,
  isPaused = () => false,
  intervalMs,
  historySize,
  logger,
}: {
  admin: KafkaAdmin;
  topics: string[];
  groups: Array<{ groupId: string; topic: string }>;
  control?: ClusterControl;
  isPaused?: (groupId: string) => boolean;
  intervalMs: number;
  historySize: number;
  logger: Logger;
}) {
  const history: Array<{ at: number; lags: Map<string, number> }> = [];
  const known = new Map<number, { address: string; rack: string | null }>();
  let last: Sample | undefined;
  let previous: Sample | undefined;
  let lastError: string | null = null;
  let connected = false;
  let running = false;
  let stopped = false;
  /** Whether a broker answered in the sample under way (a sample that fails after says nothing about liveness). */
  let answered = false;
  let timer: NodeJS.Timeout | undefined;

  async function take(): Promise<Sample> {
    if (!connected) {
      await admin.connect();
      connected = true;
    }
    // Which brokers answer is the one part that must succeed; a part that fails while a broker is
    // going or coming (a leader just moved) leaves its part of the sample empty or the last one.
    answered = false;
    const cluster = await admin.describeCluster();
    answered = true;
    const metadata = await admin.fetchTopicMetadata({ topics }).catch(() => null);
    const ends = await Promise.all(topics.map((topic) => admin.fetchTopicOffsets(topic).catch(() => null)));
    const described = await admin.describeGroups(groups.map((group) => group.groupId)).catch(() => ({ groups: [] as Awaited<ReturnType<KafkaAdmin['describeGroups']>>['groups'] }));
    const committed = await Promise.all(groups.map(({ groupId, topic }) => admin.fetchOffsets({ groupId, topics: [topic] }).catch(() => null)));
    const local = control ? await control.status().catch((error: unknown) => (logger.debug({ err: error }, 'local cluster control not answering'), null)) : null;
    return {
      at: Date.now(),
      clusterId: cluster.clusterId,
      controllerId: cluster.controller,
      live: cluster.brokers.map(({ nodeId, host, port, rack }) => ({ nodeId, address: `${host}:${port}`, rack: rack ?? null })),
      nodes: local?.nodes ?? null,
      quorum: local?.quorum ?? null,
      topics: topics.map((name, index) => {
        const offsets = ends[index];
        const endOf = (partition: number) => offsets?.find((entry) => entry.partition === partition)?.high ?? null;
        const listed = metadata?.topics.find((topic) => topic.name === name)?.partitions;
        const partitions = listed
          ? listed.map((p) => ({ partition: p.partitionId, leader: p.leader, replicas: p.replicas, isr: p.isr, offlineReplicas: p.offlineReplicas ?? [], endOffset: endOf(p.partitionId) }))
          : (last?.topics.find((topic) => topic.name === name)?.partitions ?? []);
        return { name, total: offsets ? offsets.reduce((sum, entry) => sum + BigInt(entry.high), 0n) : null, partitions: partitions.sort((a, b) => a.partition - b.partition) };
      }),
      groups: groups.map(({ groupId, topic }, index) => {
        const description = described.groups.find((group) => group.groupId === groupId);
        const topicEnds = ends[topics.indexOf(topic)];
        return {
          groupId,
          state: description?.state ?? 'Unknown',
          members: (description?.members ?? []).map((member) => ({
            memberId: member.memberId,
            clientId: member.clientId,
            clientHost: member.clientHost,
            assignments: decodeMemberAssignment(member.memberAssignment),
          })),
          partitions: topicEnds && committed[index] ? toPartitionStatus(topic, topicEnds, committed[index][0]?.partitions ?? []) : [],
        };
      }),
    };
  }

  function keep(sample: Sample) {
    for (const broker of sample.live) known.set(broker.nodeId, { address: broker.address, rack: broker.rack });
    previous = last;
    last = sample;
    const lags = new Map<string, number>();
    for (const group of sample.groups) for (const p of group.partitions) lags.set(lagKey(group.groupId, p.topic, p.partition), p.lag);
    history.push({ at: sample.at, lags });
    if (history.length > historySize) history.shift();
  }

  async function tick() {
    if (running || stopped) return; // a slow broker: never two samples at once
    running = true;
    let deadline: NodeJS.Timeout | undefined;
    try {
      const limitMs = Math.max(intervalMs * 4, 15_000);
      const timedOut = new Promise<never>((_, reject) => (deadline = setTimeout(() => reject(new Error(`no answer from Kafka within ${limitMs} ms`)), limitMs)));
      keep(await Promise.race([take(), timedOut]));
      lastError = null;
    } catch (error) {
      lastError = `Kafka could not be sampled: ${error instanceof Error ? error.message : String(error)}`;
      logger.debug({ err: error }, 'console sample failed');
      if (connected) await admin.disconnect().catch(() => {});
      connected = false;
      // The control still answers when every broker is down: that is when it matters most.
      const local = control && (await control.status().catch(() => null));
      if (last) last = { ...last, ...(answered ? {} : { live: [] }), ...(local ? { nodes: local.nodes, quorum: local.quorum } : {}) };
    } finally {
      clearTimeout(deadline);
      running = false;
      // Stopped while this sample was under way: it must not leave the admin connected.
      if (stopped && connected) {
        connected = false;
        await admin.disconnect().catch(() => {});
      }
    }
  }

  function brokers(sample: Sample): BrokerView[] {
    const ids = new Set([...known.keys(), ...(sample.nodes ?? []).map((node) => node.nodeId)]);
    return [...ids]
      .sort((a, b) => a - b)
      .map((nodeId) => {
        const live = sample.live.find((broker) => broker.nodeId === nodeId);
        const local = sample.nodes?.find((node) => node.nodeId === nodeId);
        return {
          nodeId,
          address: live?.address ?? known.get(nodeId)?.address ?? local?.address ?? '?',
          rack: live?.rack ?? known.get(nodeId)?.rack ?? null,
          up: Boolean(live) && local?.state !== 'stopped',
          listed: Boolean(live),
          controller: Boolean(live) && sample.controllerId === nodeId,
          quorumLeader: sample.quorum?.leaderId === nodeId,
          localState: local?.state ?? null,
        };
      });
  }

  return {
    start() {
      stopped = false;
      void tick();
      timer = setInterval(() => void tick(), intervalMs);
      timer.unref();
    },
    async stop() {
      stopped = true;
      clearInterval(timer);
      if (connected && !running) {
        connected = false;
        await admin.disconnect().catch(() => {});
      }
    },
    /** Takes a sample now (after a failure-simulation action, so the page sees it at once). */
    sampleNow: tick,
    snapshot(): ConsoleSnapshot {
      const sampleTimes = history.map((entry) => entry.at);
      if (!last) {
        return {
          sampledAt: null,
          sampleTimes,
          error: lastError,
          cluster: { clusterId: null, controllerId: null, quorumLeaderId: null, quorumLeaderEpoch: null, brokers: [], underReplicatedPartitions: 0, offlinePartitions: 0 },
          topics: [],
          groups: [],
        };
      }
      const sample = last;
      const partitions = sample.topics.flatMap((topic) => topic.partitions);
      return {
        sampledAt: new Date(sample.at).toISOString(),
        sampleTimes,
        error: lastError,
        cluster: {
          clusterId: sample.clusterId,
          controllerId: sample.live.length > 0 ? sample.controllerId : null,
          quorumLeaderId: sample.quorum?.leaderId ?? null,
          quorumLeaderEpoch: sample.quorum?.leaderEpoch ?? null,
          brokers: brokers(sample),
          underReplicatedPartitions: partitions.filter((p) => p.isr.length < p.replicas.length).length,
          offlinePartitions: partitions.filter((p) => p.leader < 0).length,
        },
        topics: sample.topics.map((topic) => {
          const before = previous?.topics.find((candidate) => candidate.name === topic.name);
          return {
            name: topic.name,
            messagesPerSecond: ratePerSecond(previous && before && { at: previous.at, total: before.total }, { at: sample.at, total: topic.total }),
            partitions: topic.partitions,
          };
        }),
        groups: sample.groups.map((group) => ({
          ...group,
          paused: isPaused(group.groupId),
          partitions: group.partitions.map((p) => ({ ...p, lagHistory: history.map((entry) => entry.lags.get(lagKey(group.groupId, p.topic, p.partition)) ?? null) })),
        })),
      };
    },
  };
}

export type ClusterSampler = ReturnType<typeof createClusterSampler>;
