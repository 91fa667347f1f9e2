import { zstdCompressSync, zstdDecompressSync } from 'node:zlib';
import { CompressionCodecs, CompressionTypes } from 'kafkajs';
import SnappyCodec from 'kafkajs-snappy';
import { MAX_DECOMPRESSED_BATCH_BYTES, registerBoundedCodecs } from './decompression-limit';
import { lz4FrameBound, snappyDeclaredLength } from './decompressed-size';

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

/** The error zlib throws at its output limit, which the kafkajs patch turns into one dead letter. */
function tooLarge(): Error {
  return Object.assign(new RangeError(`decompressed, the batch would exceed ${MAX_DECOMPRESSED_BATCH_BYTES} bytes`), { code: 'ERR_BUFFER_TOO_LARGE' });
}

// The codecs run synchronously on purpose: their async forms run on libuv's thread pool, which
// argon2 already keeps busy; a batch of 500 records (~175 kB) takes well under a millisecond.
// Each decoder refuses, before it allocates, a batch that would decompress past the limit
// (decompression-limit.ts): from the sizes the format declares (snappy), from the frame's
// blocks times their largest size (LZ4), or by zlib's own output limit (zstd).
const snappyCodec = () => {
  const codec = SnappyCodec();
  return {
    compress: codec.compress,
    decompress: async (buffer: Buffer) => {
      if (snappyDeclaredLength(buffer) > MAX_DECOMPRESSED_BATCH_BYTES) throw tooLarge();
      return codec.decompress(buffer);
    },
  };
};

// LZ4 is Kafka's framed format (the LZ4 frame), which lz4-napi's frame functions write and read.
const lz4Codec = () => ({
  compress: async (encoder: { buffer: Buffer }) => loadLz4().compressFrameSync(encoder.buffer),
  decompress: async (buffer: Buffer) => {
    if (lz4FrameBound(buffer) > MAX_DECOMPRESSED_BATCH_BYTES) throw tooLarge();
    return loadLz4().decompressFrameSync(buffer);
  },
});

// Node's own zlib has zstd: no native build of a third-party binding (which fails on Node 24).
const zstdCodec = () => ({
  compress: async (encoder: { buffer: Buffer }) => zstdCompressSync(encoder.buffer),
  decompress: async (buffer: Buffer) => zstdDecompressSync(buffer, { maxOutputLength: MAX_DECOMPRESSED_BATCH_BYTES }),
});

/**
 * Registers every codec in kafkajs' process-wide table: gzip bounded (decompression-limit.ts),
 * and the ones kafkajs lacks (snappy, LZ4, zstd), bounded the same way. Every Herald client
 * needs them to read, whatever it writes: a consumer must decode records compressed by any
 * producer, Herald's or not. Idempotent; called by createKafka.
 */
export function registerCompressionCodecs(): void {
  registerBoundedCodecs();
  const codecs = CompressionCodecs as Record<number, () => unknown>;
  codecs[CompressionTypes.Snappy] = snappyCodec;
  codecs[CompressionTypes.LZ4] = lz4Codec;
  codecs[CompressionTypes.ZSTD] = zstdCodec;
}
