import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { readJson, readYaml, yamlFiles } from './deploy-files';
import type { StackKind } from './copilot-template-facts';

export type Manifest = Record<string, any>;
type AddonTemplate = { Outputs?: Record<string, { Value: unknown; Export?: { Name: unknown } }> };

/** Every Herald topic has this many partitions (docs/config/server.properties). */
export const PARTITIONS = 8;

const SCHEMAS = 'scripts/deploy-checks/schemas';

/** The schema (scripts/deploy-checks/schemas) of each workload type Herald uses. */
export const SCHEMA_OF: Record<Exclude<StackKind, 'Environment'>, string> = {
  'Backend Service': 'copilot-backend-service.schema.json',
  'Load Balanced Web Service': 'copilot-load-balanced-web-service.schema.json',
};

/** Validates a manifest against one of the schemas; returns the problems, none when it is valid. */
export function manifestValidator(): (schemaId: string, manifest: unknown) => string[] {
  const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
  addFormats(ajv);
  for (const name of ['common', 'backend-service', 'load-balanced-web-service', 'environment']) {
    ajv.addSchema(readJson<object>(`${SCHEMAS}/copilot-${name}.schema.json`));
  }
  return (schemaId, manifest) => {
    const validate = ajv.getSchema(schemaId)!;
    return validate(manifest) ? [] : (validate.errors ?? []).map((error) => `${error.instancePath} ${error.message}`);
  };
}

/** Export names of an addon's outputs, with Copilot's manifest variables in place of App and Env. */
function exportsOf(template: AddonTemplate): Map<string, string> {
  const names = new Map<string, string>();
  for (const [key, output] of Object.entries(template.Outputs ?? {})) {
    const name = (output.Export?.Name as { 'Fn::Sub'?: string } | undefined)?.['Fn::Sub'];
    if (typeof name === 'string') {
      names.set(name.replace('${App}', '${COPILOT_APPLICATION_NAME}').replace('${Env}', '${COPILOT_ENVIRONMENT_NAME}'), key);
    }
  }
  return names;
}

/** What the environment addons export, by the name a manifest's from_cfn uses, to the output's key. */
export function environmentAddonExports(): Map<string, string> {
  const addons = yamlFiles().filter((file) => file.startsWith('copilot/environments/addons/') && !file.endsWith('addons.parameters.yml'));
  return new Map(addons.flatMap((file) => [...exportsOf(readYaml<AddonTemplate>(file))]));
}

/** Every from_cfn value of a manifest, wherever it sits. */
export function fromCfnRefs(manifest: Manifest): string[] {
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

/**
 * Whether the service runs the consumer's projector role: the consumer image with CONSUMER_ROLES
 * unset (all roles) or naming projector. Its tasks share consumer groups, so they are bounded by
 * the partitions.
 */
export function runsProjector(manifest: Manifest): boolean {
  if (manifest.image?.build?.dockerfile !== 'consumer/Dockerfile') return false;
  const roles = manifest.variables?.CONSUMER_ROLES;
  return roles === undefined || String(roles).split(',').map((role) => role.trim()).includes('projector');
}

/** The most tasks a `count` allows: the number itself, or the upper end of its range. */
export function maxTasks(count: number | { range: string }): number {
  return typeof count === 'number' ? count : Number(count.range.split('-')[1]);
}
