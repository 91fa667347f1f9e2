/** The largest gap (ms) between consecutive instants, in whatever order they come; NaN for fewer than two. */
export function largestGap(instants: number[]): number {
  const sorted = [...instants].sort((a, b) => a - b);
  let largest = Number.NaN;
  for (let i = 1; i < sorted.length; i += 1) largest = Number.isNaN(largest) ? sorted[i]! - sorted[i - 1]! : Math.max(largest, sorted[i]! - sorted[i - 1]!);
  return largest;
}
