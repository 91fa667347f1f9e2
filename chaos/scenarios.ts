import { runKafkaToolAsync } from '@herald/local-infra';
import type { Admin } from 'kafkajs';
import { Client } from 'pg';
import type { ChaosSystem } from './chaos-system';

export const SCENARIOS = ['broker', 'controller', 'consumer', 'producer', 'postgres'] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

export interface FaultContext {
  system: ChaosSystem;
  admin: Admin;
  log: (line: string) => void;
}

export interface Scenario {
  label: string;
  /** Causes the fault and resolves once the part is back (started again); says what it did. */
  inject(context: FaultContext): Promise<string>;
}

const sleep = (ms: number) => new Promise((resolveWait) => setTimeout(resolveWait, ms));

/**
 * The KRaft quorum's leader (the active controller), from `kafka-metadata-quorum describe
 * --status`. Not kafkajs' describeCluster: in KRaft, a broker names a random live broker as the
 * "controller" in its metadata answer (clients cannot reach the quorum), which is the active
 * controller only by chance.
 */
export async function quorumLeader(brokers: string[]): Promise<number> {
  const status = await runKafkaToolAsync('metadata-quorum', ['--bootstrap-server', brokers.join(','), 'describe', '--status']);
  const leader = /LeaderId:\s+(\d+)/.exec(status)?.[1];
  if (!leader) throw new Error(`kafka-metadata-quorum did not name a leader: ${status.slice(0, 200)}`);
  return Number(leader);
}

/** Unsent outbox rows now (0 when the database does not answer). */
async function unsentOutboxRows(databaseUrl: string): Promise<number> {
  const client = new Client({ connectionString: databaseUrl });
  try {
    await client.connect();
    return Number((await client.query<{ n: string }>('SELECT count(*) AS n FROM outbox_events WHERE sent_at IS NULL')).rows[0]!.n);
  } catch {
    return 0;
  } finally {
    await client.end().catch(() => {});
  }
}

const killAndRestartNode = async ({ system, log }: FaultContext, nodeId: number, what: string) => {
  const started = Date.now();
  await system.cluster.killNode(nodeId);
  log(`  kill -9 of node ${nodeId} (${what}); down for 10 s`);
  await sleep(10_000);
  await system.cluster.startNode(nodeId);
  return `node ${nodeId} (${what}) killed -9, started again after ${((Date.now() - started) / 1000).toFixed(1)} s`;
};

export const scenarios: Record<ScenarioName, Scenario> = {
  broker: {
    label: '(a) a broker killed -9, restarted',
    async inject(context) {
      // A node that is not the quorum leader: the controller is scenario (b).
      const leader = await quorumLeader(context.system.brokers);
      const nodeId = [1, 2, 3].find((id) => id !== leader)!;
      return killAndRestartNode(context, nodeId, `a broker and follower controller; quorum leader is ${leader}`);
    },
  },
  controller: {
    label: '(b) the active controller killed -9, restarted',
    async inject(context) {
      const leader = await quorumLeader(context.system.brokers);
      const { controller } = await context.admin.describeCluster();
      const done = await killAndRestartNode(context, leader, `quorum leader per kafka-metadata-quorum; kafkajs describeCluster named ${controller}`);
      return `${done}; quorum leader now ${await quorumLeader(context.system.brokers)}`;
    },
  },
  consumer: {
    label: '(c) one of two consumer tasks killed -9 mid-batch, restarted',
    async inject({ system, log }) {
      const started = Date.now();
      await system.killConsumer(1);
      log('  kill -9 of consumer task 2 while it projects; the other takes its partitions after the 6 s session timeout; down for 10 s');
      await sleep(10_000);
      await system.startConsumer(1);
      return `consumer task 2 killed -9 mid-stream, started again after ${((Date.now() - started) / 1000).toFixed(1)} s`;
    },
  },
  producer: {
    label: '(d) the producer killed -9 mid-publish, restarted',
    async inject({ system, log }) {
      // Mid-publish: at an instant when the relay has committed rows it has not yet sent.
      let unsent = 0;
      for (const until = Date.now() + 5_000; unsent === 0 && Date.now() < until; ) unsent = await unsentOutboxRows(system.producerDatabaseUrl);
      const started = Date.now();
      await system.killProducer();
      log(`  kill -9 of the producer with ${unsent} outbox rows unsent; down for 5 s`);
      await sleep(5_000);
      await system.startProducer();
      return `producer killed -9 with ${unsent} outbox rows unsent, answering again after ${((Date.now() - started) / 1000).toFixed(1)} s`;
    },
  },
  postgres: {
    label: '(e) PostgreSQL restarted',
    async inject({ system, log }) {
      const started = Date.now();
      log('  PostgreSQL stopped (fast shutdown); down for 5 s');
      await system.restartPostgres(5_000);
      return `PostgreSQL stopped and started again after ${((Date.now() - started) / 1000).toFixed(1)} s; the services were left to recover by themselves`;
    },
  },
};
