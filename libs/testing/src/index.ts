export * from './http';
export * from './kafka-probe';
export * from './murmur2';
export * from './test-infra';
export * from './private-broker';
export * from './user-keys';
export * from './otlp-receiver';
export * from './span-recorder';
