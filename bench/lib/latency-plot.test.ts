import { latencyPlotSvg } from './latency-plot';

describe('latency plot', () => {
  it('is well-formed SVG: no element repeats an attribute (browsers refuse such files)', () => {
    const svg = latencyPlotSvg('a <title> & more', [
      { name: 'system', samples: [1, 2, 3, 5, 8, 13, 21] },
      { name: 'floor', samples: [0.5, 0.7, 1, 1.2] },
    ]);
    for (const tag of svg.match(/<[a-z]+ [^>]*>/g) ?? []) {
      const names = [...tag.matchAll(/ ([a-z-]+)="/g)].map((match) => match[1]);
      expect(new Set(names).size).toBe(names.length);
    }
    expect(svg).toContain('a &lt;title&gt; &amp; more');
  });
});
