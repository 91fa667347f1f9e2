import Table from 'cli-table3';
import { fixed, type LatencySummary } from './stats';

export interface TableRow {
  name: string;
  summary: LatencySummary;
  /** Extra columns after the latency ones, already formatted. */
  extra?: Record<string, string>;
}

/** One row per measured thing: count, trimmed mean and percentiles in ms, then any extra columns. */
export function latencyTable(rows: TableRow[]): string {
  const extraHeads = [...new Set(rows.flatMap((row) => Object.keys(row.extra ?? {})))];
  const table = new Table({ head: ['', 'count', 'tmean ms', 'p50', 'p90', 'p99', 'max', ...extraHeads], style: { head: [], border: [] } });
  for (const { name, summary, extra = {} } of rows) {
    table.push([name, String(summary.count), fixed(summary.trimmedMean, 2), fixed(summary.p50, 2), fixed(summary.p90, 2), fixed(summary.p99, 2), fixed(summary.max, 2), ...extraHeads.map((head) => extra[head] ?? '')]);
  }
  return table.toString();
}

export interface Verdict {
  what: string;
  measured: string;
  target: string;
  ok: boolean | undefined;
}

/** The targets of the benchmark issue, measured against this run's figures. */
export function verdictTable(verdicts: Verdict[]): string {
  const table = new Table({ head: ['target', 'measured', 'wanted', ''], style: { head: [], border: [] } });
  for (const verdict of verdicts) table.push([verdict.what, verdict.measured, verdict.target, verdict.ok === undefined ? 'n/a' : verdict.ok ? 'met' : 'MISSED']);
  return table.toString();
}
