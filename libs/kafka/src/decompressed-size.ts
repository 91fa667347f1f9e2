/**
 * What a compressed record batch may expand to, read from the format's own headers without
 * decompressing it, so a decoder can refuse a bomb before it allocates. Malformed input answers
 * Infinity (refused): the real decoder would reject it anyway.
 */

/** A varint (little-endian base 128) at `offset`: the uncompressed length of a raw snappy block. */
function varint(buffer: Buffer, offset: number): number {
  let value = 0;
  for (let shift = 0, i = offset; i < buffer.length && shift <= 28; shift += 7, i += 1) {
    const byte = buffer[i]!;
    value += (byte & 0x7f) * 2 ** shift;
    if ((byte & 0x80) === 0) return value;
  }
  return Number.POSITIVE_INFINITY;
}

const XERIAL_HEADER = Buffer.from([130, 83, 78, 65, 80, 80, 89, 0]);
// After the 8-byte magic, two 4-byte versions; then chunks of a 4-byte length and raw snappy.
const XERIAL_CHUNKS_AT = 16;

/** Snappy's declared uncompressed length: raw (one varint) or xerial-framed (the sum over chunks). */
export function snappyDeclaredLength(buffer: Buffer): number {
  if (!buffer.subarray(0, 8).equals(XERIAL_HEADER)) return varint(buffer, 0);
  let total = 0;
  for (let offset = XERIAL_CHUNKS_AT; offset + 4 <= buffer.length; ) {
    const size = buffer.readUInt32BE(offset);
    total += varint(buffer, offset + 4);
    offset += 4 + size;
  }
  return total;
}

const LZ4_MAGIC = 0x184d2204;
const BLOCK_MAX_SIZES: Record<number, number> = { 4: 64 * 1024, 5: 256 * 1024, 6: 1024 * 1024, 7: 4 * 1024 * 1024 };

/**
 * An upper bound of an LZ4 frame's output: its blocks (walked by their size fields) times the
 * largest block the frame declares. No block decompresses past that size.
 */
export function lz4FrameBound(buffer: Buffer): number {
  if (buffer.length < 7 || buffer.readUInt32LE(0) !== LZ4_MAGIC) return Number.POSITIVE_INFINITY;
  const flags = buffer[4]!;
  const blockMax = BLOCK_MAX_SIZES[(buffer[5]! >> 4) & 0x7];
  if (blockMax === undefined) return Number.POSITIVE_INFINITY;
  const blockChecksums = (flags & 0x10) !== 0;
  let offset = 6 + ((flags & 0x08) !== 0 ? 8 : 0) + ((flags & 0x01) !== 0 ? 4 : 0) + 1; // content size, dictionary id, header checksum
  let blocks = 0;
  while (offset + 4 <= buffer.length) {
    const size = buffer.readUInt32LE(offset) & 0x7fffffff;
    if (size === 0) return blocks * blockMax; // the end mark
    blocks += 1;
    offset += 4 + size + (blockChecksums ? 4 : 0);
  }
  return Number.POSITIVE_INFINITY; // no end mark: truncated
}
