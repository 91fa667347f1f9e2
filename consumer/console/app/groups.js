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
    <h2>Consumer groups <span class="muted">lag per partition over the last ${Math.round((snapshot.sampleTimes.at(-1) - snapshot.sampleTimes[0]) / 1000) || 0} s</span></h2>
    <div class="groups">
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
        <${Chart} testId="lag-chart" legend=${false} times=${times} series=${group.partitions.map((p) => ({ label: `p${p.partition}`, values: p.lagHistory }))} height=${100} />
      </div>`;
    })}
    </div>
  </section>`;
}
