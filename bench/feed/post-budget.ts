import { measureBarePg, type BareWrites } from '../baselines/bare-pg';
import { postProjectionWrites, postWrites } from '../baselines/bare-pg-writes';
import type { BenchTarget } from '../lib/bench-env';
import { accountCpu, type CpuShare } from '../lib/cpu-accounting';
import { cpuBudget, type BarePart, type CpuBudget } from '../lib/cpu-budget';
import { targetPorts } from '../lib/system-pids';

/**
 * The CPU budget of a post, from the post-load phase: Herald's CPU per created post over the
 * phase's window (which runs until the consumer has projected every post of the load, so the
 * fan-out of its backlog counts), next to the bare parts: the producer's writes (post row +
 * outbox row) and the consumer's (post row + fan-out to the author's `followers` followers) as
 * bare pg on scratch copies of each schema, and one kafkajs produce + consume (`kafkaFloor`,
 * the delivery phase's bare round trip).
 */
export async function postBudget(
  target: BenchTarget,
  { herald, kafkaFloor, followers, concurrency }: { herald: { cpu: CpuShare; events: number }; kafkaFloor: { cpu: CpuShare; records: number }; followers: number; concurrency: number },
): Promise<CpuBudget> {
  const ports = targetPorts(target);
  const operations = Math.min(2000, Math.max(200, herald.events));
  const pg = async (name: string, short: string, serverUrl: string, writes: BareWrites<string>): Promise<BarePart[]> => {
    const measured = await accountCpu(ports, () => measureBarePg({ serverUrl, writes, concurrency, seconds: 0, amount: operations }));
    return measured.cpu ? [{ name: `${name} as bare pg (postgres + client)`, short, column: 'postgres', groups: ['postgres', 'bench'], cpu: measured.cpu, operations: measured.result.latencies.length }] : [];
  };
  const bare = [
    ...(await pg('producer: post row + outbox row', 'producer pg writes', target.databaseUrl, postWrites)),
    ...(await pg(`consumer: post row + fan-out to ${followers} followers`, 'consumer pg writes and fan-out', target.consumerDatabaseUrl, postProjectionWrites(followers))),
    { name: 'one kafkajs produce + consume (kafka + client)', short: 'kafkajs round trip', column: 'kafka' as const, groups: ['kafka', 'bench'], cpu: kafkaFloor.cpu, operations: kafkaFloor.records },
  ];
  return cpuBudget({ event: 'post', phase: 'post-load', herald, bare });
}
