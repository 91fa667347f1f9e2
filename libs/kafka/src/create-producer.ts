import { Partitioners, type Kafka, type Producer } from 'kafkajs';

/**
 * A producer that writes each record exactly once per send and keeps per-key order: idempotent,
 * acks from all in-sync replicas, one request in flight (kafkajs' idempotence needs it for
 * ordering). The default partitioner is murmur2, as in the Java client, so a key maps to the
 * same partition whichever language produced it.
 */
export function createReliableProducer(kafka: Kafka, { retries = 5 }: { retries?: number } = {}): Producer {
  return kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
    createPartitioner: Partitioners.DefaultPartitioner,
    // Bounded: the caller (the outbox relay) owns the longer retry, so a send fails rather than
    // hanging forever while the broker is away.
    retry: { retries, initialRetryTime: 100, maxRetryTime: 2000 },
  });
}

/** acks=-1: the leader answers once every in-sync replica has the record. */
export const ACKS_ALL = -1;
