import Table from 'cli-table3';
import type { CpuShare } from '../lib/cpu-accounting';
import { fixed, ratio } from '../lib/stats';

export interface CpuBudget {
  /** ms of CPU per refresh event, per process group on its path (the bench's own load left out). */
  herald: Record<'producer' | 'consumer' | 'kafka' | 'postgres', number>;
  heraldTotal: number;
  /** ms per event of the bare parts: the same writes as bare pg, one kafkajs produce + consume. */
  bare: { pgWrites: number; kafkaRoundTrip: number; total: number };
  /** Herald's CPU beyond the bare parts, as a multiple of them (the target is ≤ 1). */
  overhead: number;
  text: string;
}

const msPer = (cpu: CpuShare, group: string, count: number) => ((cpu.byGroup[group] ?? 0) / Math.max(1, count)) * 1000;

/**
 * The CPU budget of a refresh: what its event costs over every process on its path, next to the
 * bare parts measured in the same run. The bare parts count the client side too (the bench
 * process drives bare pg and bare kafkajs), as Herald's count the producer and the consumer.
 * During the refresh phase the bench also runs the bare round trip "under load" against the same
 * broker; its share of Kafka's CPU (its records × the idle floor's Kafka CPU per record) is
 * taken out. The bench's Kafka tap is one more consumer per event and stays in (a small part).
 */
export function cpuBudget({ herald, loadedFloorRecords, bareKafka, barePg }: {
  herald: { cpu: CpuShare; events: number };
  loadedFloorRecords: number;
  bareKafka: { cpu: CpuShare; records: number };
  barePg: { cpu: CpuShare; writes: number };
}): CpuBudget {
  const floorKafkaPerRecord = msPer(bareKafka.cpu, 'kafka', bareKafka.records);
  const kafka = Math.max(0, msPer(herald.cpu, 'kafka', herald.events) - (floorKafkaPerRecord * loadedFloorRecords) / Math.max(1, herald.events));
  const parts = {
    producer: msPer(herald.cpu, 'producer', herald.events),
    consumer: msPer(herald.cpu, 'consumer', herald.events),
    kafka,
    postgres: msPer(herald.cpu, 'postgres', herald.events),
  };
  const heraldTotal = parts.producer + parts.consumer + parts.kafka + parts.postgres;
  const pgWrites = msPer(barePg.cpu, 'postgres', barePg.writes) + msPer(barePg.cpu, 'bench', barePg.writes);
  const kafkaRoundTrip = floorKafkaPerRecord + msPer(bareKafka.cpu, 'bench', bareKafka.records);
  const bareTotal = pgWrites + kafkaRoundTrip;
  const overhead = ratio(heraldTotal, bareTotal) - 1;

  const table = new Table({ head: ['CPU ms per refresh event', 'producer', 'consumer', 'kafka', 'postgres', 'total'], style: { head: [], border: [] } });
  table.push(['Herald (refresh phase)', fixed(parts.producer, 2), fixed(parts.consumer, 2), fixed(parts.kafka, 2), fixed(parts.postgres, 2), fixed(heraldTotal, 2)]);
  table.push(['bare: pg writes (postgres + client)', '', '', '', fixed(pgWrites, 2), '']);
  table.push(['bare: kafkajs produce + consume (kafka + client)', '', '', fixed(kafkaRoundTrip, 2), '', '']);
  table.push(['bare parts, sum', '', '', '', '', fixed(bareTotal, 2)]);
  const text = `CPU budget per refresh event (overhead beyond the bare parts: ${fixed(overhead, 2)}× of them; target ≤ 1×)\n${table.toString()}`;
  return { herald: parts, heraldTotal, bare: { pgWrites, kafkaRoundTrip, total: bareTotal }, overhead, text };
}
