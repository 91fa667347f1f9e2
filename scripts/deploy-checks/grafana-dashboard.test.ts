import { readJson } from './deploy-files';
import { exportedMetrics, readPromql, unknownMetrics } from './prometheus-metrics';

const DASHBOARD = 'docs/config/grafana/herald-dashboard.json';
const DATASOURCE = { type: 'prometheus', uid: '${datasource}' };

interface Target {
  refId?: string;
  expr?: string;
  datasource?: { type?: string; uid?: string };
}
interface Panel {
  id?: number;
  type?: string;
  title?: string;
  gridPos?: { x: number; y: number; w: number; h: number };
  datasource?: { type?: string; uid?: string };
  targets?: Target[];
  fieldConfig?: { defaults?: { unit?: string } };
  panels?: Panel[];
}
interface Dashboard {
  uid?: string;
  title?: string;
  schemaVersion?: number;
  templating?: { list?: Array<{ name: string; type: string; query?: string }> };
  panels?: Panel[];
}

/** Every panel, those inside rows included. */
const allPanels = (dashboard: Dashboard): Panel[] => (dashboard.panels ?? []).flatMap((panel) => [panel, ...(panel.panels ?? [])]);

/** A panel expression as Prometheus receives it: Grafana's interval macros become a duration. */
const toPromql = (expr: string) => expr.replace(/\$(__rate_interval|__interval|__range)\b|\$\{(__rate_interval|__interval|__range)\}/g, '5m');

const expressions = (dashboard: Dashboard) =>
  allPanels(dashboard)
    .flatMap((panel) => panel.targets ?? [])
    .map((target) => toPromql(target.expr ?? ''));

const overlap = (a: Panel['gridPos'] & object, b: Panel['gridPos'] & object) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

/** What Grafana or Prometheus would refuse in a dashboard, or show as "No data" for good. */
function problems(dashboard: Dashboard, exported: Set<string>): string[] {
  const found: string[] = [];
  if (!/^[A-Za-z0-9_-]{1,40}$/.test(dashboard.uid ?? '')) found.push(`uid ${dashboard.uid} is not a Grafana uid`);
  if (!dashboard.title) found.push('no title');
  if (!((dashboard.schemaVersion ?? 0) >= 39)) found.push(`schemaVersion ${dashboard.schemaVersion} is older than Grafana 11's (39)`);
  const variable = dashboard.templating?.list?.find((entry) => entry.name === 'datasource');
  if (variable?.type !== 'datasource' || variable.query !== 'prometheus') found.push('no `datasource` variable of Prometheus data sources');

  const panels = allPanels(dashboard);
  if (panels.length === 0) found.push('no panels');
  const ids = panels.map((panel) => panel.id);
  for (const id of ids) if (!Number.isInteger(id) || ids.indexOf(id) !== ids.lastIndexOf(id)) found.push(`panel id ${id} is not a unique integer`);
  for (const panel of panels) {
    const name = `panel ${panel.id} (${panel.title})`;
    const grid = panel.gridPos;
    if (!grid || ![grid.x, grid.y, grid.w, grid.h].every(Number.isInteger) || grid.w < 1 || grid.h < 1 || grid.x < 0 || grid.x + grid.w > 24) {
      found.push(`${name}: gridPos ${JSON.stringify(grid)} does not fit Grafana's 24 columns`);
    } else {
      const hidden = panels.find((other) => other !== panel && other.gridPos && overlap(grid, other.gridPos));
      if (hidden && (hidden.id ?? 0) > (panel.id ?? 0)) found.push(`${name} overlaps panel ${hidden.id}`);
    }
    if (panel.type === 'row') continue;
    if (!panel.title) found.push(`${name}: no title`);
    if (!panel.fieldConfig?.defaults?.unit) found.push(`${name}: no unit`);
    if (JSON.stringify(panel.datasource) !== JSON.stringify(DATASOURCE)) found.push(`${name}: data source is not \${datasource}`);
    const targets = panel.targets ?? [];
    if (targets.length === 0) found.push(`${name}: no targets`);
    const refIds = targets.map((target) => target.refId);
    if (new Set(refIds).size !== refIds.length || refIds.some((refId) => !refId)) found.push(`${name}: refIds ${refIds.join(',')} are not unique`);
    for (const target of targets) {
      const expr = toPromql(target.expr ?? '');
      const { metrics, valid } = readPromql(expr);
      if (!valid || metrics.length === 0) found.push(`${name}: ${target.refId} does not parse or selects no metric: ${target.expr}`);
      if (expr.includes('$')) found.push(`${name}: ${target.refId} uses a variable the dashboard does not define: ${target.expr}`);
      if (JSON.stringify(target.datasource) !== JSON.stringify(DATASOURCE)) found.push(`${name}: ${target.refId}'s data source is not \${datasource}`);
    }
  }
  for (const metric of unknownMetrics(expressions(dashboard), exported)) found.push(`${metric} is not a metric Herald exports`);
  return found;
}

describe(`the Grafana dashboard (${DASHBOARD})`, () => {
  const dashboard = readJson<Dashboard>(DASHBOARD);
  let metrics: Map<string, string[]>;
  let exported: Set<string>;

  beforeAll(async () => {
    metrics = await exportedMetrics();
    exported = new Set([...metrics.values()].flat());
  });

  it('is one Grafana can load: uid, title, a Prometheus data-source variable, panels with unique ids and places, units, and PromQL that parses over metrics Herald exports', () => {
    expect(problems(dashboard, exported)).toEqual([]);
  });

  it("shows every herald_* metric the services export (consumer lag under kafka-exporter's name)", () => {
    const shown = new Set(expressions(dashboard).flatMap((expr) => readPromql(expr).metrics));
    const shownAs: Record<string, string> = { herald_consumer_lag: 'kafka_consumergroup_lag_sum' };
    const missing = [...metrics.entries()]
      .filter(([name]) => name.startsWith('herald_'))
      .filter(([name, series]) => !series.some((s) => shown.has(s)) && !shown.has(shownAs[name] ?? name))
      .map(([name]) => name);
    expect(missing).toEqual([]);
  });

  describe('fails a dashboard that Grafana or Prometheus would not show', () => {
    const broken = (change: (copy: Dashboard) => void) => {
      const copy = structuredClone(dashboard);
      change(copy);
      return problems(copy, exported);
    };
    const firstQuery = (copy: Dashboard) => allPanels(copy).find((panel) => panel.targets?.length)!;

    it('a typo in a metric name', () => {
      expect(
        broken((copy) => {
          firstQuery(copy).targets![0]!.expr = 'sum by (topic) (rate(herald_consumer_procesed_total[$__rate_interval]))';
        }),
      ).toEqual(['herald_consumer_procesed_total is not a metric Herald exports']);
    });

    it('an expression that does not parse', () => {
      expect(
        broken((copy) => {
          firstQuery(copy).targets![0]!.expr = 'sum(rate(herald_consumer_processed_total[5m])';
        }),
      ).toEqual([expect.stringContaining('does not parse')]);
    });

    it('two panels with one id', () => {
      expect(
        broken((copy) => {
          const [a, b] = allPanels(copy);
          b!.id = a!.id;
        }),
      ).toEqual(expect.arrayContaining([expect.stringContaining('is not a unique integer')]));
    });

    it('a panel on a fixed data source', () => {
      expect(
        broken((copy) => {
          firstQuery(copy).datasource = { type: 'prometheus', uid: 'prod' };
        }),
      ).toEqual([expect.stringContaining('data source is not ${datasource}')]);
    });
  });
});
