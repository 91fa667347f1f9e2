import { Parser } from '@asyncapi/parser';
import { eventSchemas, topicNames } from '@herald/events';
import { FAILURE_HEADERS } from '@herald/kafka';
import { loadConfig } from '../config';
import { asyncApiSettingsOf, buildAsyncApi } from './build-asyncapi';
import { referenceAsyncApi } from './reference-asyncapi';

interface Document {
  channels: Record<string, { address: string; messages: Record<string, unknown>; bindings: { kafka: { topic: string; partitions: number } } }>;
  operations: Record<string, { action: string; channel: { $ref: string }; bindings?: { kafka: { groupId: { const?: string; pattern?: string } } } }>;
  components: { messages: Record<string, { headers: { properties: Record<string, unknown> } }> };
}

const config = loadConfig({ DATABASE_URL: 'postgres://localhost/herald_consumer', KAFKA_TOPIC_PREFIX: 'test.', CONSUMER_GROUP_PREFIX: 'test-group' });

describe('the AsyncAPI contract', () => {
  // Whether the checked-in file is current: scripts/contracts/contracts.test.ts, with every generated contract.
  it('is valid AsyncAPI: the parser reports no error', async () => {
    const { diagnostics } = await new Parser().parse(referenceAsyncApi());
    // Severity 0 is an error (1 a warning, 2 information, 3 a hint).
    expect(diagnostics.filter((diagnostic) => diagnostic.severity === 0).map((diagnostic) => `${diagnostic.path.join('.')}: ${diagnostic.message}`)).toEqual([]);
  }, 120_000);

  it('has a channel for every topic and a message for every event type, so a new one fails until it is generated', () => {
    const document = buildAsyncApi(asyncApiSettingsOf(config)) as unknown as Document;
    const channels = Object.values(document.channels);

    expect(channels.map((channel) => channel.address).sort()).toEqual(Object.values(topicNames('test.')).sort());
    for (const channel of channels) expect(channel.bindings.kafka).toMatchObject({ topic: channel.address, partitions: config.kafka.partitions });
    for (const type of Object.keys(eventSchemas)) {
      expect([type, channels.filter((channel) => Object.hasOwn(channel.messages, type)).map((channel) => channel.address)]).toEqual([type, [`test.${type}`]]);
      expect(Object.keys(document.channels.retry!.messages)).toContain(`${type}.retry`);
    }
  });

  it('names each projection\'s group, the retry group, and the failure headers of the copies', () => {
    const document = buildAsyncApi(asyncApiSettingsOf(config)) as unknown as Document;
    const receivers = Object.values(document.operations).filter((operation) => operation.action === 'receive');
    const groupIds = receivers.map((operation) => operation.bindings?.kafka.groupId.const).filter(Boolean);

    expect(groupIds.sort()).toEqual([...Object.values(config.projector.groups).map((group) => group.groupId), config.projector.retryGroupId].sort());
    expect(document.operations['push-new-user-created']!.bindings!.kafka.groupId.pattern).toBe('^test-group\\.live\\.');
    // Every reader states its group: a new one fails here until the contract names it.
    expect(receivers.filter((operation) => !operation.bindings?.kafka.groupId)).toEqual([]);
    expect(document.operations['watch-dead-letter']!.bindings!.kafka.groupId.pattern).toBe('^test-group\\.console\\.');
    expect(document.operations['browse-dead-letter']!.bindings!.kafka.groupId.pattern).toBe('^herald-tool\\.[0-9a-f]{12}$');
    const copyHeaders = [document.components.messages['new-user-created.retry']!, document.components.messages['dead-letter']!].flatMap((message) => Object.keys(message.headers.properties));
    for (const header of Object.values(FAILURE_HEADERS).filter((name) => name !== FAILURE_HEADERS.notBefore && name !== FAILURE_HEADERS.failedAt && name !== FAILURE_HEADERS.valueDropped)) {
      expect(copyHeaders.filter((name) => name === header)).toHaveLength(2);
    }
  });
});
