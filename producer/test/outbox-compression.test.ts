import { captureLogger, eventually, isReady, newUser, startProbe, testKafka } from '@herald/testing';
import { request } from './support/contract';
import { compressionType, type Compression } from '@herald/kafka';
import { parseEvent } from '@herald/events';
import { CompressionCodecs } from 'kafkajs';
import { startProducer } from '../src/main';
import { createTestDatabase, testProducerConfig } from './support/test-env';
import { openedPayload } from './support/opened';

type Codec = { compress(encoder: { buffer: Buffer }): Promise<Buffer>; decompress(buffer: Buffer): Promise<Buffer> };
const codecs = CompressionCodecs as unknown as Record<number, () => Codec>;

/**
 * Counts the batches a codec compresses and decompresses, still running the real codec: kafkajs
 * looks its codec up for every batch, so a counter around the registered one sees each use.
 */
function countUses(compression: Compression) {
  const type = compressionType(compression);
  const real = codecs[type]!;
  const uses = { compressed: 0, decompressed: 0 };
  codecs[type] = () => {
    const codec = real();
    return {
      compress: (encoder) => ((uses.compressed += 1), codec.compress(encoder)),
      decompress: (buffer) => ((uses.decompressed += 1), codec.decompress(buffer)),
    };
  };
  return { uses, restore: () => (codecs[type] = real) };
}

describe('the outbox relay compresses its batches with OUTBOX_COMPRESSION (real Kafka, real PostgreSQL)', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;

  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database?.drop();
  });

  // The broker decompresses every batch it is sent to validate it, so a frame it cannot read
  // would fail the send; the probe reads it back through Herald's own codecs.
  it.each(['gzip', 'snappy', 'lz4', 'zstd'] as const)('with %s, a sign-up is published compressed, accepted by the broker and read back intact', async (compression) => {
    const config = testProducerConfig({ databaseUrl: database.url, overrides: { OUTBOX_COMPRESSION: compression } });
    const producer = await startProducer(config, captureLogger('producer-test').logger);
    await eventually(isReady(producer.url), { what: 'producer ready (topics created)' });
    const probe = await startProbe(testKafka(), [config.topics.newUserCreated]);
    const counter = countUses(compression);
    try {
      const body = newUser();
      const response = await request(producer.url, 'POST', '/users', body);
      expect(response.status).toBe(201);

      const [record] = await probe.waitFor((r) => r.key === response.body.id);
      const event = parseEvent(JSON.parse(record!.value));
      expect(event.type).toBe('new-user-created');
      expect(await openedPayload(producer.url, event)).toMatchObject({ userId: response.body.id, username: body.username });
      expect(counter.uses.compressed).toBeGreaterThanOrEqual(1);
      expect(counter.uses.decompressed).toBeGreaterThanOrEqual(1);
    } finally {
      counter.restore();
      await probe.stop();
      await producer.stop();
    }
  });
});
