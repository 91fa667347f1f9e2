import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InfraError } from '../infra-error';
import { newClusterId, startKafkaBroker, type KafkaBroker, type KafkaBrokerOptions } from './kafka-broker';

export type NodeState = 'running' | 'stopped' | 'starting';

export interface ClusterNode {
  nodeId: number;
  address: string;
  state: NodeState;
  pid: number | null;
  logFile: string;
}

/** An action that does not fit the node's state (starting a running node, stopping a stopped one). */
export class NodeStateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NodeStateError';
  }
}

/** The KRaft quorum's leader (the active controller) and its epoch, as the nodes last wrote it. */
export interface QuorumLeader {
  leaderId: number | null;
  leaderEpoch: number;
}

export interface KafkaCluster {
  /** Every node's client address, comma-separated: what KAFKA_BROKERS gets. */
  brokers: string;
  size: number;
  nodes(): ClusterNode[];
  /**
   * The active controller, from the quorum state each running node keeps beside its metadata log
   * (Kafka's client protocol cannot say it: a Metadata answer names any broker as "controller").
   * The newest epoch among the running nodes wins; `leaderId` is null during an election.
   */
  quorumLeader(): QuorumLeader;
  /** A clean stop of one node (SIGTERM); resolves once its process has exited. */
  stopNode(nodeId: number): Promise<ClusterNode>;
  /** A crash of one node (SIGKILL); resolves once its process has exited. */
  killNode(nodeId: number): Promise<ClusterNode>;
  /** Starts a stopped node again with the same data; resolves once it logged that it started. */
  startNode(nodeId: number): Promise<ClusterNode>;
  /** Called with the node (and the pid that ended) when one exits without having been asked to (a crash, a kill from outside). */
  onUnexpectedExit(listener: (node: ClusterNode) => void): void;
  stop(): Promise<void>;
}

export interface KafkaClusterOptions {
  /** One entry per node: its client and controller ports. One entry makes a single broker. */
  ports: Array<{ port: number; controllerPort: number }>;
  /** A single node keeps its data here; node N of a cluster in `node-N/`. */
  dataDir: string;
  heapMb?: number;
  startTimeoutMs?: number;
}

/** Ports for `size` nodes from the configured first pair: 9092/9093, 9094/9095, 9096/9097... */
export const clusterPorts = (size: number, port: number, controllerPort: number) =>
  Array.from({ length: size }, (_, index) => ({ port: port + 2 * index, controllerPort: controllerPort + 2 * index }));

/**
 * A real Kafka cluster of one or more KRaft nodes (each broker and controller), every node a
 * process of its own that can be stopped, killed and started again while the others keep
 * serving: the failure suite and the console's failure simulation act through this.
 * A node of several keeps its cluster id in its formatted storage, so a restart (of a node or of
 * the whole cluster) brings back the same cluster with its data.
 */
export async function startKafkaCluster({ ports, dataDir, heapMb, startTimeoutMs }: KafkaClusterOptions): Promise<KafkaCluster> {
  if (ports.length === 0) throw new InfraError('Kafka: a cluster needs at least one node');
  const several = ports.length > 1;
  const voters = ports.map(({ controllerPort }, index) => `${index + 1}@127.0.0.1:${controllerPort}`).join(',');
  const clusterId = newClusterId(); // used only when a node's storage is formatted (its first start)
  const optionsOf = (index: number): KafkaBrokerOptions => {
    const nodeDir = several ? join(dataDir, `node-${index + 1}`) : dataDir;
    const { port, controllerPort } = ports[index]!;
    return {
      port,
      controllerPort,
      dataDir: nodeDir,
      logFile: join(nodeDir, 'server.log'),
      heapMb,
      startTimeoutMs,
      ...(several ? { quorum: { nodeId: index + 1, voters, clusterId }, overlays: ['cluster.properties'] } : {}),
    };
  };
  interface Slot {
    options: KafkaBrokerOptions;
    state: NodeState;
    broker?: KafkaBroker;
    /** Set while this runner stops the node, so its exit is not taken for a crash. */
    stopping: boolean;
  }
  const slots: Slot[] = ports.map((_, index) => ({ options: optionsOf(index), state: 'stopped', stopping: false }));
  const listeners: Array<(node: ClusterNode) => void> = [];
  let closing = false;

  const view = (slot: Slot, index: number): ClusterNode => ({
    nodeId: index + 1,
    address: `127.0.0.1:${slot.options.port}`,
    state: slot.state,
    pid: slot.state === 'stopped' ? null : (slot.broker?.pid ?? null),
    logFile: slot.options.logFile,
  });
  const slotOf = (nodeId: number): [Slot, number] => {
    const slot = slots[nodeId - 1];
    if (!Number.isInteger(nodeId) || !slot) throw new RangeError(`no node ${nodeId}: the nodes are 1 to ${slots.length}`);
    return [slot, nodeId - 1];
  };

  const launch = async (slot: Slot, index: number): Promise<ClusterNode> => {
    slot.state = 'starting';
    try {
      const broker = await startKafkaBroker(slot.options);
      slot.broker = broker;
      slot.state = 'running';
      void broker.exited.then(() => {
        if (slot.broker !== broker) return;
        slot.state = 'stopped';
        if (!slot.stopping && !closing) for (const listener of listeners) listener({ ...view(slot, index), pid: broker.pid });
      });
      return view(slot, index);
    } catch (error) {
      slot.state = 'stopped';
      throw error;
    }
  };
  const halt = async (nodeId: number, how: 'stop' | 'kill'): Promise<ClusterNode> => {
    const [slot, index] = slotOf(nodeId);
    if (slot.state !== 'running' || !slot.broker) throw new NodeStateError(`node ${nodeId} is ${slot.state}, not running`);
    slot.stopping = true;
    try {
      await slot.broker[how]();
      await slot.broker.exited;
    } finally {
      slot.stopping = false;
    }
    slot.state = 'stopped';
    return view(slot, index);
  };

  const cluster: KafkaCluster = {
    brokers: slots.map((slot) => `127.0.0.1:${slot.options.port}`).join(','),
    size: slots.length,
    nodes: () => slots.map(view),
    quorumLeader: () => {
      let newest: QuorumLeader = { leaderId: null, leaderEpoch: -1 };
      for (const slot of slots.filter(({ state }) => state === 'running')) {
        const file = join(slot.options.dataDir, 'logs', '__cluster_metadata-0', 'quorum-state');
        try {
          const { leaderId, leaderEpoch } = JSON.parse(readFileSync(file, 'utf8')) as { leaderId?: number; leaderEpoch?: number };
          if (typeof leaderEpoch === 'number' && leaderEpoch > newest.leaderEpoch) newest = { leaderId: typeof leaderId === 'number' && leaderId >= 0 ? leaderId : null, leaderEpoch };
        } catch {
          // Not written yet (a node starting) or being replaced this instant: the others answer.
        }
      }
      return newest;
    },
    stopNode: (nodeId) => halt(nodeId, 'stop'),
    killNode: (nodeId) => halt(nodeId, 'kill'),
    startNode: (nodeId) => {
      const [slot, index] = slotOf(nodeId);
      if (slot.state !== 'stopped') return Promise.reject(new NodeStateError(`node ${nodeId} is ${slot.state}, not stopped`));
      return launch(slot, index);
    },
    onUnexpectedExit: (listener) => void listeners.push(listener),
    stop: async () => {
      closing = true;
      // All at once: a node waits for the quorum to hand over, and the last ones cannot.
      await Promise.all(slots.map((slot) => (slot.state === 'stopped' ? undefined : slot.broker?.stop())));
      for (const slot of slots) slot.state = 'stopped';
    },
  };
  // The nodes of a quorum start together: none finishes starting until a majority is up.
  const started = await Promise.allSettled(slots.map(launch));
  const failed = started.find((outcome) => outcome.status === 'rejected');
  if (failed) {
    await cluster.stop();
    throw failed.reason;
  }
  return cluster;
}
