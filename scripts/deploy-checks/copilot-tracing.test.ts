import { XRAY_ACTIONS } from '../../infra/src/tracing';
import type { Manifest } from './copilot-manifests';
import { applyCopilotPatches, copilotStacks, readPatches, renderedSkeleton } from './copilot-stacks';
import { TRACING_FACTS } from './copilot-template-facts';
import { tracingProblems } from './copilot-tracing';
import { readYaml } from './deploy-files';

/**
 * Traces under Copilot (docs/deploy-aws.md, "Traces"): each service's manifest turns on Copilot's
 * X-Ray tracing and names the collector's endpoint; its overrides bring the collector to what the
 * CDK app runs (infra/test/tracing.test.ts checks that side).
 */

const services = copilotStacks().filter((stack) => stack.kind !== 'Environment');
const perEnvironment = services.flatMap((stack) => [...stack.manifests].map(([env, manifest]) => [stack.name, env, stack, manifest] as const));

describe('traces under Copilot', () => {
  test('every service is checked', () => {
    expect(services.map((stack) => stack.name)).toEqual(expect.arrayContaining(['producer', 'consumer']));
  });

  test.each(perEnvironment)("the %s in %s sends its spans to the ADOT collector beside it, which runs as the CDK app's does", (_name, _env, stack, manifest) => {
    expect(tracingProblems(stack.kind as 'Backend Service', manifest, readPatches(stack.patchesFile))).toEqual([]);
  });

  test("Copilot's task-role policy for the collector holds every X-Ray action the CDK app grants", () => {
    expect(TRACING_FACTS.taskRolePolicy.actions).toEqual(expect.arrayContaining([...XRAY_ACTIONS]));
  });

  test("the environments' observability is container insights only, not tracing", () => {
    for (const env of ['test', 'prod']) {
      const manifest = readYaml<Manifest>(`copilot/environments/${env}/manifest.yml`);
      expect(Object.keys(manifest.observability ?? {})).toEqual(['container_insights']);
    }
  });

  test("when tracing is dropped, or another container takes the collector's place, the checks say so", () => {
    const consumer = services.find((stack) => stack.name === 'consumer')!;
    const manifest = [...consumer.manifests.values()][0]!;
    const patches = readPatches(consumer.patchesFile);
    const { observability: _tracing, ...untraced } = manifest;
    expect(tracingProblems('Load Balanced Web Service', untraced, patches)).toEqual(['observability.tracing is not awsxray']);
    // Without the collector, Copilot refuses the patches and the deployment stops.
    expect(() => applyCopilotPatches(renderedSkeleton('Load Balanced Web Service', untraced), patches)).toThrow();
    // With FireLens logging, its router comes second and the patches would change it instead.
    expect(tracingProblems('Load Balanced Web Service', { ...manifest, logging: { destination: { Name: 'cloudwatch' } } }, patches)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^the collector's Image is .*v0\.17\.0/), expect.stringMatching(/^the collector's Essential is undefined/)]),
    );
  });
});
