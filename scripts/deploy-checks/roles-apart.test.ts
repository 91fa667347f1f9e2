import { DEFAULT_PARTITIONS } from '@herald/events';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ROLES_APART } from '../../infra/src/services';
import { SIZES } from '../../infra/src/sizes';
import { environmentAddonExports, fromCfnRefs, manifestValidator, PARTITIONS, runsProjector, SCHEMA_OF, type Manifest } from './copilot-manifests';
import { applyCopilotPatches, environmentNames, forEnvironment, renderedHelperLambdas, renderedSkeleton } from './copilot-stacks';
import { tracingProblems } from './copilot-tracing';
import { readYaml, ROOT } from './deploy-files';
import { runtimeProblem } from './lambda-runtimes';

/**
 * docs/deploy-aws.md, "Deploying the consumer's roles apart", shows the Copilot files of the
 * roles apart instead of keeping them under copilot/, where `copilot deploy --all` would deploy
 * them. These checks hold the snippets to what the files themselves would be held to.
 */

const doc = readFileSync(join(ROOT, 'docs/deploy-aws.md'), 'utf8');
const section = doc.split(/^## /m).find((part) => part.startsWith("Deploying the consumer's roles apart\n")) ?? '';

/** The section's ```yaml blocks, parsed, with the indentation of the list item they sit in removed. */
const blocks = [...section.matchAll(/^( *)```yaml\n([\s\S]*?)^\1```$/gm)].map(([, indent, body]) =>
  parse(body!.split('\n').map((line) => line.slice(indent!.length)).join('\n'), { strict: true, uniqueKeys: true }) as unknown,
);
const isManifest = (block: unknown): block is Manifest => typeof block === 'object' && block !== null && !Array.isArray(block);
const projector = blocks.filter(isManifest).find((block) => block.name === 'projector')!;
const patches = blocks.find(Array.isArray) as Array<{ op: 'replace' | 'add'; path: string; value: unknown }>;
const fragment = blocks.filter(isManifest).find((block) => block.variables?.CONSUMER_ROLES === ROLES_APART.readApi)!;

const consumer = readYaml<Manifest>('copilot/consumer/manifest.yml');
const validate = manifestValidator();
const envs = environmentNames();
const rangeOf = (manifest: Manifest, env: string) => forEnvironment(manifest, env).count.range as string;

/** The consumer's manifest with the section's fragment laid over it: its count, its variables added, its secrets. */
const readApi: Manifest = { ...consumer, count: fragment.count, variables: { ...consumer.variables, ...fragment.variables }, secrets: fragment.secrets, environments: fragment.environments };

describe("docs/deploy-aws.md, Deploying the consumer's roles apart", () => {
  test("shows the projector's manifest, its overrides and the consumer's changes", () => {
    expect([projector, patches, fragment].map(Boolean)).toEqual([true, true, true]);
  });

  test("the projector's manifest is a Backend Service the schema accepts, whose from_cfn names exist", () => {
    expect(validate(SCHEMA_OF['Backend Service'], projector)).toEqual([]);
    const exported = environmentAddonExports();
    for (const ref of fromCfnRefs(projector)) expect([ref, exported.has(ref)]).toEqual([ref, true]);
  });

  test("the projector runs the consumer's image and settings with CONSUMER_ROLES=projector, privately, checked at /health", () => {
    expect(projector).toMatchObject({ type: 'Backend Service', image: { build: consumer.image.build }, cpu: consumer.cpu, memory: consumer.memory, platform: consumer.platform, network: { vpc: { placement: 'private' } } });
    expect(projector.variables).toEqual({ ...consumer.variables, CONSUMER_ROLES: ROLES_APART.projector });
    // The consumer's secrets it needs, from the same places; not the JWT key, which it never reads.
    expect(Object.keys(projector.secrets).sort()).toEqual(['DB_SECRET', 'OPERATOR_TOKEN', 'USER_KEYS_TOKEN']);
    for (const [name, value] of Object.entries(projector.secrets)) expect(value).toEqual(consumer.secrets[name]);
    expect(projector.image.healthcheck.command.join(' ')).toContain(`127.0.0.1:${consumer.image.port}/health`);
    expect(runsProjector(projector)).toBe(true);
  });

  test.each(envs)('in %s, the projector runs from the consumer\'s minimum up to the partitions, as the CDK app does', (env) => {
    expect(PARTITIONS).toBe(DEFAULT_PARTITIONS);
    expect(rangeOf(projector, env)).toBe(`${SIZES[env as 'test' | 'prod'].consumerMinTasks}-${DEFAULT_PARTITIONS}`);
    expect(rangeOf(projector, env).split('-')[0]).toBe(rangeOf(consumer, env).split('-')[0]);
  });

  test('the consumer with the changes is a Load Balanced Web Service the schema accepts, running the read API and ops, checked at /health', () => {
    expect(validate(SCHEMA_OF['Load Balanced Web Service'], readApi)).toEqual([]);
    expect(readApi.http.healthcheck.path).toBe('/health');
    expect(runsProjector(readApi)).toBe(false);
  });

  test("the read API and ops keep the consumer's secrets from the same places, USER_KEYS_TOKEN too (the live feed opens sign-ups)", () => {
    expect(consumer.secrets.USER_KEYS_TOKEN).toBeDefined();
    expect(readApi.secrets).toEqual(consumer.secrets);
  });

  test.each(envs)('in %s, the read API runs from the consumer\'s minimum up to the CDK app\'s readApiMaxTasks', (env) => {
    const sizes = SIZES[env as 'test' | 'prod'];
    expect(rangeOf(readApi, env)).toBe(`${sizes.consumerMinTasks}-${sizes.readApiMaxTasks}`);
    expect(rangeOf(readApi, env).split('-')[0]).toBe(rangeOf(consumer, env).split('-')[0]);
  });

  test.each(envs)("in %s, the overrides apply to the helper Lambdas Copilot renders for the projector and leave each on a supported runtime", (env) => {
    const manifest = forEnvironment(projector, env);
    const patched = applyCopilotPatches(renderedSkeleton('Backend Service', manifest), patches);
    const lambdas = renderedHelperLambdas('Backend Service', manifest).map(({ logicalId }) => logicalId);
    expect(lambdas.sort()).toEqual(['DynamicDesiredCountFunction', 'EnvControllerFunction']);
    expect(lambdas.map((id) => [id, runtimeProblem(patched.Resources[id]?.Properties?.Runtime as string)])).toEqual(lambdas.map((id) => [id, undefined]));
  });

  test.each(envs)('in %s, the projector sends its spans to the ADOT collector beside it, as the consumer does', (env) => {
    expect(tracingProblems('Backend Service', forEnvironment(projector, env), patches)).toEqual([]);
  });
});
