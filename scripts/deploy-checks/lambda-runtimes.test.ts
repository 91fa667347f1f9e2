import { copilotStacks, readPatches, type Template } from './copilot-stacks';
import { readYaml, yamlFiles } from './deploy-files';
import { lambdaRuntimes, RUNTIME_LIST, runtimeProblem } from './lambda-runtimes';

// Every CloudFormation template Herald writes itself: the Copilot addons (the parameters file is
// not a template). The helper Lambdas Copilot renders are checked, once patched, in
// copilot-overrides.test.ts, and the CDK app's templates in infra/test, with the same rule.
const templates = yamlFiles().filter((file) => file.startsWith('copilot/') && file.includes('/addons/') && !file.endsWith('addons.parameters.yml'));

describe('Lambda runtimes', () => {
  test('the supported list says where it comes from and when it was read', () => {
    expect(RUNTIME_LIST.source).toMatch(/^https:\/\/docs\.aws\.amazon\.com\/lambda\//);
    expect(RUNTIME_LIST.checked).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(Object.keys(RUNTIME_LIST.runtimes).length).toBeGreaterThan(0);
  });

  test('when a runtime is deprecated, missing from the list, past its date or not a literal, the rule refuses it', () => {
    expect(runtimeProblem('nodejs20.x')).toMatch(/nodejs20\.x is deprecated on 2026-04-30/);
    expect(runtimeProblem('nodejs99.x')).toMatch(/not on the supported list/);
    expect(runtimeProblem('nodejs22.x', new Date('2027-05-01T00:00:00Z'))).toMatch(/deprecated since 2027-04-30/);
    expect(runtimeProblem({ Ref: 'Runtime' })).toMatch(/no literal Runtime/);
    expect(runtimeProblem('nodejs22.x', new Date('2026-12-01T00:00:00Z'))).toBeUndefined();
  });

  test.each(templates)('every Lambda function in %s uses a supported runtime', (file) => {
    for (const { logicalId, runtime } of lambdaRuntimes(readYaml<Template>(file))) {
      expect([logicalId, runtimeProblem(runtime)]).toEqual([logicalId, undefined]);
    }
  });

  test.each(copilotStacks().map((stack) => [stack.patchesFile]))('every runtime %s sets is supported', (file) => {
    const runtimes = readPatches(file)
      .filter((patch) => patch.path.endsWith('/Runtime') && 'value' in patch)
      .map((patch) => [patch.path, (patch as { value: unknown }).value]);
    for (const [path, runtime] of runtimes) expect([path, runtimeProblem(runtime)]).toEqual([path, undefined]);
  });
});
