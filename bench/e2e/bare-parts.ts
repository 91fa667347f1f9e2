import { measureBarePg, type BareWrites } from '../baselines/bare-pg';
import { loginWrites, refreshWrites, signUpWrites } from '../baselines/bare-pg-writes';
import { measureKdf } from '../baselines/kdf';
import type { BenchTarget } from '../lib/bench-env';
import { accountCpu, type CpuShare } from '../lib/cpu-accounting';
import type { BarePart } from '../lib/cpu-budget';
import { targetPorts } from '../lib/system-pids';

export type E2ePhase = 'sign-up' | 'login' | 'refresh';

/**
 * The bare parts of each end-to-end write but the Kafka round trip (the floor measures that),
 * each run alone and CPU-accounted, after the system phases: argon2id alone at the producer's
 * parameters (hash for a sign-up, verify for a login), and the write's statements as bare pg
 * transactions on a scratch copy of the producer's schema. `kdfOperations` hashes and
 * `pgOperations` transactions per part, `concurrency` at once, as the phases ran.
 */
export async function measureE2eBareParts(target: BenchTarget, phases: E2ePhase[], { concurrency, kdfOperations, pgOperations }: { concurrency: number; kdfOperations: number; pgOperations: Record<E2ePhase, number> }) {
  const ports = targetPorts(target);
  const parts: Partial<Record<E2ePhase, BarePart[]>> = {};
  const part = (name: string, short: string, column: BarePart['column'], groups: string[], measured: { result: { latencies: number[] }; cpu: CpuShare | undefined }): BarePart[] =>
    measured.cpu ? [{ name, short, column, groups, cpu: measured.cpu, operations: measured.result.latencies.length }] : [];
  const kdf = (verify: boolean) => accountCpu(ports, () => measureKdf({ concurrency, seconds: 0, amount: kdfOperations, verify }));
  const pg = <State>(writes: BareWrites<State>, phase: E2ePhase) => accountCpu(ports, () => measureBarePg({ serverUrl: target.databaseUrl, writes, concurrency, seconds: 0, amount: pgOperations[phase] }));
  const pgPart = (what: string, measured: Awaited<ReturnType<typeof pg>>) => part(`${what} as bare pg (postgres + client)`, 'pg writes', 'postgres', ['postgres', 'bench'], measured);

  if (phases.includes('sign-up')) parts['sign-up'] = [...part('argon2id hash alone (client)', 'argon2id', 'producer', ['bench'], await kdf(false)), ...pgPart('user row + outbox row', await pg(signUpWrites, 'sign-up'))];
  if (phases.includes('login')) parts.login = [...part('argon2id verify alone (client)', 'argon2id', 'producer', ['bench'], await kdf(true)), ...pgPart('refresh token row + outbox row', await pg(loginWrites, 'login'))];
  if (phases.includes('refresh')) parts.refresh = pgPart('token used + new token + outbox row', await pg(refreshWrites, 'refresh'));
  return parts;
}
