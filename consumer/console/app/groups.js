import { Chart } from './chart.js';
import { html } from './html.js';

const members = (group) =>
  group.members.map(
    (member) => html`<li>${member.clientId} <span class="muted">${member.clientHost}</span>: ${member.assignments.map((a) => `${a.topic} [${a.partitions.join(', ')}]`).join('; ') || 'no partitions'}</li>`,
  );

/** The consumer's groups: state, members and their partitions, and lag per partition over the kept samples. */
export function GroupsPanel({ snapshot, simulation, setPaused }) {
  const times = snapshot.sampleTimes.map((ms) => ms / 1000);
  return html`<section class="panel wide" data-testid="groups-panel">
    <h2>Consumer groups</h2>
    ${snapshot.groups.map((group) => {
      const lag = group.partitions.reduce((sum, p) => sum + p.lag, 0);
      const canPause = simulation?.available && simulation.groups.includes(group.groupId);
      return html`<div class="group" data-testid=${`group-${group.groupId}`}>
        <h3>
          ${group.groupId} <span class="badge">${group.state}</span>
          ${group.paused && html`<span class="badge warn" data-testid="paused">paused</span>`}
          <span class="muted"> lag </span><span data-testid="lag">${lag}</span>
          ${canPause && html`<button data-testid="pause-toggle" onClick=${() => setPaused(group.groupId, !group.paused)}>${group.paused ? 'resume' : 'pause'}</button>`}
        </h3>
        <ul class="members">${members(group)}</ul>
        <${Chart} testId="lag-chart" times=${times} series=${group.partitions.map((p) => ({ label: `p${p.partition}`, values: p.lagHistory }))} height=${110} />
      </div>`;
    })}
  </section>`;
}
