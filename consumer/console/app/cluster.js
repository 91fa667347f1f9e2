import { html } from './html.js';

const status = (broker) => (broker.up ? html`<span class="badge up">up</span>` : html`<span class="badge down">down</span>`);

/** Brokers (up or down, rack, controller), the local control's view, and partitions in trouble. */
export function ClusterPanel({ snapshot, simulation, act }) {
  const { cluster, error, sampledAt } = snapshot;
  return html`<section class="panel cluster" data-testid="cluster-panel">
    <h2>Cluster</h2>
    ${error && html`<p class="error" data-testid="sample-error">${error}</p>`}
    <dl class="facts">
      <dt>cluster id</dt><dd>${cluster.clusterId ?? '?'}</dd>
      <dt>controller (metadata)</dt><dd data-testid="controller">${cluster.controllerId ?? 'none'}</dd>
      <dt>quorum leader</dt>
      ${cluster.quorumLeaderId !== null || cluster.quorumLeaderEpoch !== null
        ? html`<dd data-testid="quorum-leader">${cluster.quorumLeaderId ?? 'electing…'} <span class="muted">epoch ${cluster.quorumLeaderEpoch}</span></dd>`
        : html`<dd title="the client protocol cannot tell; the local cluster control can">not known here: <code>npm run kafka -- metadata-quorum describe --status</code></dd>`}
      <dt>under-replicated partitions</dt><dd data-testid="under-replicated" class=${cluster.underReplicatedPartitions > 0 ? 'warn' : ''}>${cluster.underReplicatedPartitions}</dd>
      <dt>offline partitions</dt><dd data-testid="offline" class=${cluster.offlinePartitions > 0 ? 'error' : ''}>${cluster.offlinePartitions}</dd>
      <dt>sampled</dt><dd>${sampledAt ? new Date(sampledAt).toLocaleTimeString() : 'not yet'}</dd>
    </dl>
    <table>
      <thead><tr><th>node</th><th>address</th><th>rack</th><th>status</th><th>metadata</th><th>process</th><th></th>${simulation?.available && html`<th>simulate</th>`}</tr></thead>
      <tbody>
        ${cluster.brokers.map(
          (broker) => html`<tr data-testid=${`broker-${broker.nodeId}`} data-up=${String(broker.up)} data-listed=${String(broker.listed)} data-state=${broker.localState ?? ''}>
            <td>${broker.nodeId}</td>
            <td>${broker.address}</td>
            <td>${broker.rack ?? '—'}</td>
            <td>${status(broker)}</td>
            <td>${broker.listed ? 'listed' : html`<span class="error">not listed</span>`}</td>
            <td>${broker.localState ?? '—'}</td>
            <td>${broker.quorumLeader ? html`<span class="badge up">quorum leader</span>` : ''} ${broker.controller ? html`<span class="badge" title="what the metadata names; in KRaft any broker">metadata controller</span>` : ''}</td>
            ${simulation?.available &&
            html`<td class="actions">
              <button data-testid=${`stop-${broker.nodeId}`} disabled=${broker.localState !== 'running'} onClick=${() => act(broker.nodeId, 'STOP')}>stop</button>
              <button data-testid=${`kill-${broker.nodeId}`} class="danger" disabled=${broker.localState !== 'running'} onClick=${() => act(broker.nodeId, 'KILL')}>kill -9</button>
              <button data-testid=${`start-${broker.nodeId}`} disabled=${broker.localState !== 'stopped'} onClick=${() => act(broker.nodeId, 'START')}>start</button>
            </td>`}
          </tr>`,
        )}
      </tbody>
    </table>
  </section>`;
}
