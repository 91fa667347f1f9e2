import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { TOPICS } from '@herald/events';
import { readJson, readYaml, ROOT } from './deploy-files';

type Service = {
  ports?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: unknown;
  environment?: Record<string, string>;
  image?: string;
  volumes?: string[];
  configs?: Array<{ source: string; target: string }>;
  command?: string[];
};
const compose = readYaml<{ services: Record<string, Service>; configs: Record<string, { content?: string }> }>('docker-compose.yml');
const services = compose.services;

/** Where a service sees a repository file it mounts ("./docs/x.yml:/etc/x.yml:ro" -> "/etc/x.yml"). */
function mountOf(service: Service, file: string): string | undefined {
  return service.volumes?.map((volume) => volume.split(':')).find(([source]) => source === `./${file}`)?.[1];
}

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

  test('binds every host port to 127.0.0.1: Prometheus 9090, Grafana 3000, Zipkin 9411 beside the services', () => {
    for (const [name, service] of Object.entries(services)) {
      for (const port of service.ports ?? []) expect(`${name} ${port}`).toMatch(new RegExp(`^${name} 127\\.0\\.0\\.1:\\d+:\\d+$`));
    }
    expect(hostPorts(services.prometheus!)).toEqual([9090]);
    expect(hostPorts(services.grafana!)).toEqual([3000]);
    expect(hostPorts(services.zipkin!)).toEqual([9411]);
  });

  test('runs Kafka 4.3.1 from the official image and creates every topic of libs/events with 8 partitions', () => {
    expect(services.kafka!.image).toBe('apache/kafka:4.3.1');
    const init = services['kafka-init']!.command;
    expect(allTopics.length).toBeGreaterThanOrEqual(11);
    expect(topicsCreated(init)).toEqual(allTopics);
    expect(init!.join('\n')).toContain('--partitions 8');
  });

  test.each(['prometheus', 'grafana', 'zipkin'])('runs %s from its official image at a pinned version', (name) => {
    const official: Record<string, string> = { prometheus: 'prom/prometheus', grafana: 'grafana/grafana', zipkin: 'openzipkin/zipkin' };
    expect(services[name]!.image).toMatch(new RegExp(`^${official[name]}:v?\\d+\\.\\d+\\.\\d+$`));
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

describe('monitoring in docker-compose.yml', () => {
  const prometheus = services.prometheus!;
  const grafana = services.grafana!;
  type Scrape = { job_name: string; authorization?: { type: string; credentials_file: string }; static_configs: Array<{ targets: string[] }> };
  const config = readYaml<{ rule_files: string[]; scrape_configs: Scrape[] }>('docs/config/prometheus.yml');
  const configPath = mountOf(prometheus, 'docs/config/prometheus.yml');

  test("Prometheus reads docs/config/prometheus.yml (the image's default config path) and the alert rules it names", () => {
    expect(configPath).toBe('/etc/prometheus/prometheus.yml');
    expect(config.rule_files.map((file) => posix.resolve(posix.dirname(configPath!), file))).toEqual([mountOf(prometheus, 'docs/config/prometheus-rules.yml')]);
  });

  test.each([
    ['producer', '9001'],
    ['consumer', '9000'],
  ])("Prometheus scrapes the %s's /metrics on its PORT with the operator token as a bearer token", (name, port) => {
    expect(services[name]!.environment?.PORT).toBe(port);
    const job = config.scrape_configs.find((scrape) => scrape.job_name === name);
    expect(job?.static_configs).toEqual([{ targets: [`${name}:${port}`] }]);
    // The token file is a compose config holding the services' own OPERATOR_TOKEN expression.
    const token = prometheus.configs?.find((mounted) => mounted.target === job?.authorization?.credentials_file);
    expect(job?.authorization?.type).toBe('Bearer');
    expect(token).toBeDefined();
    expect(compose.configs[token!.source]!.content).toBe(services[name]!.environment?.OPERATOR_TOKEN);
  });

  test('Grafana is provisioned with the compose Prometheus and the dashboard, for anonymous viewers', () => {
    expect(mountOf(grafana, 'docs/config/grafana/datasource.yml')).toMatch(/^\/etc\/grafana\/provisioning\/datasources\/[\w-]+\.yml$/);
    expect(mountOf(grafana, 'docs/config/grafana/dashboards.yml')).toMatch(/^\/etc\/grafana\/provisioning\/dashboards\/[\w-]+\.yml$/);
    const { datasources } = readYaml<{ datasources: Array<{ type: string; url: string; isDefault?: boolean }> }>('docs/config/grafana/datasource.yml');
    expect(datasources).toEqual([expect.objectContaining({ type: 'prometheus', url: `http://prometheus:${prometheus.ports![0]!.split(':').at(-1)}`, isDefault: true })]);
    const { providers } = readYaml<{ providers: Array<{ type: string; options: { path: string } }> }>('docs/config/grafana/dashboards.yml');
    const dashboard = mountOf(grafana, 'docs/config/grafana/herald-dashboard.json');
    expect(providers.map((provider) => provider.options.path)).toEqual([posix.dirname(dashboard!)]);
    expect(grafana.environment).toMatchObject({ GF_AUTH_ANONYMOUS_ENABLED: 'true', GF_AUTH_ANONYMOUS_ORG_ROLE: 'Viewer', GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH: dashboard });
    expect(grafana.depends_on).toMatchObject({ prometheus: { condition: 'service_healthy' } });
  });

  test('Zipkin keeps its spans in memory, and both services send it theirs', () => {
    expect(services.zipkin!.image).toBe('openzipkin/zipkin:3.5.1');
    expect(services.zipkin!.environment).toMatchObject({ STORAGE_TYPE: 'mem' });
    for (const name of ['producer', 'consumer']) {
      expect(services[name]!.environment).toMatchObject({ OTEL_TRACES_EXPORTER: 'zipkin', OTEL_EXPORTER_ZIPKIN_ENDPOINT: 'http://zipkin:9411/api/v2/spans' });
    }
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
