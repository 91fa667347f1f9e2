import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { readJson, readYaml } from './deploy-files';

type Service = { ports?: string[]; depends_on?: Record<string, { condition: string }>; healthcheck?: unknown; environment?: Record<string, string>; image?: string };
const compose = readYaml<{ services: Record<string, Service> }>('docker-compose.yml');
const services = compose.services;

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

  test('runs Kafka 4.3.1 from the official image and creates the four topics with 8 partitions', () => {
    expect(services.kafka!.image).toBe('apache/kafka:4.3.1');
    const init = JSON.stringify(services['kafka-init']);
    for (const topic of ['new-user-created', 'issued-token', 'side-topic-for-retry', 'dead-letter-queue']) expect(init).toContain(topic);
    expect(init).toContain('--partitions 8');
  });

  test('services start only when what they need is healthy or done', () => {
    for (const name of ['producer', 'consumer']) {
      const service = services[name]!;
      expect(service.healthcheck).toBeDefined();
      expect(service.depends_on).toMatchObject({ postgres: { condition: 'service_healthy' }, 'kafka-init': { condition: 'service_completed_successfully' } });
    }
    expect(services['kafka-init']!.depends_on).toMatchObject({ kafka: { condition: 'service_healthy' } });
  });
});
