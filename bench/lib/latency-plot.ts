import { percentile } from './stats';

export interface PlotSeries {
  name: string;
  /** Latencies in milliseconds. */
  samples: number[];
}

const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf', '#7f7f7f', '#bcbd22'];
const W = 520;
const H = 320;
const PAD = { left: 56, right: 16, top: 36, bottom: 44 };

const escapeXml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const label = (x: number, y: number, text: string, extra = '', size = 11) =>
  `<text x="${x.toFixed(1)}" y="${y.toFixed(1)}" font-size="${size}" ${extra}>${escapeXml(text)}</text>`;

/** Histogram of every series, overlaid, up to the largest p99 (the tail is in the CDF). */
function histogramPanel(series: PlotSeries[], offsetX: number): string {
  const sortedAll = series.map((one) => [...one.samples].sort((a, b) => a - b));
  const upper = Math.max(1, ...sortedAll.map((sorted) => percentile(sorted, 99) * 1.1));
  const bins = 40;
  const width = upper / bins;
  const counts = sortedAll.map((sorted) => {
    const bucket = new Array<number>(bins).fill(0);
    for (const value of sorted) if (value >= 0 && value < upper) bucket[Math.floor(value / width)]! += 1;
    return bucket.map((count) => count / Math.max(1, sorted.length));
  });
  const top = Math.max(1e-9, ...counts.flat());
  const x = (ms: number) => offsetX + PAD.left + (ms / upper) * (W - PAD.left - PAD.right);
  const y = (share: number) => H - PAD.bottom - (share / top) * (H - PAD.top - PAD.bottom);
  const bars = counts
    .map((bucket, s) =>
      bucket
        .map((share, i) => (share > 0 ? `<rect x="${x(i * width).toFixed(1)}" y="${y(share).toFixed(1)}" width="${Math.max(0.5, x(width) - x(0) - 0.5).toFixed(1)}" height="${(H - PAD.bottom - y(share)).toFixed(1)}" fill="${COLORS[s % COLORS.length]}" fill-opacity="0.45"/>` : ''))
        .join(''),
    )
    .join('');
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => label(x(upper * f) - 10, H - PAD.bottom + 14, (upper * f).toFixed(upper < 10 ? 1 : 0))).join('');
  return `${bars}${ticks}${label(offsetX + W / 2 - 60, H - 8, 'latency (ms), up to p99')}${label(offsetX + PAD.left, 20, 'histogram (share of samples)', 'font-weight="bold"')}
<line x1="${x(0)}" y1="${H - PAD.bottom}" x2="${x(upper)}" y2="${H - PAD.bottom}" stroke="#333"/>`;
}

/** Empirical CDF of every series on a log-scaled latency axis, so a floor and a system fit one plot. */
function cdfPanel(series: PlotSeries[], offsetX: number): string {
  const sortedAll = series.map((one) => [...one.samples].filter((value) => value > 0).sort((a, b) => a - b));
  const all = sortedAll.flat();
  const low = Math.max(0.01, Math.min(...all, 1));
  const high = Math.max(low * 10, ...all);
  const logLow = Math.log10(low);
  const logHigh = Math.log10(high);
  const x = (ms: number) => offsetX + PAD.left + ((Math.log10(Math.max(ms, low)) - logLow) / (logHigh - logLow)) * (W - PAD.left - PAD.right);
  const y = (share: number) => H - PAD.bottom - share * (H - PAD.top - PAD.bottom);
  const lines = sortedAll
    .map((sorted, s) => {
      const step = Math.max(1, Math.floor(sorted.length / 400));
      const points: string[] = [];
      for (let i = 0; i < sorted.length; i += step) points.push(`${x(sorted[i]!).toFixed(1)},${y((i + 1) / sorted.length).toFixed(1)}`);
      if (sorted.length) points.push(`${x(sorted.at(-1)!).toFixed(1)},${y(1).toFixed(1)}`);
      return `<polyline fill="none" stroke="${COLORS[s % COLORS.length]}" stroke-width="1.6" points="${points.join(' ')}"/>`;
    })
    .join('');
  const decades: string[] = [];
  for (let power = Math.floor(logLow); power <= Math.ceil(logHigh); power += 1) {
    const ms = 10 ** power;
    if (ms < low || ms > high) continue;
    decades.push(`<line x1="${x(ms)}" y1="${y(0)}" x2="${x(ms)}" y2="${y(1)}" stroke="#ddd"/>${label(x(ms) - 8, H - PAD.bottom + 14, String(ms))}`);
  }
  const grid = [0.5, 0.9, 0.99].map((share) => `<line x1="${x(low)}" y1="${y(share)}" x2="${x(high)}" y2="${y(share)}" stroke="#eee"/>${label(offsetX + 12, y(share) + 4, `p${share * 100}`)}`).join('');
  return `${grid}${decades.join('')}${lines}${label(offsetX + W / 2 - 50, H - 8, 'latency (ms, log scale)')}${label(offsetX + PAD.left, 20, 'CDF', 'font-weight="bold"')}`;
}

/** A two-panel SVG (histogram, CDF) with a legend: small, dependency-free, readable in a browser or on GitHub. */
export function latencyPlotSvg(title: string, series: PlotSeries[]): string {
  const legend = series.map((one, s) => `<rect x="16" y="${H + 8 + s * 16}" width="10" height="10" fill="${COLORS[s % COLORS.length]}"/>${label(32, H + 17 + s * 16, `${one.name} (n=${one.samples.length})`)}`).join('');
  const height = H + 16 + series.length * 16;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W * 2}" height="${height + 24}" font-family="sans-serif">
<rect width="100%" height="100%" fill="white"/>
<g transform="translate(0,24)">${histogramPanel(series, 0)}${cdfPanel(series, W)}${legend}</g>
${label(16, 16, title, 'font-weight="bold"', 14)}
</svg>
`;
}
