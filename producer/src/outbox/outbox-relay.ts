import type { Logger } from '@herald/core';
import { HEADERS } from '@herald/events';
import { defaultTracer, inSendSpan } from '@herald/telemetry';
import type { Tracer } from '@opentelemetry/api';
import { ACKS_ALL, compressionType, createReliableProducer, ensureTopics, type Compression, type KafkaClient, type KafkaProducer, type RecordToSend } from '@herald/kafka';
import type { Pool, PoolClient } from 'pg';
import type { OutboxMetrics } from '../http/metrics';

export interface OutboxRelayOptions {
  /** A small pool of its own: the relay's queries are plain SQL on the hot path, no ORM. */
  pool: Pool;
  kafka: KafkaClient;
  /** Topics to create at start-up when missing. */
  topics: string[];
  partitions: number;
  replicationFactor: number;
  batchSize: number;
  pollIntervalMs: number;
  maxBackoffMs: number;
  /** Codec of each record batch sent (OUTBOX_COMPRESSION). */
  compression?: Compression;
  metrics: OutboxMetrics;
  logger: Logger;
  /** Where the send spans come from (tests give one of their own). */
  tracer?: Tracer;
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

/** The two connections of a relay that holds the leadership. */
interface Leadership {
  /** Holds the session-level advisory lock and reads batches. */
  reader: PoolClient;
  /** Marks sent batches, so marking one overlaps reading and sending the next. */
  marker: PoolClient;
}

// Only one relay publishes at a time, across all producer instances, so per-key order in the
// outbox is the order on the partition. Any constant works if every instance uses the same one.
export const RELAY_LOCK_KEY = 0x4f55_5442;

/** Marks a promise as handled now; awaiting it later still throws. */
const handled = <T>(promise: Promise<T>): Promise<T> => {
  promise.catch(() => {});
  return promise;
};

/**
 * Publishes committed outbox rows to Kafka and marks them sent. Wakes on NOTIFY and, as a
 * fallback, on a timer. While Kafka or PostgreSQL is unreachable it retries with backoff; rows
 * stay in the outbox until a send is acknowledged by all in-sync replicas.
 *
 * The relay that holds a session-level advisory lock publishes; the others wait for it to go
 * (the lock goes with its connection). The leader pipelines: while batch N is sent, batch N+1 is
 * read, and N is marked sent while N+1 is sent. Sends stay one at a time and in read order.
 *
 * Delivery is at least once: if the broker acknowledges a batch and marking it fails, or the
 * process dies in between, the batch is sent again. Consumers de-duplicate on `eventId`.
 */
export function createOutboxRelay(options: OutboxRelayOptions): OutboxRelay {
  const { pool, kafka, batchSize, pollIntervalMs, maxBackoffMs, compression = 'none', metrics, logger, tracer = defaultTracer() } = options;
  let producer: KafkaProducer | undefined;
  let leadership: Leadership | undefined;
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

  const connect = async (): Promise<KafkaProducer> => {
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

  // The leader keeps its two connections checked out, where the pool no longer listens for their
  // errors: a session ended by the server would otherwise be an unhandled 'error' event. The next
  // query on it fails, and the relay resigns and tries again.
  const onConnectionError = (error: Error) => logger.warn({ err: error }, 'outbox relay lost a database connection');

  /** Takes the leadership if no other relay holds it; undefined when one does. */
  const lead = async (): Promise<Leadership | undefined> => {
    const reader = await pool.connect();
    reader.on('error', onConnectionError);
    try {
      const { rows } = await reader.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1) AS locked', [RELAY_LOCK_KEY]);
      if (!rows[0]?.locked) {
        reader.off('error', onConnectionError);
        reader.release();
        return undefined;
      }
      const marker = await pool.connect();
      marker.on('error', onConnectionError);
      // A lost mark only sends its batch again, so marks need not wait for the WAL flush.
      await marker.query('SET synchronous_commit TO off').catch((error: unknown) => {
        marker.release(true);
        throw error;
      });
      logger.info('outbox relay is the publishing relay');
      return { reader, marker };
    } catch (error) {
      reader.release(true);
      throw error;
    }
  };

  /** Closing the connections releases the lock, whatever state they are in. */
  const resign = () => {
    leadership?.reader.release(true);
    leadership?.marker.release(true);
    leadership = undefined;
  };

  /** Unsent rows in id order, leaving out those sent and still being marked. */
  const readBatch = async ({ reader }: Leadership, marking: ReadonlySet<string>): Promise<PendingRow[]> => {
    woken = false; // this read sees everything committed so far
    const { rows } = await reader.query<PendingRow>(
      `SELECT id, topic, key, value::text AS value, headers FROM outbox_events
        WHERE sent_at IS NULL AND id <> ALL($2::bigint[]) ORDER BY id LIMIT $1`,
      [batchSize, [...marking]],
    );
    return rows;
  };

  /**
   * One batch, in one `send` span linked to each row's creation context. The records carry the
   * headers the rows were written with, `traceparent` included: the relay adds no context of its own.
   */
  const send = async (connected: KafkaProducer, rows: PendingRow[]) => {
    const byTopic = new Map<string, RecordToSend[]>();
    for (const row of rows) {
      const messages = byTopic.get(row.topic) ?? [];
      messages.push({ key: row.key, value: row.value, headers: row.headers });
      byTopic.set(row.topic, messages);
    }
    const traced = rows.map(({ topic, key, headers }) => ({ topic, key, eventId: headers[HEADERS.eventId], traceparent: headers[HEADERS.traceparent] }));
    await inSendSpan(tracer, traced, () =>
      connected.sendBatch({ acks: ACKS_ALL, compression: compressionType(compression), topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })) }),
    );
    metrics.published.inc(rows.length);
  };

  const mark = async ({ marker }: Leadership, ids: string[]) => {
    await marker.query('UPDATE outbox_events SET sent_at = now() WHERE id = ANY($1::bigint[])', [ids]);
  };

  /**
   * Publishes until the outbox is empty or `carryOn` says stop; returns once every sent batch is
   * marked.
   */
  const publish = async (connected: KafkaProducer, leader: Leadership, carryOn: () => boolean) => {
    const marking = new Set<string>();
    let lastMark: Promise<void> = Promise.resolve();
    let next = handled(readBatch(leader, marking));
    while (carryOn()) {
      const rows = await next;
      if (rows.length === 0) {
        if (!woken) break; // nothing committed since that read was issued
        // Committed while the last batch was being sent: read now, not after its mark.
        next = handled(readBatch(leader, marking));
        continue;
      }
      for (const row of rows) marking.add(row.id);
      // Only a full batch says more is waiting; a short one was everything committed at the read.
      next = handled(rows.length === batchSize || woken ? readBatch(leader, marking) : Promise.resolve([]));
      await send(connected, rows);
      await lastMark; // one mark at a time; it ran while this batch was sent
      const ids = rows.map((row) => row.id);
      lastMark = handled(mark(leader, ids).then(() => ids.forEach((id) => marking.delete(id))));
    }
    await lastMark;
  };

  const run = async () => {
    while (running) {
      try {
        producer ??= await connect();
        leadership ??= await lead();
        if (leadership) await publish(producer, leadership, () => running);
        failures = 0;
      } catch (error) {
        failures += 1;
        metrics.failures.inc();
        const backoff = Math.min(maxBackoffMs, 100 * 2 ** Math.min(failures, 10));
        logger.warn({ err: error, retryInMs: backoff }, 'outbox relay could not publish; events stay in the outbox');
        // Fresh connections after a failure: kafkajs' idempotent producer does not always recover
        // its session after the broker went away, and a broken reader may have lost the lock.
        resign();
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
      try {
        const deadline = Date.now() + timeoutMs;
        if (producer && leadership) await publish(producer, leadership, () => Date.now() < deadline);
      } catch (error) {
        logger.warn({ err: error }, 'outbox relay could not publish everything before shutdown; the next start will');
      }
      resign();
      await disconnect();
    },
  };
}
