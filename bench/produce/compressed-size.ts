import { COMPRESSIONS, compressionType, registerCompressionCodecs, type Compression } from '@herald/kafka';
import { CompressionCodecs } from 'kafkajs';
import type { SampleRecord } from './sample-events';

type Codec = { compress(encoder: { buffer: Buffer }): Promise<Buffer> };

/**
 * Bytes of one batch's records (keys, values and headers laid end to end, about what a record
 * batch holds) once each codec has compressed them: what a codec saves on the network and the
 * broker's disk, beside what it costs in rate.
 */
export async function compressedSizes(records: SampleRecord[]): Promise<Record<Compression, number>> {
  registerCompressionCodecs();
  const raw = Buffer.concat(records.flatMap((record) => [record.key, JSON.stringify(record.event), ...Object.entries(record.headers).flat()].map((part) => Buffer.from(part))));
  const sizes = { none: raw.length } as Record<Compression, number>;
  for (const compression of COMPRESSIONS.filter((name) => name !== 'none')) {
    const codec = (CompressionCodecs as unknown as Record<number, () => Codec>)[compressionType(compression)]!();
    sizes[compression] = (await codec.compress({ buffer: raw })).length;
  }
  return sizes;
}
