import { readJson } from './deploy-files';

type RuntimeList = { source: string; checked: string; runtimes: Record<string, { deprecation: string }>; deprecated: Record<string, { deprecation: string }> };

/** AWS's supported Lambda runtimes as of the list's date (lambda-runtimes.json says where from). */
export const RUNTIME_LIST = readJson<RuntimeList>('scripts/deploy-checks/lambda-runtimes.json');

/**
 * Why a function may not use this runtime, or undefined when it may: the runtime must be on the
 * list and not past its deprecation date (AWS blocks creating functions on it soon after).
 */
export function runtimeProblem(runtime: unknown, today = new Date()): string | undefined {
  if (typeof runtime !== 'string') return `no literal Runtime (${JSON.stringify(runtime)}): the check cannot see which runtime it is`;
  const supported = RUNTIME_LIST.runtimes[runtime];
  if (!supported) {
    const deprecated = RUNTIME_LIST.deprecated[runtime];
    const since = deprecated ? `deprecated on ${deprecated.deprecation}` : `not on the supported list of ${RUNTIME_LIST.checked}`;
    return `${runtime} is ${since} (${RUNTIME_LIST.source})`;
  }
  if (today.toISOString().slice(0, 10) >= supported.deprecation) {
    return `${runtime} is deprecated since ${supported.deprecation}: move to a newer runtime and update lambda-runtimes.json`;
  }
  return undefined;
}
