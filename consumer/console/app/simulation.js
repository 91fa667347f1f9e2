import { useState } from 'preact/hooks';
import { html } from './html.js';

/** Failure simulation, only with the local cluster control; otherwise why not. Broker actions are in the cluster panel. */
export function SimulationPanel({ simulation, poison, log }) {
  const [topic, setTopic] = useState('');
  if (!simulation) return html`<section class="panel" data-testid="simulation-panel"><h2>Failure simulation</h2><p class="muted">loading…</p></section>`;
  if (!simulation.available) {
    return html`<section class="panel" data-testid="simulation-panel">
      <h2>Failure simulation <span class="badge down">unavailable</span></h2>
      <p data-testid="simulation-reason">${simulation.reason}</p>
    </section>`;
  }
  const chosen = topic || simulation.poisonTopics[0];
  return html`<section class="panel" data-testid="simulation-panel">
    <h2>Failure simulation <span class="badge up">local cluster</span></h2>
    <p>Stop, kill -9 and start brokers from the cluster panel; pause and resume groups from the groups panel.</p>
    <p class="actions">
      poison record to <select value=${chosen} onChange=${(event) => setTopic(event.currentTarget.value)}>${simulation.poisonTopics.map((name) => html`<option value=${name}>${name}</option>`)}</select>
      <button data-testid="poison" class="danger" onClick=${() => poison(chosen)}>publish</button>
    </p>
    <ol class="log" data-testid="simulation-log">${log.map((line) => html`<li>${line}</li>`)}</ol>
  </section>`;
}
