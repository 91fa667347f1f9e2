import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Everything a run writes (CSV of every sample, plots) goes under bench/results/, one stamp per run. */
export function createResults(bench: string, dir = process.env.BENCH_RESULTS_DIR ?? join(__dirname, '..', 'results')) {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  mkdirSync(dir, { recursive: true });
  const path = (suffix: string) => join(dir, `${bench}-${stamp}${suffix}`);
  return {
    dir,
    writeCsv(suffix: string, header: string[], rows: Array<Array<string | number>>): string {
      const file = path(`${suffix}.csv`);
      const cell = (value: string | number) => (typeof value === 'number' ? (Number.isFinite(value) ? String(Math.round(value * 1000) / 1000) : '') : value);
      writeFileSync(file, [header.join(','), ...rows.map((row) => row.map(cell).join(','))].join('\n') + '\n');
      return file;
    },
    writeFile(suffix: string, text: string): string {
      const file = path(suffix);
      writeFileSync(file, text);
      return file;
    },
  };
}

export type Results = ReturnType<typeof createResults>;
