/** A counter labelled by topic (prom-client's Counter fits). */
export interface TopicCounter {
  inc(labels: { topic: string }, value?: number): void;
}

/**
 * What the consumers count. An interface, not prom-client itself: the service owns its registry
 * and names (consumer/src/http/metrics.ts), this library only counts into it.
 */
export interface ConsumerMetrics {
  processed: TopicCounter;
  failed: TopicCounter;
  redelivered: TopicCounter;
  retried: TopicCounter;
  deadLettered: TopicCounter;
  crashes: { inc(labels: { group: string; restarted_by: string }): void };
  offsetCommits: { inc(labels: { group: string }): void };
  joined: { set(labels: { group: string }, value: number): void };
}
