// `npm start [-- --brokers 3] [--traces]`: real Kafka (one node, or a three-node cluster) and
// PostgreSQL, or the ones given in KAFKA_BROKERS / DATABASE_URL, then the services, each as its own
// process; with --traces a Zipkin server too, which the services send their spans to.
// Ctrl-C stops all of it, services first.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { ConfigError } from '@herald/core';
import {
  answersOk,
  buildServicesIfStale,
  DEV_DATABASES,
  ensureDevJwtKey,
  InfraError,
  loadDevConfig,
  operatorTokenFile,
  startClusterControl,
  startDevInfra,
  startOptions,
  startService,
  startZipkin,
  waitForHttp,
  writeOperatorTokenFile,
  type ClusterControl,
  type Infra,
  type ServiceProcess,
  type ZipkinServer,
} from '@herald/local-infra';

async function main(): Promise<void> {
  const started = Date.now();
  const config = loadDevConfig();
  const services: ServiceProcess[] = [];
  const running: { infra?: Infra; control?: ClusterControl; zipkin?: ZipkinServer; removeTokenFile?: () => void } = {};
  let stopping = false;

  const stopAll = async (code: number) => {
    if (stopping) return;
    stopping = true;
    console.log('\nStopping Herald...');
    for (const service of [...services].reverse()) await service.stop();
    running.removeTokenFile?.();
    await running.control?.close();
    await running.zipkin?.stop();
    await running.infra?.stop();
    console.log('Stopped.');
    process.exit(code);
  };
  process.on('SIGINT', () => void stopAll(0));
  process.on('SIGTERM', () => void stopAll(0));

  // The build (when sources changed) and Kafka's start-up overlap; the services need both.
  const built = buildServicesIfStale((line) => console.log(line));
  built.catch(() => {}); // reported below, after the infrastructure is up or has failed
  const { kafkaNodes, traces } = startOptions(process.argv.slice(2), config.KAFKA_NODES);
  // Zipkin (a JVM like Kafka) starts beside the infrastructure; the services need it first.
  const zipkinStarting = traces ? startZipkin({ port: config.ZIPKIN_PORT, logFile: join(config.HERALD_DATA_DIR, 'zipkin', 'zipkin.log') }) : undefined;
  zipkinStarting?.catch(() => {}); // reported below
  if (config.KAFKA_BROKERS && kafkaNodes !== config.KAFKA_NODES) console.log(`--brokers ${kafkaNodes} is ignored: KAFKA_BROKERS names the Kafka to use.`);
  const infra = await startDevInfra(config, (line) => console.log(line), { kafkaNodes });
  running.infra = infra;
  // The console may stop, kill and restart nodes only of a Kafka that this process started.
  const control = infra.cluster ? await startClusterControl({ cluster: infra.cluster }) : undefined;
  running.control = control;
  // Topics the services create get a copy on every node started here; a given broker keeps the environment's setting.
  const kafkaEnv = { KAFKA_BROKERS: infra.kafkaBrokers, ...(infra.cluster ? { KAFKA_REPLICATION_FACTOR: String(infra.cluster.size) } : {}) };
  // Without its broker or database Herald cannot work: say which stopped and stop the rest cleanly.
  void infra.died.then((what) => {
    if (stopping) return;
    console.error(`\n${what} stopped on its own; stopping Herald. Start it again with \`npm start\`.`);
    void stopAll(1);
  });
  try {
    await built;
    running.zipkin = await zipkinStarting;
  } catch (error) {
    console.error(`\n${error instanceof Error ? error.message : String(error)}\n`);
    return stopAll(1);
  }

  /** Starts one service as its own process; if it dies on its own, everything stops. */
  const launch = async (name: 'producer' | 'consumer', url: string, env: Record<string, string>) => {
    console.log(`Starting the ${name}...`);
    const service = startService({ name, env, from: 'build' });
    services.push(service);
    void service.exited.then((code) => {
      if (!stopping) {
        console.error(`${name} exited unexpectedly (code ${code}); stopping everything.`);
        void stopAll(1);
      }
    });
    await waitForHttp(`${url}/health`, service);
  };

  // Operator fields and /metrics need a credential; a run without one configured gets its own.
  const operatorToken = config.OPERATOR_TOKEN ?? randomBytes(24).toString('base64url');
  // Only the two services use it (the consumer asks the producer for users' keys), so it is neither printed nor noted.
  const userKeysToken = config.USER_KEYS_TOKEN ?? randomBytes(24).toString('base64url');
  const producerUrl = `http://127.0.0.1:${config.PRODUCER_PORT}`;
  const consumerUrl = `http://127.0.0.1:${config.CONSUMER_PORT}`;
  // Spans go to Zipkin's own API; a second's batching shows a request's trace almost at once.
  const tracingEnv: Record<string, string> = running.zipkin ? { OTEL_TRACES_EXPORTER: 'zipkin', OTEL_EXPORTER_ZIPKIN_ENDPOINT: running.zipkin.spansUrl, OTEL_BSP_SCHEDULE_DELAY: '1000' } : {};
  try {
    await launch('producer', producerUrl, {
      PORT: String(config.PRODUCER_PORT),
      DATABASE_URL: infra.databaseUrl(DEV_DATABASES.producer),
      ...kafkaEnv,
      // The environment's key wins over the local key file; the producer logs which it signs with.
      JWT_PRIVATE_KEY: config.JWT_PRIVATE_KEY ?? ensureDevJwtKey(join(config.HERALD_DATA_DIR, 'jwt-private-key.pem')),
      OPERATOR_TOKEN: operatorToken,
      USER_KEYS_TOKEN: userKeysToken,
      ...tracingEnv,
    });
    await launch('consumer', consumerUrl, {
      PORT: String(config.CONSUMER_PORT),
      DATABASE_URL: infra.databaseUrl(DEV_DATABASES.consumer),
      ...kafkaEnv,
      ...(control ? { LOCAL_CLUSTER_CONTROL_URL: control.url, LOCAL_CLUSTER_CONTROL_TOKEN: control.token } : {}),
      PRODUCER_URL: producerUrl,
      OPERATOR_TOKEN: operatorToken,
      USER_KEYS_TOKEN: userKeysToken,
      ...tracingEnv,
    });
  } catch (error) {
    // A service that does not come up leaves Kafka and PostgreSQL to stop, not running orphaned.
    console.error(`\n${error instanceof Error ? error.message : String(error)}\n`);
    return stopAll(1);
  }
  // The benches read the token from here (bench/lib/bench-env.ts): a random one is printed once.
  running.removeTokenFile = writeOperatorTokenFile(config, operatorToken);
  // Up means events flow: on a fresh broker the consumer's groups take a few seconds to join,
  // and a sign-up made before that shows in the read model only once they have.
  const ready = await answersOk(`${consumerUrl}/ready`, { timeoutMs: 30_000 });
  if (!ready) console.log(`The consumer is not ready yet (${consumerUrl}/ready says why); events are projected once it is.`);

  console.log(`
Herald is up (${((Date.now() - started) / 1000).toFixed(1)}s):
  Consumer    ${consumerUrl}/graphql   (GraphQL; GraphiQL in a browser; /health /ready /metrics)
              ${consumerUrl}/ops/graphql   (operators' GraphQL: consumer groups, producer status, the console's; operator token below)
  Console     ${consumerUrl}/console   (cluster, topics, groups, live flow, dead letters${control ? ', failure simulation' : ''}; operator token below)
  Producer    ${producerUrl}   (REST; /openapi.json /health /ready /metrics /.well-known/jwks.json)
${running.zipkin ? `  Traces      ${running.zipkin.url}/zipkin/   (Zipkin: each request's trace, across both services and Kafka)\n` : ''}  ${infra.started.join('\n  ')}

Try it:
  curl -s -X POST ${producerUrl}/users -H 'content-type: application/json' \\
       -d '{"username":"ada","email":"ada@example.com","password":"correct horse battery"}'
  curl -s -X POST ${producerUrl}/auth/login -H 'content-type: application/json' \\
       -d '{"username":"ada","password":"correct horse battery"}'
  curl -s ${consumerUrl}/graphql -H 'content-type: application/json' \\
       -d '{"query":"{ users(first: 5) { totalCount edges { node { id username createdAt } } } }"}'
  curl -s ${consumerUrl}/graphql -H 'content-type: application/json' -H "authorization: Bearer $ACCESS_TOKEN" \\
       -d '{"query":"{ me { username email tokens { reason issuedAt } } }"}'
  curl -s ${consumerUrl}/ops/graphql -H 'content-type: application/json' -H 'x-operator-token: ${operatorToken}' \\
       -d '{"query":"{ producerStatus { ok roundTripMs } consumerGroups { groupId state } }"}'
  npm run kafka -- consumer-groups --all-groups --describe
  npm run kafka -- console-consumer --topic new-user-created --from-beginning --formatter-property print.key=true --timeout-ms 5000

Operator token (/ops/graphql, the console, /metrics): ${operatorToken}
  ${config.OPERATOR_TOKEN ? '(from OPERATOR_TOKEN)' : '(random for this run; set OPERATOR_TOKEN to keep one)'}; the benches read it from ${operatorTokenFile(config)}
  ACCESS_TOKEN is the accessToken the login answers.

Ctrl-C stops everything.`);
}

main().catch((error: unknown) => {
  if (error instanceof InfraError || error instanceof ConfigError) console.error(`\n${error.message}\n`);
  else console.error(error);
  process.exit(1);
});
