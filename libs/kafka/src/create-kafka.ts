import { readFileSync } from 'node:fs';
import type { Logger } from '@herald/core';
import { Kafka, logLevel, type KafkaConfig as KafkaJsConfig, type SASLOptions } from 'kafkajs';
import { registerCompressionCodecs } from './compression';
import type { KafkaConfig, SaslConfig } from './kafka-config';

function toSasl(sasl: SaslConfig): SASLOptions {
  if (sasl.mechanism === 'aws-msk-iam') {
    // MSK accepts IAM identities over SASL/OAUTHBEARER: a short-lived token signed with the
    // task's role credentials, which the signer refreshes on every (re)authentication. The
    // signer brings the AWS SDK's credential chain (4 MB of heap), so only IAM set-ups load it.
    return {
      mechanism: 'oauthbearer',
      oauthBearerProvider: async () => {
        const { generateAuthToken } = await import('aws-msk-iam-sasl-signer-js');
        const { token } = await generateAuthToken({ region: sasl.region });
        return { value: token };
      },
    };
  }
  return sasl;
}

const toPinoLevel: Record<number, 'error' | 'warn' | 'info' | 'debug'> = {
  [logLevel.ERROR]: 'error',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'info',
  [logLevel.DEBUG]: 'debug',
};

/**
 * The pino level of a kafkajs log line. Two kinds of kafkajs errors are debug, since Herald says
 * them itself where they matter:
 * - every error answer of a request ("Response Metadata(...)": not the leader, coordinator not
 *   available), which kafkajs retries itself; one it cannot retry reaches Herald's code as a thrown
 *   error, logged there with its context. A leader election is not a page of errors.
 * - a consumer's "Crash: …" (a fresh broker's coordinator still loading, on every first start):
 *   the supervised consumer logs each crash once, with what happens next (supervised-consumer.ts).
 */
export function kafkajsLogLevel(level: logLevel, message: string): 'debug' | 'info' | 'warn' | 'error' {
  if (level === logLevel.ERROR && (message.startsWith('Response ') || message.startsWith('Crash: '))) return 'debug';
  return toPinoLevel[level] ?? 'info';
}

/**
 * The only place Herald builds a kafkajs client. Everything else receives the `Kafka` instance
 * from `main.ts`, so TLS, SASL and timeouts are decided once, from config.
 */
export function createKafka({ config, logger }: { config: KafkaConfig; logger: Logger }): Kafka {
  registerCompressionCodecs();
  const kafkaLogger = logger.child({ component: 'kafkajs' });
  const options: KafkaJsConfig = {
    clientId: config.clientId,
    brokers: config.brokers,
    connectionTimeout: config.connectionTimeoutMs,
    requestTimeout: config.requestTimeoutMs,
    // Short, bounded retries: callers (the outbox relay, consumers) own the long-running retry
    // loop, and a dead broker should surface in seconds, not minutes.
    retry: { initialRetryTime: 200, maxRetryTime: 3000, retries: 5 },
    logLevel: logLevel.WARN,
    logCreator:
      () =>
      ({ level, log }) => {
        const { message, ...extra } = log;
        kafkaLogger[kafkajsLogLevel(level, message)](extra, message);
      },
  };
  if (config.ssl) {
    options.ssl = {
      rejectUnauthorized: config.ssl.rejectUnauthorized,
      ...(config.ssl.caFile ? { ca: [readFileSync(config.ssl.caFile, 'utf8')] } : {}),
    };
  }
  if (config.sasl) options.sasl = toSasl(config.sasl);
  return new Kafka(options);
}
