import { parser } from '@prometheus-io/lezer-promql';
import type { Registry } from 'prom-client';
import { createMetrics as createConsumerMetrics } from '../../consumer/src/http/metrics';
import { createMetrics as createProducerMetrics } from '../../producer/src/http/metrics';

/** The metric names a PromQL expression selects, and whether it parsed without an error node (Prometheus' own grammar). */
export function readPromql(expr: string): { metrics: string[]; valid: boolean } {
  const tree = parser.parse(expr);
  const metrics: string[] = [];
  let valid = true;
  const cursor = tree.cursor();
  do {
    if (cursor.type.isError) valid = false;
    if (cursor.name === 'VectorSelector') {
      const identifier = cursor.node.getChild('Identifier');
      if (identifier) metrics.push(expr.slice(identifier.from, identifier.to));
    }
  } while (cursor.next());
  return { metrics, valid };
}

/** The series names Prometheus stores for a metric of a type: a histogram's buckets, sum and count. */
function seriesNames(name: string, type: string): string[] {
  if (type === 'histogram') return [`${name}_bucket`, `${name}_sum`, `${name}_count`];
  if (type === 'summary') return [name, `${name}_sum`, `${name}_count`];
  return [name];
}

async function metricsIn(registry: Registry): Promise<Array<[string, string[]]>> {
  const metrics = await registry.getMetricsAsJSON();
  return metrics.map((metric) => [metric.name, seriesNames(metric.name, String(metric.type))]);
}

/**
 * Every metric the producer's and the consumer's /metrics can serve, with the series names
 * Prometheus stores for it, from the services' own metric registries (built here with readers
 * that need no database or broker): what Herald exports, by the code that exports it.
 */
export async function exportedMetrics(): Promise<Map<string, string[]>> {
  const producer = createProducerMetrics({ pendingOutbox: () => Promise.resolve({ count: 0, oldestAgeSeconds: 0 }) });
  const consumer = createConsumerMetrics({ groupStatus: () => Promise.resolve([]) });
  return new Map([...(await metricsIn(producer.registry)), ...(await metricsIn(consumer.registry))]);
}

/** Every series name Herald's /metrics can serve (a histogram's as _bucket, _sum and _count). */
export async function exportedSeries(): Promise<Set<string>> {
  return new Set([...(await exportedMetrics()).values()].flat());
}

/** The metrics the expressions select that Herald does not export (a typo, or a metric that was renamed). */
export function unknownMetrics(exprs: string[], exported: Set<string>): string[] {
  return [...new Set(exprs.flatMap((expr) => readPromql(expr).metrics))].filter((name) => !exported.has(name));
}
