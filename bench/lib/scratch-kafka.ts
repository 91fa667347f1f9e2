import { randomBytes } from 'node:crypto';
import { DEFAULT_PARTITIONS } from '@herald/events';
import { createLogger } from '@herald/core';
import { ensureTopics, registerCompressionCodecs } from '@herald/kafka';
import { ConfigResourceTypes, Kafka, logLevel, type Admin } from 'kafkajs';

/**
 * A kafkajs client on the system's broker and a scratch topic of its own (8 partitions, as the
 * services' topics), deleted again by `drop()`. Baselines run here so they share the broker, not
 * the services' topics.
 */
export async function createScratchTopic(brokers: string[], purpose: string) {
  registerCompressionCodecs(); // the codecs Herald's clients have: the baselines send and read with them too
  const kafka = new Kafka({ clientId: `herald-bench-${purpose}`, brokers, logLevel: logLevel.NOTHING });
  const topic = `herald-bench-${purpose}-${randomBytes(4).toString('hex')}`;
  const admin = kafka.admin();
  await admin.connect();
  await ensureBenchTopic(admin, topic);
  return {
    kafka,
    topic,
    async drop(): Promise<void> {
      await admin.deleteTopics({ topics: [topic] }).catch(() => {});
      await admin.disconnect();
    },
  };
}

/**
 * A bench topic that stays: for the outbox relay's drain. The relay's kafkajs producer keeps every
 * topic it has sent to in its metadata; once such a topic is deleted, each metadata refresh fails
 * and the relay backs off, so a scratch topic per run would slow every later run. Records expire
 * after ten minutes.
 */
export async function keptBenchTopic(brokers: string[], topic: string) {
  const admin = new Kafka({ clientId: 'herald-bench', brokers, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    await ensureBenchTopic(admin, topic);
    await admin.alterConfigs({ validateOnly: false, resources: [{ type: ConfigResourceTypes.TOPIC, name: topic, configEntries: [{ name: 'retention.ms', value: String(10 * 60_000) }] }] });
  } finally {
    await admin.disconnect();
  }
  return topic;
}

/** 8 partitions, as the services' topics, on the one local broker. */
const ensureBenchTopic = (admin: Admin, topic: string) =>
  ensureTopics({ admin, topics: [topic], partitions: DEFAULT_PARTITIONS, replicationFactor: 1, logger: createLogger({ name: 'bench', level: 'warn' }) });
