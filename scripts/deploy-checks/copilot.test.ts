import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ENVIRONMENT_EXPORTS } from './copilot-template-facts';
import { readJson, readYaml, ROOT, yamlFiles } from './deploy-files';

type Manifest = Record<string, any>;
type Template = { Resources: Record<string, { Type: string }>; Outputs?: Record<string, { Value: unknown; Export?: { Name: unknown } }> };

const PARTITIONS = 8; // every Herald topic; see docs/config/server.properties
const SCHEMAS = 'scripts/deploy-checks/schemas';

function validator() {
  const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
  addFormats(ajv);
  for (const name of ['common', 'backend-service', 'load-balanced-web-service', 'environment']) {
    ajv.addSchema(readJson<object>(`${SCHEMAS}/copilot-${name}.schema.json`));
  }
  return (schemaId: string, manifest: unknown) => {
    const validate = ajv.getSchema(schemaId)!;
    return validate(manifest) ? [] : (validate.errors ?? []).map((error) => `${error.instancePath} ${error.message}`);
  };
}

/** Export names of an addon's outputs, with Copilot's manifest variables in place of App and Env. */
function exportsOf(template: Template): Map<string, string> {
  const names = new Map<string, string>();
  for (const [key, output] of Object.entries(template.Outputs ?? {})) {
    const name = (output.Export?.Name as { 'Fn::Sub'?: string } | undefined)?.['Fn::Sub'];
    if (typeof name === 'string') {
      names.set(name.replace('${App}', '${COPILOT_APPLICATION_NAME}').replace('${Env}', '${COPILOT_ENVIRONMENT_NAME}'), key);
    }
  }
  return names;
}

function fromCfnRefs(manifest: Manifest): string[] {
  const refs: string[] = [];
  const walk = (value: unknown): void => {
    if (value && typeof value === 'object') {
      for (const [key, inner] of Object.entries(value)) {
        if (key === 'from_cfn' && typeof inner === 'string') refs.push(inner);
        else walk(inner);
      }
    }
  };
  walk(manifest);
  return refs;
}

const validate = validator();
const producer = readYaml<Manifest>('copilot/producer/manifest.yml');
const consumer = readYaml<Manifest>('copilot/consumer/manifest.yml');
const environmentAddons = yamlFiles().filter((file) => file.startsWith('copilot/environments/addons/') && !file.endsWith('addons.parameters.yml'));
const envExports = new Map(environmentAddons.flatMap((file) => [...exportsOf(readYaml<Template>(file))]));

describe('Copilot workspace', () => {
  test('the application is herald', () => {
    expect(readFileSync(join(ROOT, 'copilot/.workspace'), 'utf8')).toMatch(/^application: herald$/m);
  });

  test.each([
    ['copilot/producer/manifest.yml', 'copilot-backend-service.schema.json'],
    ['copilot/consumer/manifest.yml', 'copilot-load-balanced-web-service.schema.json'],
    ['copilot/environments/test/manifest.yml', 'copilot-environment.schema.json'],
    ['copilot/environments/prod/manifest.yml', 'copilot-environment.schema.json'],
  ])('%s matches %s', (file, schema) => {
    expect(validate(schema, readYaml(file))).toEqual([]);
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

  test(`no count range runs more consumer tasks than the ${PARTITIONS} partitions`, () => {
    const ranges = [consumer.count, ...Object.values<Manifest>(consumer.environments ?? {}).map((env) => env.count)].filter(Boolean);
    expect(ranges.length).toBeGreaterThan(0);
    for (const count of ranges) {
      const max = typeof count === 'number' ? count : Number(String(count.range).split('-')[1]);
      expect(max).toBeLessThanOrEqual(PARTITIONS);
    }
  });

  test.each([['producer', producer], ['consumer', consumer]])('the %s talks to MSK over IAM with 3 replicas', (_name, manifest) => {
    expect(manifest.variables).toMatchObject({ KAFKA_SSL: true, KAFKA_SASL_MECHANISM: 'aws-msk-iam', KAFKA_REPLICATION_FACTOR: 3 });
    expect(manifest.variables.KAFKA_BROKERS).toHaveProperty('from_cfn');
    expect(manifest.secrets.DB_SECRET).toHaveProperty('from_cfn');
    expect(manifest.secrets.JWT_PRIVATE_KEY).toBe('/copilot/herald/${COPILOT_ENVIRONMENT_NAME}/secrets/JWT_PRIVATE_KEY');
    expect(manifest.secrets.OPERATOR_TOKEN).toBe('/copilot/herald/${COPILOT_ENVIRONMENT_NAME}/secrets/OPERATOR_TOKEN');
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
