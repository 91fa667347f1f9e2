import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import { freePort } from '../net';
import { startClusterControl, type ClusterControl } from './cluster-control-server';
import { startKafkaCluster, type KafkaCluster } from './kafka-cluster';

const TOPIC = 'cluster-check';

/** Leader and in-sync replicas of each partition of TOPIC, from the cluster's metadata. */
async function partitions(admin: Admin) {
  const [topic] = (await admin.fetchTopicMetadata({ topics: [TOPIC] })).topics;
  return topic!.partitions.map(({ partitionId, leader, isr }) => ({ partitionId, leader, isr: [...isr].sort() }));
}

async function eventually<T>(read: () => Promise<T>, accept: (value: T) => boolean, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  while (Date.now() < deadline) {
    last = await read().catch(() => undefined);
    if (last !== undefined && accept(last)) return last;
    await new Promise((resolveWait) => setTimeout(resolveWait, 500));
  }
  throw new Error(`not reached in ${timeoutMs} ms; last: ${JSON.stringify(last)}`);
}

describe('a local three-node Kafka cluster (npm start -- --brokers 3)', () => {
  let cluster: KafkaCluster;
  let control: ClusterControl;
  let admin: Admin;
  let kafka: Kafka;

  beforeAll(async () => {
    const ports = [];
    for (let i = 0; i < 3; i += 1) ports.push({ port: await freePort(), controllerPort: await freePort() });
    const dataDir = join(process.env.HERALD_TEST_DATA_DIR ?? '.herald/test', `cluster-${randomBytes(4).toString('hex')}`);
    cluster = await startKafkaCluster({ ports, dataDir, heapMb: 320 });
    control = await startClusterControl({ cluster });
    kafka = new Kafka({ clientId: 'cluster-test', brokers: cluster.brokers.split(','), logLevel: logLevel.NOTHING, retry: { retries: 10 } });
    admin = kafka.admin();
    await admin.connect();
    // The broker defaults come from docs/config/ (cluster.properties): three copies, two in sync.
    await admin.createTopics({ topics: [{ topic: TOPIC, numPartitions: 3 }], waitForLeaders: false });
    // Not kafkajs' waitForLeaders: a node whose metadata has not caught up yet answers "unknown
    // topic", which it does not retry.
    await eventually(() => partitions(admin), (now) => now.length === 3 && now.every(({ leader, isr }) => leader >= 1 && isr.length === 3));
  }, 180_000);

  afterAll(async () => {
    await admin?.disconnect();
    await control?.close();
    await cluster?.stop();
  }, 90_000);

  const call = (path: string, init: RequestInit = {}, token: string | null = control.token) =>
    fetch(`${control.url}${path}`, { ...init, headers: token ? { authorization: `Bearer ${token}` } : {} }).then(async (response) => ({ status: response.status, body: (await response.json()) as Record<string, unknown> }));

  it('replicates every partition to all three nodes, as cluster.properties says, with min.insync.replicas=2', async () => {
    expect(await partitions(admin)).toEqual([0, 1, 2].map((partitionId) => expect.objectContaining({ partitionId, isr: [1, 2, 3] })));
    const configs = await admin.describeConfigs({ resources: [{ type: 2, name: TOPIC, configNames: ['min.insync.replicas'] }], includeSynonyms: false });
    expect(configs.resources[0]?.configEntries[0]?.configValue).toBe('2');
  });

  it('answers node actions only with its token, and names what is wrong without a stack', async () => {
    expect((await call('/nodes', {}, null)).status).toBe(401);
    expect((await call('/nodes', {}, `${control.token}x`)).status).toBe(401);
    expect((await call('/nodes/9/kill', { method: 'POST' })).body).toEqual({ error: { code: 'UNKNOWN_NODE', message: 'no such node; the nodes are 1 to 3' } });
    expect((await call('/nodes/1/start', { method: 'POST' })).status).toBe(409);
    expect((await call('/nodes/1/kill')).status).toBe(405);
    const { body } = await call('/nodes');
    expect(body.nodes).toEqual([1, 2, 3].map((nodeId) => ({ nodeId, address: expect.stringMatching(/^127\.0\.0\.1:\d+$/), pid: expect.any(Number), state: 'running' })));
    expect(body.quorum).toEqual({ leaderId: expect.any(Number), leaderEpoch: expect.any(Number) });
  });

  it('names the active controller, and a new one once it is killed', async () => {
    const { leaderId, leaderEpoch } = cluster.quorumLeader();
    expect([1, 2, 3]).toContain(leaderId);
    await cluster.killNode(leaderId!);
    try {
      const next = await eventually(async () => cluster.quorumLeader(), (now) => now.leaderId !== null && now.leaderEpoch > leaderEpoch);
      expect(next.leaderId).not.toBe(leaderId);
    } finally {
      await cluster.startNode(leaderId!);
    }
    await eventually(() => partitions(admin), (now) => now.every(({ isr }) => isr.length === 3));
  }, 180_000);

  it('keeps taking acks=all writes while a killed node is down, and the node catches up when started again', async () => {
    const leader = (await partitions(admin))[0]!.leader;
    const killed = await call(`/nodes/${leader}/kill`, { method: 'POST' });
    expect(killed).toEqual({ status: 200, body: { node: expect.objectContaining({ nodeId: leader, state: 'stopped', pid: null }) } });
    expect((await call(`/nodes/${leader}/kill`, { method: 'POST' })).status).toBe(409);

    // Leadership moves to a node in sync, and the ISR shrinks to the two that are left.
    const moved = await eventually(() => partitions(admin), (now) => now.every(({ leader: l, isr }) => l !== leader && isr.length === 2));
    expect(moved[0]!.isr).not.toContain(leader);
    const producer = kafka.producer({ idempotent: true });
    await producer.connect();
    try {
      await producer.send({ topic: TOPIC, acks: -1, messages: Array.from({ length: 30 }, (_, i) => ({ key: String(i), value: `while node ${leader} is down` })) });
    } finally {
      await producer.disconnect();
    }

    const started = await call(`/nodes/${leader}/start`, { method: 'POST' });
    expect(started).toEqual({ status: 200, body: { node: expect.objectContaining({ nodeId: leader, state: 'running', pid: expect.any(Number) }) } });
    await eventually(() => partitions(admin), (now) => now.every(({ isr }) => isr.length === 3));
    const offsets = await admin.fetchTopicOffsets(TOPIC);
    expect(offsets.reduce((sum, { high }) => sum + Number(high), 0)).toBe(30);
  }, 180_000);
});
