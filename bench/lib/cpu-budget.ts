import Table from 'cli-table3';
import type { CpuShare } from './cpu-accounting';
import { fixed, ratio } from './stats';
import type { Verdict } from './summary-table';

/** The processes on a write's path, in the order of the budget's columns. */
export const PATH = ['producer', 'consumer', 'kafka', 'postgres'] as const;
export type PathProcess = (typeof PATH)[number];

/** ms of CPU per operation in the given process groups over one accounted phase. */
export const msPerOperation = (cpu: CpuShare, groups: readonly string[], operations: number) => (groups.reduce((sum, group) => sum + (cpu.byGroup[group] ?? 0), 0) / Math.max(1, operations)) * 1000;

/** One bare part of a write, CPU-accounted on its own in the same run. */
export interface BarePart {
  /** What it is, for the table ("the sign-up's writes as bare pg (postgres + client)"). */
  name: string;
  /** A word or two for the verdict's row ("pg writes"). */
  short: string;
  /** The process of Herald's path whose work it stands for (its column in the table). */
  column: PathProcess;
  cpu: CpuShare;
  /** Operations it ran (hashes, transactions, records): the divisor. */
  operations: number;
  /** The groups its CPU is counted in: the bench process, which drives it, and the server it uses. */
  groups: readonly string[];
}

export interface CpuBudget {
  /** The write: sign-up, login, refresh, post. */
  event: string;
  /** Events of the phase (successful writes): the divisor of Herald's CPU. */
  events: number;
  /** ms of CPU per event, per process on its path (the bench's own load left out). */
  herald: Record<PathProcess, number>;
  heraldTotal: number;
  /** ms per event of each bare part, and how many operations it was measured over. */
  bare: Array<{ name: string; short: string; column: PathProcess; ms: number; operations: number }>;
  bareTotal: number;
  /** Herald's CPU beyond the bare parts, as a multiple of them (the target is ≤ 1). */
  overhead: number;
  text: string;
}

/**
 * The CPU budget of one write: what its event costs over every process on its path, next to the
 * bare parts measured in the same run. The bare parts count the client side too (the bench
 * process drives bare argon2, bare pg and bare kafkajs), as Herald's count the producer and the
 * consumer. `foreignKafkaMs`: Kafka CPU of the phase that was not this system's events (a bare
 * round trip the bench ran against the same broker meanwhile), taken out of Kafka's share.
 */
export function cpuBudget({ event, phase = event, herald, bare, foreignKafkaMs = 0 }: { event: string; /** The bench phase it was measured in, when not named after the event. */ phase?: string; herald: { cpu: CpuShare; events: number }; bare: BarePart[]; foreignKafkaMs?: number }): CpuBudget {
  const events = herald.events;
  const parts = Object.fromEntries(PATH.map((process) => [process, msPerOperation(herald.cpu, [process], events)])) as Record<PathProcess, number>;
  parts.kafka = Math.max(0, parts.kafka - foreignKafkaMs / Math.max(1, events));
  const heraldTotal = PATH.reduce((sum, process) => sum + parts[process], 0);
  const bareParts = bare.map((part) => ({ name: part.name, short: part.short, column: part.column, ms: msPerOperation(part.cpu, part.groups, part.operations), operations: part.operations }));
  const bareTotal = bareParts.reduce((sum, part) => sum + part.ms, 0);
  const overhead = ratio(heraldTotal, bareTotal) - 1;

  const table = new Table({ head: [`CPU ms per ${event} event`, ...PATH, 'total'], style: { head: [], border: [] } });
  table.push([`Herald (${phase} phase, ${events} events)`, ...PATH.map((process) => fixed(parts[process], 2)), fixed(heraldTotal, 2)]);
  for (const part of bareParts) table.push([`bare: ${part.name}`, ...PATH.map((process) => (process === part.column ? fixed(part.ms, 2) : '')), '']);
  table.push(['bare parts, sum', ...PATH.map(() => ''), fixed(bareTotal, 2)]);
  const text = `CPU budget per ${event} event (overhead beyond the bare parts: ${fixed(overhead, 2)}× of them; target ≤ 1×)\n${table.toString()}`;
  return { event, events, herald: parts, heraldTotal, bare: bareParts, bareTotal, overhead, text };
}

/** The target row of a budget: Herald's CPU beyond the bare parts, at most as much again. */
export function budgetVerdict(budget: CpuBudget): Verdict {
  return {
    what: `${budget.event} CPU beyond the bare parts (${budget.bare.map((part) => part.short).join(' + ')})`,
    measured: `${fixed(budget.overhead, 2)}× (${fixed(budget.heraldTotal, 2)} / ${fixed(budget.bareTotal, 2)} ms)`,
    target: '≤ 1×',
    ok: Number.isFinite(budget.overhead) ? budget.overhead <= 1 : undefined,
  };
}
