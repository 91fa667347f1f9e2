import { KAFKA_BINDING_VERSION, type TopicKey } from '@herald/events';
import { TOOL_GROUP_PREFIX } from '@herald/kafka';
import { LIVE_TOPICS } from '../read-api/live-feed';
import { eventTypeOf, SOURCE_TOPICS } from './channels';
import { retryMessages } from './failure-copies';

type JsonSchema = Record<string, unknown>;

/** Who reads what: the consumer's groups (config.ts), as the contract's receive operations state them. */
export interface Readers {
  topics: Record<TopicKey, string>;
  /** The projector's groups: one per source topic, with its commit mode. */
  projections: Array<{ groupId: string; topic: string; commitMode: 'auto' | 'manual' }>;
  retryGroupId: string;
  /** Every process's live group id starts with this (the rest is unique to the process). */
  liveGroupPrefix: string;
  /** Every process's console flow group id starts with this. */
  flowGroupPrefix: string;
  clientId: string;
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const channel = (key: TopicKey) => ({ $ref: `#/channels/${key}` });
const message = (key: string, name: string) => ({ $ref: `#/channels/${key}/messages/${name}` });

/** Send and receive operations for every topic, with the consumer groups' Kafka bindings. */
export function buildOperations({ topics, projections, retryGroupId, liveGroupPrefix, flowGroupPrefix, clientId }: Readers): Record<string, JsonSchema> {
  const group = (groupId: JsonSchema) => ({ kafka: { groupId, clientId: { type: 'string', const: clientId }, bindingVersion: KAFKA_BINDING_VERSION } });
  const operations: Record<string, JsonSchema> = {};
  for (const key of SOURCE_TOPICS) {
    const type = eventTypeOf(key);
    operations[`publish-${type}`] = {
      action: 'send',
      channel: channel(key),
      messages: [message(key, type)],
      summary: `The producer publishes ${type}.`,
      description: 'The producer writes the event with the row it is about in one database transaction (producer/src/outbox/); its relay publishes it with an idempotent producer (acks=all) once that transaction has committed.',
    };
    const projection = projections.find((candidate) => candidate.topic === topics[key]);
    if (projection) {
      operations[`project-${type}`] = {
        action: 'receive',
        channel: channel(key),
        messages: [message(key, type)],
        summary: `The consumer's projector writes ${type} into its read models.`,
        description:
          projection.commitMode === 'auto'
            ? 'Auto commit (kafkajs autoCommit); handling is idempotent, so a redelivered event changes nothing.'
            : 'Manual commit: the offset is committed after the read model\'s transaction commits; handling is idempotent.',
        bindings: group({ type: 'string', const: projection.groupId }),
      };
    }
  }
  for (const key of LIVE_TOPICS) {
    const type = eventTypeOf(key);
    operations[`push-${type}`] = {
      action: 'receive',
      channel: channel(key),
      messages: [message(key, type)],
      summary: `Every consumer process pushes ${type} to its GraphQL subscribers.`,
      description: 'A group of its own per process (consumer/src/read-api/live-feed.ts), from the latest offset, never committed.',
      bindings: group({ type: 'string', pattern: `^${escape(liveGroupPrefix)}` }),
    };
  }
  const retried = Object.keys(retryMessages(SOURCE_TOPICS.map(eventTypeOf))).map((name) => message('retry', name));
  operations['send-retry'] = { action: 'send', channel: channel('retry'), messages: retried, summary: 'The consumer sends a record whose handling failed transiently to be tried again.' };
  operations['read-retry'] = {
    action: 'receive',
    channel: channel('retry'),
    messages: retried,
    summary: 'The retry group tries each copy again once its not-before time has come.',
    bindings: group({ type: 'string', const: retryGroupId }),
  };
  operations['send-dead-letter'] = {
    action: 'send',
    channel: channel('deadLetter'),
    messages: [message('deadLetter', 'dead-letter')],
    summary: 'The consumer dead-letters a record after its last retry, or at once when it can never succeed.',
  };
  operations['browse-dead-letter'] = {
    action: 'receive',
    channel: channel('deadLetter'),
    messages: [message('deadLetter', 'dead-letter')],
    summary: 'Operators browse the dead-letter queue and replay records to their original topic (the console, npm run dlq).',
    description: 'Read with a throwaway group per read, which commits nothing.',
    bindings: group({ type: 'string', pattern: `^${escape(TOOL_GROUP_PREFIX)}[0-9a-f]{12}$` }),
  };
  // The console's live flow: while a console watches, a group of each process's own reads every
  // topic from the latest offset and commits nothing (consumer/src/ops/console/flow-tap.ts).
  const watched: Array<[TopicKey, string, JsonSchema[]]> = [
    ...SOURCE_TOPICS.map((key): [TopicKey, string, JsonSchema[]] => [key, eventTypeOf(key), [message(key, eventTypeOf(key))]]),
    ['retry', 'retry', retried],
    ['deadLetter', 'dead-letter', [message('deadLetter', 'dead-letter')]],
  ];
  for (const [key, name, messages] of watched) {
    operations[`watch-${name}`] = {
      action: 'receive',
      channel: channel(key),
      messages,
      summary: 'The operator console counts every topic\'s records for its live flow, while a console watches.',
      bindings: group({ type: 'string', pattern: `^${escape(flowGroupPrefix)}` }),
    };
  }
  return operations;
}
