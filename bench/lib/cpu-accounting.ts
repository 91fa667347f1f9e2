import { readdirSync, readFileSync } from 'node:fs';
import { systemPids } from './system-pids';

/** Where the CPU of one bench phase went, in core-seconds per group, and what the machine did. */
export interface CpuShare {
  seconds: number;
  /** Core-seconds per process group: producer, consumer, kafka, postgres, bench, other. */
  byGroup: Record<string, number>;
  /** Busy share of all cores over the phase (1 = every core busy all the time). */
  machineBusy: number;
  /** Share of the time the hypervisor ran someone else on our cores (steal). */
  machineSteal: number;
}

const CLOCK_TICKS = 100; // USER_HZ on Linux

/**
 * Names a process by its command line: the services, the broker, the database, this bench. With
 * `ours` (the system's processes, see systemPids), a process outside it is "other" whatever its
 * command line: another system on the same machine is load, not this system's cost.
 */
function groupOf(pid: number, cmdline: string, ours?: ReadonlySet<number>): string {
  if (pid === process.pid) return 'bench';
  if (ours && !ours.has(pid)) return 'other';
  if (/producer[/\\](dist|src)[/\\]main\./.test(cmdline)) return 'producer';
  if (/consumer[/\\](dist|src)[/\\]main\./.test(cmdline)) return 'consumer';
  if (cmdline.includes('kafka.Kafka') || cmdline.includes('kafka-server')) return 'kafka';
  // The server ("…/bin/postgres -D …") and its backends ("postgres: user db …").
  if (/(^|\/)postgres(:| )/.test(cmdline)) return 'postgres';
  return 'other';
}

function processTicks(ports?: number[]): Map<string, number> {
  const ours = ports && systemPids(ports);
  const ticks = new Map<string, number>();
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      // Fields after the command (which may contain spaces) start at ") ": utime, stime, then
      // cutime, cstime: the children that ended and were waited for (PostgreSQL's backends of
      // closed connections end up in the server's), so a phase's short-lived processes count too.
      const fields = stat.slice(stat.lastIndexOf(') ') + 2).split(' ');
      const used = Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]);
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
      const group = groupOf(pid, cmdline, ours);
      ticks.set(group, (ticks.get(group) ?? 0) + used);
    } catch {
      // the process ended while we looked
    }
  }
  return ticks;
}

function machineTicks(): { busy: number; steal: number; total: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
  const [user, nice, system, idle, iowait, irq, softirq, steal] = line.trim().split(/\s+/).slice(1).map(Number) as number[];
  const busy = user! + nice! + system! + irq! + softirq!;
  return { busy, steal: steal!, total: busy + idle! + iowait! + steal! };
}

/**
 * Starts counting CPU by process group (Linux /proc; elsewhere it answers undefined). A process
 * that ends during the phase counts through its parent once waited for.
 */
export function startCpuAccounting({ ports }: { /** The system's ports (targetPorts): count only its processes. */ ports?: number[] } = {}): { stop(): CpuShare | undefined } {
  if (process.platform !== 'linux') return { stop: () => undefined };
  const started = performance.now();
  const before = processTicks(ports);
  const machineBefore = machineTicks();
  return {
    stop() {
      const after = processTicks(ports);
      const machineAfter = machineTicks();
      const byGroup: Record<string, number> = {};
      for (const [group, ticks] of after) byGroup[group] = Math.max(0, ticks - (before.get(group) ?? 0)) / CLOCK_TICKS;
      const total = machineAfter.total - machineBefore.total || 1;
      return {
        seconds: (performance.now() - started) / 1000,
        byGroup,
        machineBusy: (machineAfter.busy - machineBefore.busy) / total,
        machineSteal: (machineAfter.steal - machineBefore.steal) / total,
      };
    },
  };
}

/** Runs `run` with its CPU counted by process group (`cpu` is undefined without Linux /proc). */
export async function accountCpu<T>(ports: number[], run: () => Promise<T>): Promise<{ result: T; cpu: CpuShare | undefined }> {
  const accounting = startCpuAccounting({ ports });
  const result = await run();
  return { result, cpu: accounting.stop() };
}

/** "producer 0.92 · consumer 0.31 · …" core-seconds per second, and per operation when given. */
export function describeCpu(share: CpuShare | undefined, operations?: number): string {
  if (!share) return 'CPU accounting needs Linux /proc';
  const order = ['producer', 'consumer', 'kafka', 'postgres', 'bench', 'other'];
  const parts = order
    .filter((group) => (share.byGroup[group] ?? 0) > 0)
    .map((group) => {
      const cores = share.byGroup[group]! / share.seconds;
      const perOp = operations ? ` (${((share.byGroup[group]! / operations) * 1000).toFixed(2)} ms/op)` : '';
      return `${group} ${cores.toFixed(2)}${perOp}`;
    });
  return `cores busy: ${parts.join(' · ')} — machine ${(share.machineBusy * 100).toFixed(0)}% busy, ${(share.machineSteal * 100).toFixed(0)}% stolen`;
}
