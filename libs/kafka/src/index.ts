export * from './kafka-config';
export * from './create-kafka';
export * from './create-producer';
export * from './ensure-topics';
export * from './broker-probe';
export * from './compression';
export * from './decompression-limit';
export * from './group-offsets';
