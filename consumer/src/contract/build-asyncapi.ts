import { eventMessages, READER_TOLERANCE, type EventType } from '@herald/events';
import type { ConsumerConfig } from '../config';
import { buildChannels, eventTypeOf, SOURCE_TOPICS, type ChannelSettings } from './channels';
import { deadLetterMessage, retryMessages } from './failure-copies';
import { buildOperations, type Readers } from './operations';

export type AsyncApiSettings = ChannelSettings & Readers;
export type AsyncApiDocument = Record<string, unknown>;

/** Herald's version (package.json): the contract changes with the code. */
const VERSION = '0.1.0';

const OVERVIEW = [
  'Every topic Herald writes or reads, generated from the zod schemas in libs/events (npm run contracts writes docs/contracts/asyncapi.json; the consumer serves it at GET /asyncapi.json).',
  'Values are JSON event envelopes {eventId, type, version, occurredAt, payload}; keys are the id of the user an event is about.',
  READER_TOLERANCE,
  'Personal fields travel sealed per user (JWE, x-herald-sealed on the field says how and what is inside), so no topic holds them in plain text.',
  'Replication is per deployment: 1 locally, 3 on MSK.',
].join('\n\n');

/** The settings of the deployment a consumer config describes. */
export function asyncApiSettingsOf(config: Pick<ConsumerConfig, 'topics' | 'kafka' | 'projector' | 'readApi' | 'ops'>): AsyncApiSettings {
  return {
    topics: config.topics,
    partitions: config.kafka.partitions,
    replicas: config.kafka.replicationFactor,
    projections: Object.values(config.projector.groups),
    retryGroupId: config.projector.retryGroupId,
    liveGroupPrefix: config.readApi.liveGroupPrefix,
    flowGroupPrefix: config.ops.flowGroupPrefix,
    clientId: config.kafka.clientId,
  };
}

/** The AsyncAPI 3.0 document for these settings: channels, operations, messages and schemas. */
export function buildAsyncApi(settings: AsyncApiSettings): AsyncApiDocument {
  const types: EventType[] = SOURCE_TOPICS.map(eventTypeOf);
  const events = eventMessages();
  return {
    asyncapi: '3.0.0',
    info: { title: 'Herald events', version: VERSION, description: OVERVIEW, license: { name: 'MIT' } },
    defaultContentType: 'application/json',
    channels: buildChannels(settings, types),
    operations: buildOperations(settings),
    components: {
      messages: { ...events.messages, ...retryMessages(types), [deadLetterMessage.name as string]: deadLetterMessage },
      schemas: events.schemas,
    },
  };
}

/** The document as the checked-in file holds it. */
export const renderAsyncApi = (document: AsyncApiDocument): string => `${JSON.stringify(document, null, 2)}\n`;
