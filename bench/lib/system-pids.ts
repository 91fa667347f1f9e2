import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import type { BenchTarget } from './bench-env';

/** The TCP ports the system under test listens on: both services, the brokers, the database. */
export function targetPorts(target: BenchTarget): number[] {
  const portOf = (address: string, fallback: number) => Number(new URL(address.includes('://') ? address : `tcp://${address}`).port || fallback);
  return [portOf(target.producerUrl, 80), portOf(target.consumerUrl, 80), ...target.kafkaBrokers.map((broker) => portOf(broker, 9092)), portOf(target.databaseUrl, 5432)];
}

/** Socket inodes listening on `ports` (/proc/net/tcp and tcp6, state 0A = LISTEN). */
function listeningInodes(ports: ReadonlySet<number>): Set<string> {
  const inodes = new Set<string>();
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      if (fields[3] !== '0A') continue;
      const port = Number.parseInt(fields[1]?.split(':').at(-1) ?? '', 16);
      if (ports.has(port)) inodes.add(fields[9]!);
    }
  }
  return inodes;
}

/**
 * The processes of the system under test: those listening on its ports, and their descendants
 * (PostgreSQL's backends). On a machine shared with other Herald systems, a process is only
 * counted as the producer, the broker or the database when it is this run's.
 */
export function systemPids(ports: number[]): Set<number> {
  const inodes = listeningInodes(new Set(ports));
  const owners = new Set<number>();
  const parentOf = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      parentOf.set(pid, Number(stat.slice(stat.lastIndexOf(') ') + 2).split(' ')[1]));
      for (const fd of readdirSync(`/proc/${pid}/fd`)) {
        const link = readlinkSync(`/proc/${pid}/fd/${fd}`);
        if (link.startsWith('socket:[') && inodes.has(link.slice(8, -1))) {
          owners.add(pid);
          break;
        }
      }
    } catch {
      // ended meanwhile, or not ours to read
    }
  }
  const pids = new Set(owners);
  for (const pid of parentOf.keys()) {
    for (let up = parentOf.get(pid); up && up > 1; up = parentOf.get(up)) {
      if (owners.has(up)) {
        pids.add(pid);
        break;
      }
    }
  }
  return pids;
}
