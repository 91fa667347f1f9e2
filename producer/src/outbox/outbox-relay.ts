import type { Logger } from '@herald/core';
import { ACKS_ALL, createReliableProducer, ensureTopics } from '@herald/kafka';
import type { Kafka, Message, Producer } from 'kafkajs';
import type { Pool } from 'pg';
import type { OutboxMetrics } from '../http/metrics';

export interface OutboxRelayOptions {
  /** A small pool of its own: the relay's queries are plain SQL on the hot path, no ORM. */
  pool: Pool;
  kafka: Kafka;
  /** Topics to create at start-up when missing. */
  topics: string[];
  partitions: number;
  replicationFactor: number;
  batchSize: number;
  pollIntervalMs: number;
  maxBackoffMs: number;
  metrics: OutboxMetrics;
  logger: Logger;
}

export interface OutboxRelay {
  start(): void;
  /** Wakes the relay now (called on NOTIFY). */
  wake(): void;
  /** Whether the relay is connected to Kafka and its last send worked. */
  isConnected(): boolean;
  /** Stops taking new work, publishes what is pending (up to `timeoutMs`), disconnects. */
  stop(timeoutMs: number): Promise<void>;
}

interface PendingRow {
  id: string;
  topic: string;
  key: string;
  /** The event as it was serialised when written: published byte for byte, never re-encoded. */
  value: string;
  headers: Record<string, string>;
}

// Only one relay publishes at a time, across all producer instances, so per-key order in the
// outbox is the order on the partition. Any constant works if every instance uses the same one.
const RELAY_LOCK_KEY = 0x4f55_5442;

/**
 * Publishes committed outbox rows to Kafka and marks them sent. Wakes on NOTIFY and, as a
 * fallback, on a timer. While Kafka or PostgreSQL is unreachable it retries with backoff; rows
 * stay in the outbox until a send is acknowledged by all in-sync replicas.
 *
 * Delivery is at least once: if the broker acknowledges a batch and the UPDATE marking it sent
 * then fails, the batch is sent again. Consumers de-duplicate on `eventId`.
 */
export function createOutboxRelay(options: OutboxRelayOptions): OutboxRelay {
  const { pool, kafka, batchSize, pollIntervalMs, maxBackoffMs, metrics, logger } = options;
  let producer: Producer | undefined;
  let running = false;
  let loop: Promise<void> | undefined;
  let wakeUp: (() => void) | undefined;
  let woken = false;
  let failures = 0;

  const sleep = (ms: number) =>
    new Promise<void>((resolveSleep) => {
      if (woken || !running) return resolveSleep();
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        wakeUp = undefined;
        resolveSleep();
      }
      wakeUp = done;
    });

  const connect = async (): Promise<Producer> => {
    const admin = kafka.admin();
    await admin.connect();
    try {
      await ensureTopics({ admin, topics: options.topics, partitions: options.partitions, replicationFactor: options.replicationFactor, logger });
    } finally {
      await admin.disconnect();
    }
    const next = createReliableProducer(kafka);
    await next.connect();
    logger.info('outbox relay connected to Kafka');
    return next;
  };

  const disconnect = async () => {
    const current = producer;
    producer = undefined;
    await current?.disconnect().catch(() => {});
  };

  /** Publishes one batch; returns how many rows it sent. */
  const drainOnce = async (connected: Producer): Promise<number> => {
    const client = await pool.connect();
    try {
      // One round trip each: the relay runs this cycle for every few events, so round trips are
      // its latency. The transaction only marks rows sent: if a crash loses the mark, the batch
      // is sent again (at least once, which consumers absorb), so it need not wait for the WAL flush.
      await client.query('BEGIN; SET LOCAL synchronous_commit TO off');
      // The lock is taken once (a CTE calling a volatile function is evaluated once); without it,
      // another instance is publishing and this one reads nothing.
      const { rows } = await client.query<PendingRow>(
        `WITH leader AS (SELECT pg_try_advisory_xact_lock($2) AS locked)
         SELECT id, topic, key, value::text AS value, headers FROM outbox_events, leader
          WHERE leader.locked AND sent_at IS NULL ORDER BY id LIMIT $1`,
        [batchSize, RELAY_LOCK_KEY],
      );
      if (rows.length > 0) {
        const byTopic = new Map<string, Message[]>();
        for (const row of rows) {
          const messages = byTopic.get(row.topic) ?? [];
          messages.push({ key: row.key, value: row.value, headers: row.headers });
          byTopic.set(row.topic, messages);
        }
        await connected.sendBatch({ acks: ACKS_ALL, topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })) });
        await client.query('UPDATE outbox_events SET sent_at = now() WHERE id = ANY($1::bigint[])', [rows.map((row) => row.id)]);
      }
      await client.query('COMMIT');
      return rows.length;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  };

  const run = async () => {
    while (running) {
      woken = false;
      try {
        producer ??= await connect();
        const sent = await drainOnce(producer);
        failures = 0;
        if (sent > 0) metrics.published.inc(sent);
        if (sent === batchSize) continue; // more may be waiting
      } catch (error) {
        failures += 1;
        metrics.failures.inc();
        const backoff = Math.min(maxBackoffMs, 100 * 2 ** Math.min(failures, 10));
        logger.warn({ err: error, retryInMs: backoff }, 'outbox relay could not publish; events stay in the outbox');
        // A fresh producer after a failure: kafkajs' idempotent producer does not always recover
        // its session after the broker went away.
        await disconnect();
        await sleep(backoff);
        continue;
      }
      await sleep(pollIntervalMs);
    }
  };

  return {
    start() {
      if (running) return;
      running = true;
      loop = run();
    },
    wake() {
      woken = true;
      wakeUp?.();
    },
    isConnected: () => producer !== undefined && failures === 0,
    async stop(timeoutMs) {
      running = false;
      wakeUp?.();
      await loop;
      // Publish what was committed before shutdown, if Kafka is there to take it.
      const deadline = Date.now() + timeoutMs;
      try {
        while (producer && Date.now() < deadline) {
          const sent = await drainOnce(producer);
          if (sent > 0) metrics.published.inc(sent);
          if (sent < batchSize) break;
        }
      } catch (error) {
        logger.warn({ err: error }, 'outbox relay could not publish everything before shutdown; the next start will');
      }
      await disconnect();
    },
  };
}
