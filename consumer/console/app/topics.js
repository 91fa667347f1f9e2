import { html } from './html.js';

const list = (ids) => ids.join(', ');
const rate = (value) => (value === null || value === undefined ? '—' : value.toFixed(1));

/** Every Herald topic: messages/s from the broker's end offsets, and each partition's leader, replicas and ISR. */
export function TopicsPanel({ topics }) {
  return html`<section class="panel wide" data-testid="topics-panel">
    <h2>Topics</h2>
    <div class="topics">
    ${topics.map(
      (topic) => html`<details data-testid=${`topic-${topic.name}`} open=${topic.partitions.some((p) => p.isr.length < p.replicas.length || p.leader < 0)}>
        <summary>
          <strong>${topic.name}</strong>
          <span class="muted"> ${topic.partitions.length} partitions · </span>
          <span data-testid="rate">${rate(topic.messagesPerSecond)}</span><span class="muted"> msg/s · end offsets Σ ${topic.partitions.reduce((sum, p) => sum + Number(p.endOffset ?? 0), 0)}</span>
        </summary>
        <table>
          <thead><tr><th>partition</th><th>leader</th><th>replicas</th><th>ISR</th><th>end offset</th></tr></thead>
          <tbody>
            ${topic.partitions.map(
              (p) => html`<tr data-testid="partition" class=${p.leader < 0 ? 'error' : p.isr.length < p.replicas.length ? 'warn' : ''}>
                <td>${p.partition}</td><td>${p.leader < 0 ? 'none' : p.leader}</td><td>${list(p.replicas)}</td><td>${list(p.isr)}</td><td>${p.endOffset ?? '?'}</td>
              </tr>`,
            )}
          </tbody>
        </table>
      </details>`,
    )}
    </div>
  </section>`;
}
