import { isDeepStrictEqual } from 'node:util';
import { COPILOT_RELEASE, ENV_ADDON_FACTS, environmentLogicalIds, PATCH_FACTS } from './copilot-template-facts';
import { applyCopilotPatches, copilotStacks, readPatches, renderedHelperLambdas, renderedSkeleton, type Template } from './copilot-stacks';
import { readYaml, yamlFiles } from './deploy-files';
import { runtimeProblem } from './lambda-runtimes';

const stacks = copilotStacks();
const perEnvironment = stacks.flatMap((stack) => [...stack.manifests].map(([env, manifest]) => ({ stack, env, manifest })));

describe('Copilot overrides (cfn.patches.yml)', () => {
  test('CD installs the Copilot release whose templates the facts describe', () => {
    const cd = readYaml<{ env: Record<string, string> }>('.github/workflows/cd.yml');
    expect(cd.env.COPILOT_VERSION).toBe(COPILOT_RELEASE);
  });

  test.each(stacks.map((stack) => [stack.patchesFile]))('%s is a list of add, remove or replace operations on JSON Pointer paths', (file) => {
    const patches = readPatches(file);
    expect(Array.isArray(patches)).toBe(true);
    expect(patches.length).toBeGreaterThan(0);
    for (const patch of patches) {
      expect(PATCH_FACTS.operations).toContain(patch.op);
      expect(patch.path).toMatch(/^\/Resources\/[A-Za-z0-9]+\//);
      if (patch.op !== 'remove') expect(patch).toHaveProperty('value');
    }
  });

  test.each(perEnvironment.map(({ stack, env, manifest }) => [stack.name, env, stack, manifest]))(
    'every patch of %s applies to the template Copilot renders for %s (a missing path would stop the deployment)',
    (_name, _env, stack, manifest) => {
      expect(() => applyCopilotPatches(renderedSkeleton(stack.kind, manifest), readPatches(stack.patchesFile))).not.toThrow();
    },
  );

  test.each(perEnvironment.map(({ stack, env, manifest }) => [stack.name, env, stack, manifest]))(
    'every helper Lambda Copilot renders for %s in %s runs on a supported runtime once patched',
    (_name, _env, stack, manifest) => {
      const patched = applyCopilotPatches(renderedSkeleton(stack.kind, manifest), readPatches(stack.patchesFile));
      const lambdas = renderedHelperLambdas(stack.kind, manifest);
      expect(lambdas.length).toBeGreaterThan(0);
      const problems = lambdas.map(({ logicalId }) => [logicalId, runtimeProblem(patched.Resources[logicalId]?.Properties?.Runtime)]);
      expect(problems).toEqual(lambdas.map(({ logicalId }) => [logicalId, undefined]));
    },
  );

  test('the consumer renders all three service helper Lambdas, the producer only the environment controller', () => {
    const producer = stacks.find((stack) => stack.name === 'producer')!;
    const consumer = stacks.find((stack) => stack.name === 'consumer')!;
    const ids = (stack: typeof producer) => [...stack.manifests.values()].map((manifest) => renderedHelperLambdas(stack.kind, manifest).map((lambda) => lambda.logicalId));
    expect(ids(producer)).toEqual([['EnvControllerFunction'], ['EnvControllerFunction']]);
    for (const rendered of ids(consumer)) expect(rendered.sort()).toEqual(['DynamicDesiredCountFunction', 'EnvControllerFunction', 'RulePriorityFunction']);
  });

  test('when a patch names a function Copilot does not render for the manifest, the simulation refuses it as Copilot would', () => {
    const environment = stacks.find((stack) => stack.kind === 'Environment')!;
    const manifest = [...environment.manifests.values()][0]!;
    const patch = { op: 'replace' as const, path: '/Resources/UniqueJSONValuesFunction/Properties/Runtime', value: 'nodejs22.x' };
    expect(() => applyCopilotPatches(renderedSkeleton('Environment', manifest), [patch])).toThrow(/UniqueJSONValuesFunction|unresolvable|Cannot/i);
  });
});

describe('environment addons parameters (addons.parameters.yml)', () => {
  const dir = 'copilot/environments/addons/';
  const parametersFile = `${dir}${ENV_ADDON_FACTS.parametersFile}`;
  const addons = yamlFiles().filter((file) => file.startsWith(dir) && file !== parametersFile);
  const templates = addons.map((file) => [file, readYaml<Template>(file)] as const);
  const given = readYaml<{ Parameters: Record<string, unknown> }>(parametersFile).Parameters;

  test('it passes only parameters the addons declare, and none of those Copilot passes itself', () => {
    const declared = new Set(templates.flatMap(([, template]) => Object.keys(template.Parameters ?? {})));
    for (const key of Object.keys(given)) {
      expect([key, ENV_ADDON_FACTS.reservedParameters.includes(key as 'App')]).toEqual([key, false]);
      expect([key, declared.has(key)]).toEqual([key, true]);
    }
  });

  test.each(addons)('%s declares App and Env, and every parameter without a default is given', (file) => {
    const parameters = (readYaml<Template>(file).Parameters ?? {}) as Record<string, { Default?: unknown }>;
    for (const reserved of ENV_ADDON_FACTS.reservedParameters) expect(parameters).toHaveProperty(reserved);
    const needed = Object.keys(parameters).filter((key) => !ENV_ADDON_FACTS.reservedParameters.includes(key as 'App') && parameters[key]?.Default === undefined);
    for (const key of needed) expect([key, key in given]).toEqual([key, true]);
  });

  test('a parameter declared by two addons is declared the same way in both (Copilot merges them into one template)', () => {
    const seen = new Map<string, unknown>();
    for (const [file, template] of templates) {
      for (const [key, definition] of Object.entries(template.Parameters ?? {})) {
        if (seen.has(key)) expect([file, key, isDeepStrictEqual(seen.get(key), definition)]).toEqual([file, key, true]);
        else seen.set(key, definition);
      }
    }
  });

  test.each([...stacks.find((stack) => stack.kind === 'Environment')!.manifests])(
    'in the %s environment, every !Ref names a resource of the environment stack and PrivateSubnets joins all private subnets',
    (_env, manifest) => {
      const ids = environmentLogicalIds(manifest);
      const refs: string[] = [];
      JSON.stringify(given, (key, value) => {
        if (key === 'Ref') refs.push(value);
        return value;
      });
      expect(refs.length).toBeGreaterThan(0);
      for (const ref of refs) expect([ref, ids.includes(ref)]).toEqual([ref, true]);
      const privateSubnets = ids.filter((id) => id.startsWith('PrivateSubnet'));
      expect(privateSubnets.length).toBeGreaterThan(0);
      expect(given.PrivateSubnets).toEqual({ 'Fn::Join': [',', privateSubnets.map((id) => ({ Ref: id }))] });
    },
  );

  test.each(addons)('%s imports nothing its own environment exports (the same env deploy creates those exports)', (file) => {
    const imports: unknown[] = [];
    JSON.stringify(readYaml(file), (key, value) => {
      if (key === 'Fn::ImportValue') imports.push(value);
      return value;
    });
    // An import named after App or Env is the environment stack's export or another environment
    // addon's: neither exists while this nested stack is being created.
    const own = imports.filter((name) => /\$\{App\}|\$\{Env\}|"Ref":"(App|Env)"/.test(JSON.stringify(name)));
    expect(own).toEqual([]);
  });
});
