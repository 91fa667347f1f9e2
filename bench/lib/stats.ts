export interface LatencySummary {
  count: number;
  /** Mean of the middle 90% (5% cut from each end): steadier than the mean on a noisy machine. */
  trimmedMean: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

/** Nearest-rank percentile of ascending samples. */
export const percentile = (sorted: number[], p: number): number =>
  sorted.length === 0 ? Number.NaN : sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;

export function summarize(samples: number[]): LatencySummary {
  const sorted = [...samples].sort((a, b) => a - b);
  const cut = Math.floor(sorted.length * 0.05);
  const middle = sorted.slice(cut, sorted.length - cut);
  return {
    count: sorted.length,
    trimmedMean: middle.length ? middle.reduce((sum, value) => sum + value, 0) / middle.length : Number.NaN,
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p99: percentile(sorted, 99),
    max: sorted.at(-1) ?? Number.NaN,
  };
}

/** a / b, or NaN when either side is missing, so a failed baseline never shows a fake ratio. */
export const ratio = (a: number, b: number): number => (Number.isFinite(a) && Number.isFinite(b) && b > 0 ? a / b : Number.NaN);

export const fixed = (value: number, digits = 1): string => (Number.isFinite(value) ? value.toFixed(digits) : '—');
