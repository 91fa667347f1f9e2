import { promisify } from 'node:util';
import { gzip, unzip } from 'node:zlib';
import { CompressionCodecs, CompressionTypes } from 'kafkajs';

/**
 * The most bytes one record batch may decompress to. Kafka bounds a batch by its compressed size
 * (max.message.bytes, 1 MiB by default), not by what it expands to: a 40 KB gzip batch of zeros
 * is 40 MiB once read, and a crafted one at the limit a gigabyte, enough to end a consumer's
 * process, which would read the same batch again after its restart. Herald's own batches
 * decompress to well under 1 MiB; 32 MiB leaves other producers' JSON (about 10 to 20 times
 * smaller compressed) room at any batch size Kafka accepts. A batch over it becomes one dead
 * letter (patches/README.md: the undecodable batch).
 */
export const MAX_DECOMPRESSED_BATCH_BYTES = 32 * 1024 * 1024;

const gzipAsync = promisify(gzip);
const unzipAsync = promisify(unzip);

/** kafkajs' gzip codec with the output bounded: zlib stops at the limit with ERR_BUFFER_TOO_LARGE. */
const boundedGzip = () => ({
  compress: (encoder: { buffer: Buffer }) => gzipAsync(encoder.buffer),
  decompress: (buffer: Buffer) => unzipAsync(buffer, { maxOutputLength: MAX_DECOMPRESSED_BATCH_BYTES }),
});

/** Replaces kafkajs' built-in gzip codec in its process-wide table with the bounded one. Idempotent. */
export function registerBoundedCodecs(): void {
  CompressionCodecs[CompressionTypes.GZIP] = boundedGzip;
}
