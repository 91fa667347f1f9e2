import { readJson } from './deploy-files';

type Lifecycle = { deprecation: string; createBlock: string; updateBlock: string };
type RuntimeList = { source: string; checked: string; runtimes: Record<string, Lifecycle>; deprecated: Record<string, Lifecycle> };

/** AWS's supported Lambda runtimes as of the list's date (lambda-runtimes.json says where from). */
export const RUNTIME_LIST = readJson<RuntimeList>('scripts/deploy-checks/lambda-runtimes.json');

/**
 * Why a function may not use this runtime, or undefined when it may: the runtime must be on the
 * list and not past its deprecation date (AWS blocks creating, then updating, functions on it
 * within months).
 */
export function runtimeProblem(runtime: unknown, today = new Date()): string | undefined {
  if (typeof runtime !== 'string') return `no literal Runtime (${JSON.stringify(runtime)}): the check cannot see which runtime it is`;
  const supported = RUNTIME_LIST.runtimes[runtime];
  if (!supported) {
    const deprecated = RUNTIME_LIST.deprecated[runtime];
    const since = deprecated
      ? `deprecated on ${deprecated.deprecation} (no new functions from ${deprecated.createBlock}, no updates from ${deprecated.updateBlock})`
      : `not on the supported list of ${RUNTIME_LIST.checked}`;
    return `${runtime} is ${since} (${RUNTIME_LIST.source})`;
  }
  if (today.toISOString().slice(0, 10) >= supported.deprecation) {
    return `${runtime} is deprecated since ${supported.deprecation}: move to a newer runtime and update lambda-runtimes.json`;
  }
  return undefined;
}

type Template = { Resources?: Record<string, { Type: string; Properties?: Record<string, unknown> }> };

/** Every Lambda function of a CloudFormation template with its runtime (undefined for an image). */
export function lambdaRuntimes(template: Template): { logicalId: string; runtime: unknown }[] {
  return Object.entries(template.Resources ?? {})
    .filter(([, resource]) => resource.Type === 'AWS::Lambda::Function' || resource.Type === 'AWS::Serverless::Function')
    .filter(([, resource]) => resource.Properties?.PackageType !== 'Image')
    .map(([logicalId, resource]) => ({ logicalId, runtime: resource.Properties?.Runtime }));
}
