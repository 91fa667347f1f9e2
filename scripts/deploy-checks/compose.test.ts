import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TOPICS } from '@herald/events';
import { readJson, readYaml, ROOT } from './deploy-files';

type Service = { ports?: string[]; depends_on?: Record<string, { condition: string }>; healthcheck?: unknown; environment?: Record<string, string>; image?: string; command?: string[] };
const compose = readYaml<{ services: Record<string, Service> }>('docker-compose.yml');
const services = compose.services;

/** Every topic Herald uses (libs/events), so a new topic fails these checks until compose creates it. */
const allTopics = Object.values(TOPICS).sort();

/** The topics a kafka-init command creates: the words of its `for topic in ...; do` loop. */
function topicsCreated(command: string[] | undefined): string[] {
  const list = /for topic in ([^;]+); do/.exec((command ?? []).join('\n'))?.[1] ?? '';
  return list.split(/[\s\\]+/).filter(Boolean).sort();
}

/** Host ports published by a service ("127.0.0.1:9092:9092" -> 9092). */
function hostPorts(service: Service): number[] {
  return (service.ports ?? []).map((port) => Number(port.split(':').at(-2)));
}

describe('docker-compose.yml', () => {
  test('matches the Compose Specification schema', () => {
    // The schema names its draft by an https URL Ajv does not know; Ajv speaks that draft (07) anyway.
    const ajv = new Ajv({ allErrors: true, strict: false, validateSchema: false });
    addFormats(ajv);
    const validate = ajv.compile(readJson<object>('scripts/deploy-checks/schemas/compose-spec.schema.json'));
    const valid = validate(compose);
    expect(valid ? [] : validate.errors).toEqual([]);
  });

  test('publishes the same host ports as `npm start`: Kafka 9092, producer 9001, consumer 9000', () => {
    expect(hostPorts(services.kafka!)).toEqual([9092]);
    expect(hostPorts(services.producer!)).toEqual([9001]);
    expect(hostPorts(services.consumer!)).toEqual([9000]);
    expect(services.producer!.environment?.PORT).toBe('9001');
    expect(services.consumer!.environment?.PORT).toBe('9000');
  });

  test('runs Kafka 4.3.1 from the official image and creates every topic of libs/events with 8 partitions', () => {
    expect(services.kafka!.image).toBe('apache/kafka:4.3.1');
    const init = services['kafka-init']!.command;
    expect(allTopics.length).toBeGreaterThanOrEqual(11);
    expect(topicsCreated(init)).toEqual(allTopics);
    expect(init!.join('\n')).toContain('--partitions 8');
  });

  test('services start only when what they need is healthy or done', () => {
    for (const name of ['producer', 'consumer']) {
      const service = services[name]!;
      expect(service.healthcheck).toBeDefined();
      expect(service.depends_on).toMatchObject({ postgres: { condition: 'service_healthy' }, 'kafka-init': { condition: 'service_completed_successfully' } });
    }
    expect(services['kafka-init']!.depends_on).toMatchObject({ kafka: { condition: 'service_healthy' } });
  });

  test.each(['OPERATOR_TOKEN', 'USER_KEYS_TOKEN'])("the producer and the consumer share %s: the shell's, else a local default of at least 32 characters", (name) => {
    const value = services.producer!.environment?.[name];
    expect(services.consumer!.environment?.[name]).toBe(value);
    const [, variable, fallback] = /^\$\{(\w+):-(.+)\}$/.exec(value ?? '') ?? [];
    expect(variable).toBe(name);
    expect(fallback!.length).toBeGreaterThanOrEqual(32);
  });
});

describe('docker-compose.cluster.yml (three Kafka nodes over docker-compose.yml)', () => {
  const cluster = readYaml<{ services: Record<string, Service & { volumes?: string[]; command?: string[] }> }>('docker-compose.cluster.yml').services;
  const nodes = ['kafka', 'kafka-2', 'kafka-3'];
  /** docs/config/cluster.properties as the image's KAFKA_* variables (dots to underscores, upper case). */
  const clusterProperties = Object.fromEntries(
    readFileSync(join(ROOT, 'docs/config/cluster.properties'), 'utf8')
      .split('\n')
      .filter((line) => line.trim() && !line.startsWith('#'))
      .map((line) => line.split('=').map((part) => part.trim()))
      .map(([key, value]) => [`KAFKA_${key!.toUpperCase().replaceAll('.', '_')}`, value]),
  );

  test('matches the Compose Specification schema', () => {
    const ajv = new Ajv({ allErrors: true, strict: false, validateSchema: false });
    addFormats(ajv);
    const validate = ajv.compile(readJson<object>('scripts/deploy-checks/schemas/compose-spec.schema.json'));
    expect(validate(readYaml('docker-compose.cluster.yml')) ? [] : validate.errors).toEqual([]);
  });

  test('gives every node the settings of docs/config/cluster.properties over the same server.properties', () => {
    expect(Object.keys(clusterProperties).length).toBeGreaterThanOrEqual(7);
    for (const name of nodes) {
      const node = cluster[name]!;
      expect(node.image).toBe(services.kafka!.image);
      expect(node.volumes).toContain('./docs/config/server.properties:/mnt/shared/config/server.properties:ro');
      expect(node.environment).toMatchObject(clusterProperties);
    }
  });

  test('forms one quorum of three voters, each node with its own id and host port (9092, 9094, 9096 as npm start)', () => {
    const voters = nodes.map((name, index) => `${index + 1}@${name}:9093`).join(',');
    nodes.forEach((name, index) => {
      const node = cluster[name]!;
      expect(node.environment).toMatchObject({ KAFKA_NODE_ID: String(index + 1), KAFKA_CONTROLLER_QUORUM_VOTERS: voters, CLUSTER_ID: cluster.kafka!.environment!.CLUSTER_ID });
      expect(hostPorts(node)).toEqual([9092 + 2 * index]);
      expect(node.environment!.KAFKA_ADVERTISED_LISTENERS).toBe(`PLAINTEXT://${name}:19092,HOST://127.0.0.1:${9092 + 2 * index}`);
    });
  });

  test('creates every topic with three copies and hands the services all three brokers', () => {
    const init = cluster['kafka-init']!.command!.join('\n');
    expect(init).toContain('--replication-factor 3');
    expect(topicsCreated(cluster['kafka-init']!.command)).toEqual(allTopics);
    for (const name of ['producer', 'consumer']) {
      expect(cluster[name]!.environment).toEqual({ KAFKA_BROKERS: nodes.map((node) => `${node}:19092`).join(','), KAFKA_REPLICATION_FACTOR: '3' });
    }
  });
});
