import { createHttpDurationHistogram, oncePerScrape } from '@herald/http';
import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';
import type { GroupStatus } from '@herald/kafka';

export interface ConsumerMetrics {
  processed: Counter<'topic'>;
  failed: Counter<'topic'>;
  redelivered: Counter<'topic'>;
  retried: Counter<'topic'>;
  deadLettered: Counter<'topic'>;
  crashes: Counter<'group' | 'restarted_by'>;
  offsetCommits: Counter<'group'>;
  joined: Gauge<'group'>;
}

/** The consumer's Prometheus metrics, in a registry of its own. Lag is read from Kafka at scrape time. */
export function createMetrics({ groupStatus }: { groupStatus: () => Promise<GroupStatus[]> }) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const counter = (name: string, help: string) => new Counter({ name, help, labelNames: ['topic'] as const, registers: [registry] });
  const consumer: ConsumerMetrics = {
    processed: counter('herald_consumer_processed_total', 'Events written to the read models'),
    failed: counter('herald_consumer_failed_total', 'Event handling failures'),
    redelivered: counter('herald_consumer_redelivered_total', 'Events already in the read model (redeliveries), which changed nothing'),
    retried: counter('herald_consumer_retried_total', 'Events sent to the retry topic'),
    deadLettered: counter('herald_consumer_dead_lettered_total', 'Events sent to the dead-letter queue'),
    crashes: new Counter({
      name: 'herald_consumer_crashes_total',
      help: 'Consumer crashes, by group and by who restarted the consumer (kafkajs itself, or the service after kafkajs gave up)',
      labelNames: ['group', 'restarted_by'] as const,
      registers: [registry],
    }),
    offsetCommits: new Counter({
      name: 'herald_consumer_offset_commits_total',
      help: 'OffsetCommit requests the broker accepted, by group (CONSUMER_COMMIT_INTERVAL_MS bounds them for the projection groups)',
      labelNames: ['group'] as const,
      registers: [registry],
    }),
    joined: new Gauge({ name: 'herald_consumer_joined', help: '1 while the consumer is a member of its group, else 0', labelNames: ['group'] as const, registers: [registry] }),
  };
  // Lag, read from Kafka once per scrape and served under two sets of names: Herald's own, and
  // those of danielqsj/kafka-exporter (kafka_consumergroup_lag{consumergroup,topic,partition} and
  // its per-topic sum), so dashboards and alerts written for that exporter work unchanged.
  const readGroups = oncePerScrape(() => groupStatus().catch((): GroupStatus[] => []));
  const perPartition = async (set: (labels: { group: string; topic: string; partition: string }, lag: number) => void) => {
    for (const group of await readGroups()) {
      for (const p of group.partitions) set({ group: group.groupId, topic: p.topic, partition: String(p.partition) }, p.lag);
    }
  };
  new Gauge({
    name: 'herald_consumer_lag',
    help: 'Messages not yet committed by the group, per topic and partition',
    labelNames: ['group', 'topic', 'partition'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      await perPartition((labels, lag) => this.set(labels, lag));
    },
  });
  new Gauge({
    name: 'kafka_consumergroup_lag',
    help: 'Current approximate lag of a consumer group at topic/partition (herald_consumer_lag under kafka-exporter names)',
    labelNames: ['consumergroup', 'topic', 'partition'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      await perPartition(({ group, topic, partition }, lag) => this.set({ consumergroup: group, topic, partition }, lag));
    },
  });
  new Gauge({
    name: 'kafka_consumergroup_lag_sum',
    help: 'Current approximate lag of a consumer group at topic, for all partitions',
    labelNames: ['consumergroup', 'topic'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      await perPartition(({ group, topic }, lag) => this.inc({ consumergroup: group, topic }, lag));
    },
  });
  const httpDuration = createHttpDurationHistogram(registry);
  return { registry, consumer, httpDuration };
}

export type Metrics = ReturnType<typeof createMetrics>;
