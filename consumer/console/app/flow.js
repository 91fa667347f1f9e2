import { Chart } from './chart.js';
import { html } from './html.js';

/** Events per second per topic (the last ticks of the consoleFlow subscription) and the latest records. */
export function FlowPanel({ flow }) {
  const topics = flow.ticks.at(-1)?.rates.map((rate) => rate.topic) ?? [];
  const times = flow.ticks.map((tick) => Date.parse(tick.at) / 1000);
  const series = topics.map((topic) => ({ label: topic, values: flow.ticks.map((tick) => tick.rates.find((rate) => rate.topic === topic)?.perSecond ?? null) }));
  const latest = flow.ticks.at(-1);
  return html`<section class="panel wide" data-testid="flow-panel">
    <h2>Live flow ${flow.error ? html`<span class="error">${flow.error}</span>` : flow.ticks.length > 0 ? html`<span class="badge up" data-testid="flow-live">live</span>` : html`<span class="muted">connecting…</span>`}</h2>
    <p class="rates">${latest?.rates.map((rate) => html`<span class="rate" data-testid=${`flow-rate-${rate.topic}`}>${rate.topic} <strong>${rate.perSecond.toFixed(1)}</strong>/s</span>`)}</p>
    ${series.length > 0 && html`<${Chart} testId="flow-chart" times=${times} series=${series} height=${140} />`}
    <table>
      <thead><tr><th>at</th><th>topic</th><th>type</th><th>key</th><th>partition</th><th>offset</th></tr></thead>
      <tbody>
        ${flow.events.map(
          (event) => html`<tr data-testid="flow-event"><td>${new Date(event.at).toLocaleTimeString()}</td><td>${event.topic}</td><td>${event.type ?? '?'}</td><td><code>${event.key ?? ''}</code></td><td>${event.partition}</td><td>${event.offset}</td></tr>`,
        )}
      </tbody>
    </table>
  </section>`;
}
