import { createHttpDurationHistogram, oncePerScrape } from '@herald/http';
import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';

/** What the relay counts (prom-client counters here; messages to the main thread in the relay's thread). */
export interface OutboxMetrics {
  published: { inc(count?: number): void };
  failures: { inc(): void };
}

/**
 * The producer's Prometheus metrics, in a registry of its own (no global state, so several
 * instances can live in one test process).
 */
export function createMetrics({ pendingOutbox }: { pendingOutbox: () => Promise<{ count: number; oldestAgeSeconds: number }> }) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const httpDuration = createHttpDurationHistogram(registry);
  const outbox: OutboxMetrics = {
    published: new Counter({ name: 'herald_outbox_published_total', help: 'Outbox events published to Kafka', registers: [registry] }),
    failures: new Counter({ name: 'herald_outbox_publish_failures_total', help: 'Failed outbox publish attempts', registers: [registry] }),
  };
  // Read at scrape time, so the figures are those of the database, shared by all instances.
  const readPending = oncePerScrape(pendingOutbox);
  new Gauge({
    name: 'herald_outbox_pending',
    help: 'Outbox events not yet published',
    registers: [registry],
    async collect() {
      this.set((await readPending().catch(() => ({ count: -1 }))).count);
    },
  });
  new Gauge({
    name: 'herald_outbox_oldest_pending_seconds',
    help: 'Age of the oldest unpublished outbox event (0 when none)',
    registers: [registry],
    async collect() {
      this.set((await readPending().catch(() => ({ oldestAgeSeconds: -1 }))).oldestAgeSeconds);
    },
  });
  return { registry, httpDuration, outbox };
}

export type Metrics = ReturnType<typeof createMetrics>;
