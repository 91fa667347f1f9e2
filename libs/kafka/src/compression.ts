import { zstdCompressSync, zstdDecompressSync } from 'node:zlib';
import { CompressionCodecs, CompressionTypes } from 'kafkajs';
import SnappyCodec from 'kafkajs-snappy';

/** The codecs a Herald producer may compress with; kafkajs has none and gzip built in. */
export const COMPRESSIONS = ['none', 'gzip', 'snappy', 'lz4', 'zstd'] as const;
export type Compression = (typeof COMPRESSIONS)[number];

const TYPES: Record<Compression, CompressionTypes> = {
  none: CompressionTypes.None,
  gzip: CompressionTypes.GZIP,
  snappy: CompressionTypes.Snappy,
  lz4: CompressionTypes.LZ4,
  zstd: CompressionTypes.ZSTD,
};

/** The kafkajs attribute for a send with `compression`. */
export const compressionType = (compression: Compression): CompressionTypes => TYPES[compression];

/**
 * lz4-napi, loaded on first use: its binary is an optional dependency per platform, which an
 * install with `--omit=optional` (the images) leaves out; only a client that meets LZ4 needs it.
 */
export function loadLz4(): typeof import('lz4-napi') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy, see above
  return require('lz4-napi') as typeof import('lz4-napi');
}

/** Whether `compression` can be used here (LZ4 needs its platform's binary). */
export function compressionAvailable(compression: Compression): boolean {
  if (compression !== 'lz4') return true;
  try {
    loadLz4();
    return true;
  } catch {
    return false;
  }
}

// The codecs run synchronously on purpose: their async forms run on libuv's thread pool, which
// argon2 already keeps busy; a batch of 500 records (~175 kB) takes well under a millisecond.
// LZ4 is Kafka's framed format (the LZ4 frame), which lz4-napi's frame functions write and read.
const lz4Codec = () => ({
  compress: async (encoder: { buffer: Buffer }) => loadLz4().compressFrameSync(encoder.buffer),
  decompress: async (buffer: Buffer) => loadLz4().decompressFrameSync(buffer),
});

// Node's own zlib has zstd: no native build of a third-party binding (which fails on Node 24).
const zstdCodec = () => ({
  compress: async (encoder: { buffer: Buffer }) => zstdCompressSync(encoder.buffer),
  decompress: async (buffer: Buffer) => zstdDecompressSync(buffer),
});

/**
 * Registers the codecs kafkajs lacks (snappy, LZ4, zstd) in its process-wide table. Every Herald
 * client needs them to read, whatever it writes: a consumer must decode records compressed by
 * any producer, Herald's or not. Idempotent; called by createKafka.
 */
export function registerCompressionCodecs(): void {
  const codecs = CompressionCodecs as Record<number, () => unknown>;
  codecs[CompressionTypes.Snappy] = SnappyCodec;
  codecs[CompressionTypes.LZ4] = lz4Codec;
  codecs[CompressionTypes.ZSTD] = zstdCodec;
}
