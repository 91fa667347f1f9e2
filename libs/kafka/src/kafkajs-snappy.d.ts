// kafkajs-snappy ships no types: a kafkajs codec factory (the same shape kafkajs' gzip has).
declare module 'kafkajs-snappy' {
  const codec: () => { compress(encoder: { buffer: Buffer }): Promise<Buffer>; decompress(buffer: Buffer): Promise<Buffer> };
  export = codec;
}
