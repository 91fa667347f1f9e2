import { createHttpDurationHistogram } from '@herald/http';
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
  new Gauge({
    name: 'herald_consumer_lag',
    help: 'Messages not yet committed by the group, per topic and partition',
    labelNames: ['group', 'topic', 'partition'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      const groups = await groupStatus().catch(() => []);
      for (const group of groups) {
        for (const p of group.partitions) this.set({ group: group.groupId, topic: p.topic, partition: String(p.partition) }, p.lag);
      }
    },
  });
  const httpDuration = createHttpDurationHistogram(registry);
  return { registry, consumer, httpDuration };
}

export type Metrics = ReturnType<typeof createMetrics>;
