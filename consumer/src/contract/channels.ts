import { KAFKA_BINDING_VERSION, TOPICS, type EventType, type TopicKey } from '@herald/events';
import { deadLetterMessage, retryMessages } from './failure-copies';

type JsonSchema = Record<string, unknown>;

/** The topics the producer writes, each holding the event of the same name. */
export const SOURCE_TOPICS = (Object.keys(TOPICS) as TopicKey[]).filter((key) => key !== 'retry' && key !== 'deadLetter');
export const eventTypeOf = (key: TopicKey): EventType => TOPICS[key] as EventType;

export interface ChannelSettings {
  topics: Record<TopicKey, string>;
  partitions: number;
  /** The replication factor, when the document describes one deployment (the checked-in one does not). */
  replicas?: number;
}

const WHY: Record<'source' | 'retry' | 'deadLetter', string> = {
  source: 'Written by the producer through its transactional outbox; keyed by the user the event is about, so one user\'s events stay in order on one partition.',
  retry: 'Written by the consumer when handling fails transiently (exponential backoff), and by a consumer that meets an event version newer than it knows; read by the retry group, which hands each copy back to its projection once its not-before time has come.',
  deadLetter: 'Written by the consumer after the last retry, or at once for a record that can never succeed. Nothing projects it: operators browse it and replay records to their original topic from the console.',
};

/** One channel per topic, with its Kafka binding and the messages it carries. */
export function buildChannels({ topics, partitions, replicas }: ChannelSettings, types: EventType[]): Record<string, JsonSchema> {
  const channel = (key: TopicKey, description: string, messages: Record<string, JsonSchema>) => ({
    address: topics[key],
    title: topics[key],
    description,
    messages,
    bindings: { kafka: { topic: topics[key], partitions, ...(replicas === undefined ? {} : { replicas }), bindingVersion: KAFKA_BINDING_VERSION } },
  });
  const ref = (path: string) => ({ $ref: path });
  return {
    ...Object.fromEntries(SOURCE_TOPICS.map((key) => [key, channel(key, WHY.source, { [eventTypeOf(key)]: ref(`#/components/messages/${eventTypeOf(key)}`) })])),
    retry: channel('retry', WHY.retry, Object.fromEntries(Object.keys(retryMessages(types)).map((name) => [name, ref(`#/components/messages/${name}`)]))),
    deadLetter: channel('deadLetter', WHY.deadLetter, { [deadLetterMessage.name as string]: ref(`#/components/messages/${deadLetterMessage.name as string}`) }),
  };
}
