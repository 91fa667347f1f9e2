import type { Consumer, Kafka } from 'kafkajs';

/**
 * A kafkajs consumer for one group, with the session timeout from config and a flag that says
 * whether it is currently a member (for /ready).
 */
export function createGroupConsumer(kafka: Kafka, { groupId, sessionTimeoutMs }: { groupId: string; sessionTimeoutMs: number }) {
  const consumer: Consumer = kafka.consumer({
    groupId,
    maxWaitTimeInMs: 100,
    sessionTimeout: sessionTimeoutMs,
    heartbeatInterval: Math.max(500, Math.floor(sessionTimeoutMs / 10)),
    retry: { retries: 10 },
  });
  let joined = false;
  consumer.on(consumer.events.GROUP_JOIN, () => (joined = true));
  consumer.on(consumer.events.CRASH, () => (joined = false));
  consumer.on(consumer.events.STOP, () => (joined = false));
  return { consumer, isJoined: () => joined };
}
