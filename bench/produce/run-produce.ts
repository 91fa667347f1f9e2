import { COMPRESSIONS } from '@herald/kafka';
import { measureKafkaProduce, type ProduceConfig } from '../baselines/kafka-produce';
import { requireOperatorToken, type BenchTarget } from '../lib/bench-env';
import { latencyPlotSvg } from '../lib/latency-plot';
import { createProgress, timedProgress } from '../lib/progress';
import { createResults } from '../lib/results';
import { peakRssVerdicts, sampleServiceMemory } from '../lib/service-memory';
import { fixed, ratio, summarize } from '../lib/stats';
import { latencyTable, verdictTable, type Verdict } from '../lib/summary-table';
import Table from 'cli-table3';
import { compressedSizes } from './compressed-size';
import { measureOutboxDrain } from './outbox-drain';
import { sampleRecords } from './sample-events';

export const PRODUCE_DEFAULTS = {
  /** Seconds per bare producer configuration. */
  seconds: 2,
  /** Rows preloaded into the outbox for the relay to drain. */
  outboxRows: 20_000,
  /** The relay's batch (OUTBOX_BATCH_SIZE in the producer): the bare figure the relay is compared with. */
  relayBatch: 500,
  /** 0: only the relay's configuration with each codec (the smoke test). */
  matrix: 1,
  /** Interleaved slices of `seconds` per codec at the relay's settings. */
  codecRounds: 3,
};

export type ProduceOptions = typeof PRODUCE_DEFAULTS;

const configName = (config: ProduceConfig) => `bare produce: batch ${config.batchSize}, ×${config.concurrency}, ${config.compression}`;

/**
 * Producer throughput: raw kafkajs produce rates over batch sizes, concurrency and compression,
 * then the outbox relay draining a preloaded outbox, compared with the bare rate at the relay's
 * own settings (one idempotent producer, one batch of 500 in flight, no compression).
 */
export async function runProduce(target: BenchTarget, options: ProduceOptions, log: (line: string) => void = console.log) {
  const operatorToken = requireOperatorToken(target, 'bench:produce', "/metrics, for the producer's RSS during the drain");
  const results = createResults('produce-throughput');
  const records = sampleRecords(Math.max(options.outboxRows, options.relayBatch * 4));
  const relayConfig: ProduceConfig = { batchSize: options.relayBatch, concurrency: 1, compression: 'none' };
  // Every codec at the relay's settings (OUTBOX_COMPRESSION), none first: each against none in this run.
  const codecConfigs: ProduceConfig[] = COMPRESSIONS.map((compression) => ({ ...relayConfig, compression }));
  const isCodecConfig = (config: ProduceConfig) => config.batchSize === relayConfig.batchSize && config.concurrency === 1;
  const configs: ProduceConfig[] = options.matrix
    ? [
        ...[1, 100].flatMap((batchSize) => [1, 4].flatMap((concurrency) => (['none', 'gzip'] as const).map((compression) => ({ batchSize, concurrency, compression })))),
        ...codecConfigs,
        ...(['none', 'gzip'] as const).map((compression) => ({ batchSize: options.relayBatch, concurrency: 4, compression })),
      ]
    : codecConfigs;

  const bare: Array<{ config: ProduceConfig; perSecond: number; latencies: number[] }> = [];
  const measure = async (config: ProduceConfig, label = '') => {
    const progress = timedProgress(`${configName(config)}${label}`, options.seconds);
    return measureKafkaProduce({ brokers: target.kafkaBrokers, records, config, seconds: options.seconds }).finally(() => progress.stop());
  };
  for (const config of configs.filter((entry) => !codecConfigs.includes(entry))) bare.push({ config, ...(await measure(config)) });
  // The codecs in interleaved slices (none, gzip, …, zstd, none, gzip, …): a drift of the shared
  // machine during the run then moves every codec alike, where one slot each hands it to one.
  const slices = new Map(codecConfigs.map((config) => [config, { sent: 0, seconds: 0, latencies: [] as number[] }]));
  for (let round = 1; round <= options.codecRounds; round += 1) {
    for (const [config, total] of slices) {
      const slice = await measure(config, ` (slice ${round} of ${options.codecRounds})`);
      total.sent += slice.sent;
      total.seconds += slice.sent / slice.perSecond;
      total.latencies.push(...slice.latencies);
    }
  }
  for (const [config, total] of slices) bare.push({ config, perSecond: total.sent / total.seconds, latencies: total.latencies });

  const memory = sampleServiceMemory({ producer: target.producerUrl }, { operatorToken });
  const drainBar = createProgress('outbox relay drain', options.outboxRows);
  const relay = await measureOutboxDrain({ brokers: target.kafkaBrokers, topicPrefix: target.topicPrefix, databaseUrl: target.databaseUrl, records: records.slice(0, options.outboxRows), onProgress: drainBar.update }).finally(() => drainBar.stop());
  const peakRss = await memory.stop();
  // The relay's own configuration once more, right after the drain: the ratio uses the mean of
  // the two bare rates, so a drift of the machine during the run moves both sides alike.
  const againBar = timedProgress(`${configName(relayConfig)} (again)`, options.seconds);
  const again = await measureKafkaProduce({ brokers: target.kafkaBrokers, records, config: relayConfig, seconds: options.seconds }).finally(() => againBar.stop());

  const reference = bare.find((entry) => entry.config.batchSize === relayConfig.batchSize && entry.config.concurrency === 1 && entry.config.compression === 'none');
  const best = bare.reduce((top, entry) => (entry.perSecond > top.perSecond ? entry : top), bare[0]!);
  const referenceRate = reference ? (reference.perSecond + again.perSecond) / 2 : Number.NaN;
  const share = ratio(relay.perSecond, referenceRate);
  const verdicts: Verdict[] = [
    { what: `outbox relay / bare produce (batch ${options.relayBatch}, ×1, none)`, measured: `${fixed(share * 100, 0)}%`, target: '≥ 50%', ok: Number.isFinite(share) ? share >= 0.5 : undefined },
    ...peakRssVerdicts(peakRss, 'while draining'),
  ];

  const csv = results.writeCsv('', ['what', 'batch_size', 'concurrency', 'compression', 'records_per_s', 'seq', 'send_latency_ms'], [
    ...bare.flatMap((entry) => entry.latencies.map((ms, i) => ['bare', entry.config.batchSize, entry.config.concurrency, entry.config.compression, entry.perSecond, i, ms])),
    ['outbox-relay', options.relayBatch, 1, 'none', relay.perSecond, 0, Number.NaN],
  ]);
  const plot = results.writeFile('.svg', latencyPlotSvg('Bare kafkajs send latency per batch (acks=all, idempotent)', bare.map((entry) => ({ name: configName(entry.config).replace('bare produce: ', ''), samples: entry.latencies }))));

  log('\nProducer throughput (records of a new-user-created event, ~350 bytes; acks=all, idempotent)');
  log(latencyTable([
    ...bare.map((entry) => ({ name: configName(entry.config), summary: summarize(entry.latencies), extra: { 'records/s': fixed(entry.perSecond, 0) } })),
  ]));
  const none = bare.find((entry) => isCodecConfig(entry.config) && entry.config.compression === 'none');
  const sizes = await compressedSizes(records.slice(0, options.relayBatch));
  log(`\nCompression at the relay's settings (batch ${options.relayBatch}, ×1), each against none in this run (OUTBOX_COMPRESSION)`);
  log(codecTable(bare.filter((entry) => isCodecConfig(entry.config)).map((entry) => ({
    codec: entry.config.compression,
    perSecond: entry.perSecond,
    share: ratio(entry.perSecond, none?.perSecond ?? Number.NaN),
    p99: summarize(entry.latencies).p99,
    bytes: sizes[entry.config.compression],
  }))));
  log(`  outbox relay: ${relay.sent} rows in ${fixed(relay.seconds, 2)} s = ${fixed(relay.perSecond, 0)} records/s over ${relay.batches} batches (unsent after timeout: ${relay.unsent})`);
  log(`  = ${fixed(share * 100, 0)}% of the bare rate at the relay's settings (${fixed(referenceRate, 0)} records/s: ${fixed(reference?.perSecond ?? Number.NaN, 0)} before the drain, ${fixed(again.perSecond, 0)} after); ${fixed(ratio(relay.perSecond, best.perSecond) * 100, 0)}% of the best bare rate (${configName(best.config)})`);
  log(verdictTable(verdicts));
  log(`  samples: ${csv}\n  plot:    ${plot}`);
  return { bare, relay, reference, peakRss, verdicts, csv, plot, sizes };
}

/** One row per codec: its rate, its share of none's, its send p99, and what one batch weighs. */
function codecTable(rows: Array<{ codec: string; perSecond: number; share: number; p99: number; bytes: number | undefined }>): string {
  const table = new Table({ head: ['codec', 'records/s', 'vs none', 'send p99 ms', 'batch bytes'], style: { head: [], border: [] } });
  const raw = rows.find((row) => row.codec === 'none')?.bytes ?? Number.NaN;
  for (const row of rows) {
    table.push([row.codec, fixed(row.perSecond, 0), `${fixed(row.share * 100, 0)}%`, fixed(row.p99, 2), `${row.bytes ?? '—'} (${fixed(ratio(row.bytes ?? Number.NaN, raw) * 100, 0)}%)`]);
  }
  return table.toString();
}
