// `npm run infra`: Kafka and PostgreSQL alone, as `npm start` runs them, without the services, so
// that services can be stopped and started on their own (an offset reset needs the group's
// members gone while the broker stays up). Ctrl-C stops both.
import { ConfigError } from '@herald/core';
import { InfraError, loadDevConfig, startDevInfra, startOptions } from '@herald/local-infra';

async function main(): Promise<void> {
  const config = loadDevConfig();
  const infra = await startDevInfra(config, (line) => console.log(line), { kafkaNodes: startOptions(process.argv.slice(2), config.KAFKA_NODES, { traces: false }).kafkaNodes });
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    console.log('\nStopping Kafka and PostgreSQL...');
    await infra.stop();
    console.log('Stopped.');
    process.exit(0);
  };
  void infra.died.then((what) => {
    if (stopping) return;
    console.error(`\n${what} stopped on its own; stopping the rest. Start again with \`npm run infra\`.`);
    void stop();
  });
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
  console.log(`
Kafka and PostgreSQL are up:
  ${infra.started.join('\n  ')}

Run the services against them, in another terminal (Ctrl-C there stops the services only):
  KAFKA_BROKERS=${infra.kafkaBrokers}${(infra.cluster?.size ?? 1) > 1 ? ` KAFKA_REPLICATION_FACTOR=${infra.cluster?.size}` : ''} DATABASE_URL=${infra.adminDatabaseUrl} npm start

Ctrl-C stops Kafka and PostgreSQL.`);
}

main().catch((error: unknown) => {
  console.error(error instanceof InfraError || error instanceof ConfigError ? `\n${error.message}\n` : error);
  process.exit(1);
});
