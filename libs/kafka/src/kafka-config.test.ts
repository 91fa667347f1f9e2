import { parseEnv } from '@herald/core';
import { z } from 'zod';
import { checkKafkaEnv, kafkaEnvShape, toKafkaConfig } from './kafka-config';

const schema = z.object(kafkaEnvShape).superRefine(checkKafkaEnv);
const load = (env: Record<string, string>) => toKafkaConfig(parseEnv(schema, env), 'herald-test');

describe('Kafka config', () => {
  it('defaults to a local plaintext broker with 8 partitions', () => {
    expect(load({})).toEqual({
      brokers: ['127.0.0.1:9092'],
      clientId: 'herald-test',
      ssl: false,
      topicPrefix: '',
      partitions: 8,
      replicationFactor: 1,
      connectionTimeoutMs: 3000,
      requestTimeoutMs: 30000,
    });
  });

  it('reads a comma-separated broker list and SCRAM credentials', () => {
    const config = load({
      KAFKA_BROKERS: 'b-1:9096, b-2:9096',
      KAFKA_SSL: 'true',
      KAFKA_SASL_MECHANISM: 'scram-sha-512',
      KAFKA_SASL_USERNAME: 'herald',
      KAFKA_SASL_PASSWORD: 's3cret',
    });
    expect(config.brokers).toEqual(['b-1:9096', 'b-2:9096']);
    expect(config.sasl).toEqual({ mechanism: 'scram-sha-512', username: 'herald', password: 's3cret' });
    expect(config.ssl).toEqual({ caFile: undefined, rejectUnauthorized: true });
  });

  it('names the missing variables when SCRAM has no credentials, without echoing secrets', () => {
    const error = (() => {
      try {
        load({ KAFKA_SASL_MECHANISM: 'scram-sha-256', KAFKA_SASL_PASSWORD: 'hunter2' });
      } catch (caught) {
        return String(caught);
      }
      return 'no error';
    })();
    expect(error).toMatch(/KAFKA_SASL_USERNAME: required/);
    expect(error).not.toContain('hunter2');
  });

  it('requires a region and TLS for MSK IAM auth', () => {
    expect(() => load({ KAFKA_SASL_MECHANISM: 'aws-msk-iam' })).toThrow(/AWS_REGION: required[\s\S]*KAFKA_SSL: must be true/);
    expect(load({ KAFKA_SASL_MECHANISM: 'aws-msk-iam', KAFKA_SSL: 'true', AWS_REGION: 'eu-west-1' }).sasl).toEqual({
      mechanism: 'aws-msk-iam',
      region: 'eu-west-1',
    });
  });

  it('rejects a non-numeric partition count by name', () => {
    expect(() => load({ KAFKA_TOPIC_PARTITIONS: 'eight' })).toThrow(/KAFKA_TOPIC_PARTITIONS/);
  });
});
