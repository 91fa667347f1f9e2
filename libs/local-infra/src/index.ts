// Herald's local infrastructure: what `npm start`, `npm test`, the bench and the failure suite
// run Kafka and PostgreSQL with. Nothing here ships in the images.
export { startOptions, type StartOptions } from './dev/start-options';
export { loadDevConfig, type DevConfig } from './dev/dev-config';
export { ensureDevJwtKey } from './dev/dev-jwt-key';
export { localOperatorToken, operatorTokenFile, writeOperatorTokenFile } from './dev/operator-token-file';
export { DEV_DATABASES, localKafkaBrokers, startDevInfra, startInfra, type Infra, type InfraOptions } from './infra';
export { InfraError } from './infra-error';
export { startClusterControl, type ClusterControl } from './kafka/cluster-control-server';
export { newClusterId, startKafkaBroker, type KafkaBroker, type KafkaBrokerOptions } from './kafka/kafka-broker';
export { clusterPorts, NodeStateError, startKafkaCluster, type ClusterNode, type KafkaCluster, type KafkaClusterOptions, type NodeState, type QuorumLeader } from './kafka/kafka-cluster';
export { checkJava, ensureKafkaJars, kafkaVersion } from './kafka/kafka-install';
export { KAFKA_TOOLS, runKafkaTool, runKafkaToolAsync, spawnKafkaTool } from './kafka/kafka-tools';
export { freePort, isListening } from './net';
export { CACHE_DIR, ROOT, STATE_DIR } from './paths';
export { createScratchDatabase, dropDatabase, ensureDatabase, withDatabase } from './postgres/databases';
export { startEmbeddedPostgres, type PostgresServer } from './postgres/embedded-postgres';
export { EMBEDDED_PASSWORD, EMBEDDED_USER, localDatabaseUrl } from './postgres/local-database-url';
export { buildServicesIfStale } from './services/build-services';
export { answersOk, SERVICE_ENV, SERVICE_NODE_FLAGS, startService, waitForHttp, type ServiceProcess } from './services/service-process';
export { stopChild } from './stop-child';
export { ensureZipkinJar, startZipkin, ZIPKIN_VERSION, type ZipkinServer } from './zipkin/zipkin-server';
