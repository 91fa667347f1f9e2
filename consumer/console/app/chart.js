// A small time-series chart: uPlot does the drawing; this only hands it data and series.
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import { html } from './html.js';

const COLOURS = ['#2563eb', '#dc2626', '#16a34a', '#d97706', '#7c3aed', '#0891b2', '#db2777', '#65a30d'];

/** `times` in seconds since the epoch; `series` [{ label, values }], each as long as times. */
export function Chart({ times, series, height = 140, legend = true, testId }) {
  const box = useRef(null);
  const plot = useRef(null);
  const labels = series.map((s) => s.label).join('|');

  useEffect(() => {
    const width = Math.max(box.current.clientWidth, 240);
    plot.current = new uPlot(
      {
        width,
        height,
        legend: { show: legend },
        scales: { x: { time: true } },
        axes: [{}, { size: 50 }],
        series: [{}, ...series.map((s, i) => ({ label: s.label, stroke: COLOURS[i % COLOURS.length], width: 1.5, spanGaps: true }))],
      },
      [times, ...series.map((s) => s.values)],
      box.current,
    );
    return () => plot.current.destroy();
  }, [labels, height]);

  useEffect(() => {
    plot.current?.setData([times, ...series.map((s) => s.values)]);
  }, [times, series]);

  return html`<div class="chart" data-testid=${testId} ref=${box}></div>`;
}
