import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { request } from '@herald/testing';
import { parse } from 'yaml';
import { startSystem, type TestSystem } from '../../consumer/test/support/system';
import { ROOT } from './deploy-files';
import { exportedSeries, readPromql, unknownMetrics } from './prometheus-metrics';

interface Rule {
  alert: string;
  expr: string;
  for?: string;
  labels: { severity: string };
  annotations: { summary: string; runbook_url: string };
}

const rules: Rule[] = (parse(readFileSync(join(ROOT, 'docs/config/prometheus-rules.yml'), 'utf8')) as { groups: Array<{ rules: Rule[] }> }).groups.flatMap((group) => group.rules);

/** GitHub's anchor for a Markdown heading. */
const anchor = (heading: string) => heading.toLowerCase().replace(/[^a-z0-9 -]/g, '').trim().replace(/ /g, '-');
const runbookAnchors = new Set(
  readFileSync(join(ROOT, 'docs/operations.md'), 'utf8')
    .split('\n')
    .filter((line) => line.startsWith('## '))
    .map((line) => anchor(line.slice(3))),
);

describe('the Prometheus alert rules (docs/config/prometheus-rules.yml)', () => {
  it.each(rules.map((rule) => [rule.alert, rule] as const))('%s parses, has a severity and a summary, and links a runbook section that exists', (_name, rule) => {
    const { metrics, valid } = readPromql(rule.expr);
    expect(valid).toBe(true);
    expect(metrics.length).toBeGreaterThan(0);
    expect(['warning', 'critical']).toContain(rule.labels.severity);
    expect(rule.annotations.summary).toMatch(/\S/);
    const [file, section] = rule.annotations.runbook_url.split('#');
    expect(file).toBe('docs/operations.md');
    expect([...runbookAnchors]).toContain(section);
  });

  it('fails an expression that does not parse', () => {
    expect(readPromql('sum(rate(herald_consumer_lag[5m])').valid).toBe(false);
  });

  it("names only metrics that the producer's or the consumer's metric registry defines", async () => {
    expect(unknownMetrics(rules.map((rule) => rule.expr), await exportedSeries())).toEqual([]);
  });

  describe('against the running services', () => {
    let system: TestSystem;

    beforeAll(async () => {
      system = await startSystem();
    }, 120_000);

    afterAll(async () => {
      await system?.stop();
    });

    it("names only metrics that the producer's or the consumer's /metrics serves", async () => {
      const served = new Set<string>();
      for (const url of [system.producerUrl, system.consumerUrl]) {
        const text = (await request(url, 'GET', '/metrics', undefined, system.asOperator)).body as string;
        for (const match of text.matchAll(/^# TYPE (\S+) /gm)) served.add(match[1]!);
      }
      const base = (name: string) => name.replace(/_(count|sum|bucket)$/, '');
      const missing = rules.flatMap((rule) => readPromql(rule.expr).metrics).filter((name) => !served.has(name) && !served.has(base(name)));
      expect(missing).toEqual([]);
    });
  });
});
