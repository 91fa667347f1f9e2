import { useState } from 'preact/hooks';
import { html } from './html.js';

const id = (record) => `${record.partition}:${record.offset}`;
const oldest = (records) => records.reduce((least, record) => (BigInt(record.offset) < BigInt(least) ? record.offset : least), records[0].offset);

/** The dead-letter queue: the newest records with their error headers; replay chosen ones, or a range, to their topic. */
export function DeadLettersPanel({ page, pageSize, partitions, view, show, refresh, replay, result }) {
  const [chosen, setChosen] = useState(new Set());
  const [range, setRange] = useState({ partition: '0', fromOffset: '', toOffset: '' });
  const toggle = (record) => {
    const next = new Set(chosen);
    if (next.has(id(record))) next.delete(id(record));
    else next.add(id(record));
    setChosen(next);
  };
  const replayChosen = () => {
    const records = [...chosen].map((key) => ({ partition: Number(key.split(':')[0]), offset: key.split(':')[1] }));
    setChosen(new Set());
    replay({ records });
  };
  const field = (name) => (event) => setRange({ ...range, [name]: event.currentTarget.value });
  const replayRange = (event) => {
    event.preventDefault();
    replay({ range: { partition: Number(range.partition), fromOffset: range.fromOffset, toOffset: range.toOffset } });
  };
  return html`<section class="panel wide" data-testid="dlq-panel">
    <h2>Dead-letter queue <span class="muted" data-testid="dlq-total">${page ? `${page.total} record(s)` : 'loading…'}</span> <button onClick=${refresh}>refresh</button></h2>
    <p class="actions">
      show <select aria-label="partition" value=${view.partition ?? ''} onChange=${(event) => show(event.currentTarget.value === '' ? {} : { partition: Number(event.currentTarget.value) })}>
        <option value="">the newest of every partition</option>
        ${Array.from({ length: partitions }, (_, partition) => html`<option value=${partition}>partition ${partition}</option>`)}
      </select>
      ${view.partition !== undefined && html`<button disabled=${!page || page.records.length < pageSize} onClick=${() => show({ partition: view.partition, beforeOffset: oldest(page.records) })}>older</button>`}
      ${view.beforeOffset !== undefined && html`<button onClick=${() => show({ partition: view.partition })}>newest</button>`}
      <span class="muted">newest first, ${pageSize} at a time</span>
    </p>
    <table>
      <thead><tr><th></th><th>at</th><th>from</th><th>attempt</th><th>failed</th><th>error</th><th>value</th></tr></thead>
      <tbody>
        ${(page?.records ?? []).map(
          (record) => html`<tr data-testid="dead-letter" data-id=${id(record)}>
            <td><input type="checkbox" aria-label=${`choose ${id(record)}`} checked=${chosen.has(id(record))} onChange=${() => toggle(record)} /></td>
            <td>${id(record)}</td>
            <td>${record.originTopic ? `${record.originTopic}/${record.originPartition}/${record.originOffset}` : '?'}</td>
            <td>${record.attempt ?? '?'}</td>
            <td>${record.failedAt ? new Date(record.failedAt).toLocaleString() : '?'}</td>
            <td class="error-text">${record.errorType ?? 'Error'}: ${record.error ?? ''}</td>
            <td>${record.valueDropped ? 'left out (replay reads the original)' : `${record.valueBytes} B`}</td>
          </tr>`,
        )}
      </tbody>
    </table>
    <p class="actions">
      <button data-testid="replay-selected" disabled=${chosen.size === 0} onClick=${replayChosen}>replay ${chosen.size} selected</button>
    </p>
    <form class="actions" onSubmit=${replayRange}>
      replay a range: partition <input class="num" value=${range.partition} onInput=${field('partition')} />
      offsets <input class="num" value=${range.fromOffset} onInput=${field('fromOffset')} placeholder="from" /> to
      <input class="num" value=${range.toOffset} onInput=${field('toOffset')} placeholder="to" /> (both included, at most 1000)
      <button type="submit">replay range</button>
    </form>
    ${result && html`<p data-testid="replay-result" class=${result.error ? 'error' : ''}>${result.error ?? `${result.replayed.length} replayed, ${result.skipped.length} skipped${result.skipped.map((s) => ` · ${s.partition}:${s.offset} ${s.reason}`).join('')}`}</p>`}
  </section>`;
}
