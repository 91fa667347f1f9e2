import { CompressionCodecs } from 'kafkajs';
import { compressionType, registerCompressionCodecs, type Compression } from './compression';
import { MAX_DECOMPRESSED_BATCH_BYTES } from './decompression-limit';
import { lz4FrameBound, snappyDeclaredLength } from './decompressed-size';

type Codec = { compress(encoder: { buffer: Buffer }): Promise<Buffer>; decompress(buffer: Buffer): Promise<Buffer> };
const codec = (compression: Compression) => (CompressionCodecs as unknown as Record<number, () => Codec>)[compressionType(compression)]!();

describe('compression codecs', () => {
  beforeAll(() => registerCompressionCodecs());

  const batch = Buffer.from(JSON.stringify(Array.from({ length: 500 }, (_, i) => ({ type: 'new-user-created', username: `user_${i}`, email: `user_${i}@example.com` }))));

  it.each(['gzip', 'snappy', 'lz4', 'zstd'] as const)('%s compresses a batch and reads it back byte for byte', async (compression) => {
    const compressed = await codec(compression).compress({ buffer: batch });
    expect(compressed.length).toBeLessThan(batch.length / 3);
    expect((await codec(compression).decompress(compressed)).equals(batch)).toBe(true);
  });

  // Zeros compress about a thousand times (gzip, zstd) or 250 times (LZ4): a small batch on the wire.
  it.each(['gzip', 'lz4', 'zstd'] as const)('%s refuses a batch that would decompress past the limit, as zlib does at its output limit', async (compression) => {
    const bomb = await codec(compression).compress({ buffer: Buffer.alloc(MAX_DECOMPRESSED_BATCH_BYTES + 1024 * 1024) });
    expect(bomb.length).toBeLessThan(1024 * 1024); // within Kafka's default max.message.bytes
    await expect(codec(compression).decompress(bomb)).rejects.toMatchObject({ code: 'ERR_BUFFER_TOO_LARGE' });
  });

  it('snappy refuses, from the lengths the batch declares, one that would decompress past the limit', async () => {
    const declared = Buffer.from([0x80, 0x80, 0x80, 0x20, 0x00]); // a varint of 64 MiB, then no data
    expect(snappyDeclaredLength(declared)).toBe(64 * 1024 * 1024);
    await expect(codec('snappy').decompress(declared)).rejects.toMatchObject({ code: 'ERR_BUFFER_TOO_LARGE' });
    const compressed = await codec('snappy').compress({ buffer: batch });
    expect(snappyDeclaredLength(compressed)).toBe(batch.length);
  });

  it('bounds an LZ4 frame by its blocks, refusing one that is not a frame or has no end', async () => {
    const frame = await codec('lz4').compress({ buffer: batch });
    expect(lz4FrameBound(frame)).toBeGreaterThanOrEqual(batch.length);
    expect(lz4FrameBound(frame)).toBeLessThan(MAX_DECOMPRESSED_BATCH_BYTES);
    expect(lz4FrameBound(Buffer.from('not a frame'))).toBe(Number.POSITIVE_INFINITY);
    expect(lz4FrameBound(frame.subarray(0, frame.length - 8))).toBe(Number.POSITIVE_INFINITY);
  });
});
