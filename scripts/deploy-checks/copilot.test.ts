import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { environmentAddonExports, fromCfnRefs, manifestValidator, maxTasks, PARTITIONS, runsProjector, SCHEMA_OF, type Manifest } from './copilot-manifests';
import { workloadNames } from './copilot-stacks';
import { ENVIRONMENT_EXPORTS } from './copilot-template-facts';
import { readYaml, ROOT, yamlFiles } from './deploy-files';

type Template = { Resources: Record<string, { Type: string }>; Outputs?: Record<string, { Value: unknown }> };

const validate = manifestValidator();
const producer = readYaml<Manifest>('copilot/producer/manifest.yml');
const consumer = readYaml<Manifest>('copilot/consumer/manifest.yml');
const workloads = workloadNames().map((name) => [`copilot/${name}/manifest.yml`, readYaml<Manifest>(`copilot/${name}/manifest.yml`)] as const);
const envExports = environmentAddonExports();

describe('Copilot workspace', () => {
  test('the application is herald', () => {
    expect(readFileSync(join(ROOT, 'copilot/.workspace'), 'utf8')).toMatch(/^application: herald$/m);
  });

  test.each([
    ...workloads.map(([file, manifest]) => [file, SCHEMA_OF[manifest.type as keyof typeof SCHEMA_OF]]),
    ['copilot/environments/test/manifest.yml', 'copilot-environment.schema.json'],
    ['copilot/environments/prod/manifest.yml', 'copilot-environment.schema.json'],
  ])('%s matches %s', (file, schema) => {
    expect(schema).toBeDefined();
    expect(validate(schema!, readYaml(file))).toEqual([]);
  });

  test('the schemas are strict: an unknown key or a wrong type is refused', () => {
    expect(validate('copilot-backend-service.schema.json', { ...producer, colour: 'blue' })).not.toEqual([]);
    expect(validate('copilot-backend-service.schema.json', { ...producer, image: { ...producer.image, port: '9001' } })).not.toEqual([]);
  });
});

describe("Herald's rules for its services", () => {
  test('the producer is a private Backend Service on 9001 whose health check asks /health', () => {
    expect(producer).toMatchObject({ name: 'producer', type: 'Backend Service', image: { port: 9001 }, network: { vpc: { placement: 'private' } } });
    expect(producer.image.healthcheck.command.join(' ')).toContain('127.0.0.1:9001/health');
  });

  test('the consumer is a Load Balanced Web Service on 9000 checked at /health', () => {
    expect(consumer).toMatchObject({ name: 'consumer', type: 'Load Balanced Web Service', image: { port: 9000 }, http: { path: '/', healthcheck: { path: '/health' } } });
  });

  // The consumer with all its roles, or a projector of its own (docs/deploy-aws.md, "Deploying the
  // consumer's roles apart"); a service of the read API and ops alone may scale further.
  test(`no service that runs the projector has a count range beyond the ${PARTITIONS} partitions`, () => {
    const projecting = workloads.filter(([, manifest]) => runsProjector(manifest));
    expect(projecting.length).toBeGreaterThan(0);
    for (const [file, manifest] of projecting) {
      const counts = [manifest.count, ...Object.values<Manifest>(manifest.environments ?? {}).map((env) => env.count)].filter(Boolean);
      expect(counts.length).toBeGreaterThan(0);
      for (const count of counts) expect([file, maxTasks(count) <= PARTITIONS]).toEqual([file, true]);
    }
  });

  test.each([['producer', producer], ['consumer', consumer]])('the %s talks to MSK over IAM with 3 replicas', (_name, manifest) => {
    expect(manifest.variables).toMatchObject({ KAFKA_SSL: true, KAFKA_SASL_MECHANISM: 'aws-msk-iam', KAFKA_REPLICATION_FACTOR: 3 });
    expect(manifest.variables.KAFKA_BROKERS).toHaveProperty('from_cfn');
    expect(manifest.secrets.DB_SECRET).toHaveProperty('from_cfn');
    expect(manifest.secrets.JWT_PRIVATE_KEY).toBe('/copilot/herald/${COPILOT_ENVIRONMENT_NAME}/secrets/JWT_PRIVATE_KEY');
    expect(manifest.secrets.OPERATOR_TOKEN).toBe('/copilot/herald/${COPILOT_ENVIRONMENT_NAME}/secrets/OPERATOR_TOKEN');
    // The consumer's projector asks the producer for users' personal-data keys with it.
    expect(manifest.secrets.USER_KEYS_TOKEN).toBe('/copilot/herald/${COPILOT_ENVIRONMENT_NAME}/secrets/USER_KEYS_TOKEN');
  });

  test.each([['producer', producer], ['consumer', consumer]])('every from_cfn of the %s names an exported environment addon output', (_name, manifest) => {
    const refs = fromCfnRefs(manifest);
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs) expect([ref, envExports.has(ref)]).toEqual([ref, true]);
  });
});

describe('addons', () => {
  test.each(['producer', 'consumer'])('the %s addon outputs a managed policy (Copilot attaches it to the task role)', (service) => {
    const template = readYaml<Template>(`copilot/${service}/addons/kafka-iam.yml`);
    const policies = Object.entries(template.Resources).filter(([, resource]) => resource.Type === 'AWS::IAM::ManagedPolicy').map(([key]) => key);
    const outputs = Object.values(template.Outputs ?? {}).map((output) => (output.Value as { Ref?: string }).Ref);
    expect(policies.length).toBeGreaterThan(0);
    expect(outputs).toEqual(expect.arrayContaining(policies));
  });

  test('every value an addon imports is exported by an environment addon or by Copilot', () => {
    const imports = new Set<string>();
    for (const file of yamlFiles().filter((path) => path.includes('/addons/'))) {
      JSON.stringify(readYaml(file), (key, value) => {
        if (key === 'Fn::ImportValue') imports.add(value['Fn::Sub']);
        return value;
      });
    }
    expect(imports.size).toBeGreaterThan(0);
    for (const name of imports) {
      const suffix = name.replace('${App}-${Env}-', '');
      const known = ENVIRONMENT_EXPORTS.includes(suffix) || envExports.has(`\${COPILOT_APPLICATION_NAME}-\${COPILOT_ENVIRONMENT_NAME}-${suffix}`);
      expect([name, known]).toEqual([name, true]);
    }
  });
});
