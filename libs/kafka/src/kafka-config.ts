import { envVar } from '@herald/core';
import { z } from 'zod';

const saslMechanisms = ['none', 'plain', 'scram-sha-256', 'scram-sha-512', 'aws-msk-iam'] as const;

/**
 * The Kafka part of every service's environment. Services spread `kafkaEnvShape` into their own
 * schema and turn the result into a `KafkaConfig` with `toKafkaConfig`.
 */
export const kafkaEnvShape = {
  KAFKA_BROKERS: envVar.list().default(['127.0.0.1:9092']),
  KAFKA_CLIENT_ID: z.string().min(1).optional(),
  KAFKA_SSL: envVar.bool(false),
  KAFKA_SSL_CA_FILE: z.string().min(1).optional(),
  KAFKA_SSL_REJECT_UNAUTHORIZED: envVar.bool(true),
  KAFKA_SASL_MECHANISM: z.enum(saslMechanisms).default('none'),
  KAFKA_SASL_USERNAME: z.string().min(1).optional(),
  KAFKA_SASL_PASSWORD: z.string().min(1).optional(),
  /** Region of the MSK cluster, for IAM auth; ECS sets AWS_REGION in every task. */
  AWS_REGION: z.string().min(1).optional(),
  /** Prepended to every topic name, for environments or test runs that share one cluster. */
  KAFKA_TOPIC_PREFIX: z.string().regex(/^[a-zA-Z0-9._-]*$/, 'letters, digits, ".", "_" and "-" only').default(''),
  KAFKA_TOPIC_PARTITIONS: envVar.int(8, 1),
  KAFKA_REPLICATION_FACTOR: envVar.int(1, 1),
  KAFKA_CONNECTION_TIMEOUT_MS: envVar.int(3000, 1),
  KAFKA_REQUEST_TIMEOUT_MS: envVar.int(30000, 1),
};

type KafkaEnv = z.output<z.ZodObject<typeof kafkaEnvShape>>;

export type SaslConfig =
  | { mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512'; username: string; password: string }
  | { mechanism: 'aws-msk-iam'; region: string };

export interface KafkaConfig {
  brokers: string[];
  clientId: string;
  ssl: false | { caFile?: string; rejectUnauthorized: boolean };
  sasl?: SaslConfig;
  topicPrefix: string;
  partitions: number;
  replicationFactor: number;
  connectionTimeoutMs: number;
  requestTimeoutMs: number;
}

/** Cross-field rules the per-variable schema cannot say; add with `.superRefine(checkKafkaEnv)`. */
export function checkKafkaEnv(env: KafkaEnv, ctx: z.RefinementCtx): void {
  const mechanism = env.KAFKA_SASL_MECHANISM;
  if (mechanism === 'plain' || mechanism === 'scram-sha-256' || mechanism === 'scram-sha-512') {
    for (const name of ['KAFKA_SASL_USERNAME', 'KAFKA_SASL_PASSWORD'] as const) {
      if (!env[name]) ctx.addIssue({ code: 'custom', path: [name], message: `required when KAFKA_SASL_MECHANISM=${mechanism}` });
    }
  }
  if (mechanism === 'aws-msk-iam') {
    if (!env.AWS_REGION) ctx.addIssue({ code: 'custom', path: ['AWS_REGION'], message: 'required when KAFKA_SASL_MECHANISM=aws-msk-iam' });
    if (!env.KAFKA_SSL) ctx.addIssue({ code: 'custom', path: ['KAFKA_SSL'], message: 'must be true: MSK IAM auth runs over TLS' });
  }
}

export function toKafkaConfig(env: KafkaEnv, defaultClientId: string): KafkaConfig {
  const mechanism = env.KAFKA_SASL_MECHANISM;
  let sasl: SaslConfig | undefined;
  if (mechanism === 'aws-msk-iam') sasl = { mechanism, region: env.AWS_REGION ?? '' };
  else if (mechanism !== 'none') sasl = { mechanism, username: env.KAFKA_SASL_USERNAME ?? '', password: env.KAFKA_SASL_PASSWORD ?? '' };
  return {
    brokers: env.KAFKA_BROKERS,
    clientId: env.KAFKA_CLIENT_ID ?? defaultClientId,
    ssl: env.KAFKA_SSL ? { caFile: env.KAFKA_SSL_CA_FILE, rejectUnauthorized: env.KAFKA_SSL_REJECT_UNAUTHORIZED } : false,
    ...(sasl ? { sasl } : {}),
    topicPrefix: env.KAFKA_TOPIC_PREFIX,
    partitions: env.KAFKA_TOPIC_PARTITIONS,
    replicationFactor: env.KAFKA_REPLICATION_FACTOR,
    connectionTimeoutMs: env.KAFKA_CONNECTION_TIMEOUT_MS,
    requestTimeoutMs: env.KAFKA_REQUEST_TIMEOUT_MS,
  };
}
