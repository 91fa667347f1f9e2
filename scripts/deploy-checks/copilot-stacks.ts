import { applyPatch, type Operation } from 'fast-json-patch';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { HELPER_LAMBDAS, PATCH_FACTS, TRACING_FACTS, type HelperLambda, type RenderedWhen, type StackKind } from './copilot-template-facts';
import { readYaml, ROOT } from './deploy-files';

type Manifest = Record<string, any>;
export type Template = { Parameters?: Record<string, unknown>; Resources: Record<string, { Type: string; Properties?: Record<string, unknown> }> };

/** One stack Copilot deploys for Herald, rendered once per environment. */
export type CopilotStack = {
  /** the folder under copilot/ (a service, or environments) */
  name: string;
  kind: StackKind;
  /** environment name -> the manifest as Copilot renders it for that environment */
  manifests: Map<string, Manifest>;
  patchesFile: string;
};

// docs/deploy-aws.md creates the application without --domain, so the environment has no
// DelegateDNS; the CDN function needs a domain or an imported certificate.
const APP_HAS_DOMAIN = false;

export function environmentNames(): string[] {
  return readdirSync(join(ROOT, 'copilot/environments'), { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(ROOT, 'copilot/environments', entry.name, 'manifest.yml')))
    .map((entry) => entry.name)
    .sort();
}

/** The services Copilot deploys: every folder under copilot/ with a manifest, but environments. */
export function workloadNames(): string[] {
  return readdirSync(join(ROOT, 'copilot'), { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && entry.name !== 'environments' && existsSync(join(ROOT, 'copilot', entry.name, 'manifest.yml')))
    .map((entry) => entry.name)
    .sort();
}

/**
 * A workload manifest with its `environments.<env>` section laid over it, as Copilot does
 * before rendering; a shallow merge is enough for the keys the facts ask about (http, count).
 */
export function forEnvironment(manifest: Manifest, env: string): Manifest {
  return { ...manifest, ...(manifest.environments?.[env] ?? {}) };
}

export function copilotStacks(): CopilotStack[] {
  const envs = environmentNames();
  const workload = (name: string): CopilotStack => {
    const manifest = readYaml<Manifest>(`copilot/${name}/manifest.yml`);
    const kind = manifest.type as StackKind;
    if (!(kind in HELPER_LAMBDAS) || kind === 'Environment') throw new Error(`copilot/${name}/manifest.yml: type "${manifest.type}" is not one the checks know`);
    return { name, kind, manifests: new Map(envs.map((env) => [env, forEnvironment(manifest, env)])), patchesFile: `copilot/${name}/overrides/${PATCH_FACTS.file}` };
  };
  return [
    ...workloadNames().map(workload),
    {
      name: 'environments',
      kind: 'Environment',
      manifests: new Map(envs.map((env) => [env, readYaml<Manifest>(`copilot/environments/${env}/manifest.yml`)])),
      patchesFile: `copilot/environments/overrides/${PATCH_FACTS.file}`,
    },
  ];
}

function isRendered(when: RenderedWhen, kind: StackKind, manifest: Manifest): boolean {
  const publicHttp = manifest.http?.public ?? {};
  switch (when) {
    case 'always':
      return true;
    case 'http':
      return kind === 'Load Balanced Web Service' && manifest.http !== undefined && manifest.http !== false;
    case 'count-range':
      return typeof manifest.count === 'object' && manifest.count !== null && manifest.count.range !== undefined;
    case 'no-imported-certificates':
      return !publicHttp.certificates;
    case 'cdn-with-certificate-or-domain':
      return Boolean(manifest.cdn) && (Boolean(publicHttp.certificates) || APP_HAS_DOMAIN);
    case 'elb-access-logs-bucket':
      return Boolean(publicHttp.access_logs) && !publicHttp.access_logs.bucket_name;
  }
}

/** The helper Lambdas Copilot renders for this manifest. */
export function renderedHelperLambdas(kind: StackKind, manifest: Manifest): HelperLambda[] {
  return HELPER_LAMBDAS[kind].filter((lambda) => isRendered(lambda.renderedWhen, kind, manifest));
}

type ContainerDefinition = Record<string, unknown>;

/**
 * A service's task definition as the facts know it: its containers in Copilot's order, each with
 * the property keys Copilot writes (the values are placeholders, but the collector's).
 */
export function renderedContainers(manifest: Manifest): ContainerDefinition[] {
  const placeholders = (keys: readonly string[]) => Object.fromEntries(keys.map((key) => [key, `<${key} as Copilot renders it>`]));
  const workload: ContainerDefinition = { ...placeholders(TRACING_FACTS.workloadContainerProperties), Name: manifest.name };
  if (manifest.image?.depends_on) workload.DependsOn = '<DependsOn as Copilot renders it>';
  const containers = [workload];
  if (manifest.logging) containers.push({ ...placeholders(['Image', 'Environment', 'EnvironmentFiles', 'FirelensConfiguration', 'LogConfiguration']), Name: 'firelens_log_router' });
  if (manifest.observability?.tracing === 'awsxray') {
    const { name, image, command, properties } = TRACING_FACTS.collector;
    containers.push({ ...placeholders(properties), Name: name, Image: image, Command: [...command] });
  }
  for (const name of Object.keys(manifest.sidecars ?? {})) containers.push({ ...placeholders(['Image', 'Environment']), Name: name });
  return containers;
}

/**
 * The part of Copilot's rendered template the facts know: its helper Lambdas, each with the
 * property keys Copilot writes, and a service's task definition (renderedContainers). Patches on
 * anything else fail here, which asks for the facts to be extended before such a patch is trusted.
 */
export function renderedSkeleton(kind: StackKind, manifest: Manifest): Template {
  const resources: Template['Resources'] = {};
  if (kind !== 'Environment') {
    resources[TRACING_FACTS.taskDefinition] = { Type: 'AWS::ECS::TaskDefinition', Properties: { ContainerDefinitions: renderedContainers(manifest) } };
  }
  for (const lambda of renderedHelperLambdas(kind, manifest)) {
    const properties: Record<string, unknown> = Object.fromEntries(lambda.properties.map((key) => [key, `<${key} as Copilot renders it>`]));
    properties.Runtime = lambda.runtime;
    resources[lambda.logicalId] = { Type: 'AWS::Lambda::Function', Properties: properties };
  }
  return { Resources: resources };
}

export function readPatches(file: string): Operation[] {
  return readYaml<Operation[]>(file);
}

/**
 * Applies patches as Copilot does: in order, and a path the template lacks stops everything
 * (fast-json-patch's validation follows RFC 6902 there, as Copilot's patch.go does).
 */
export function applyCopilotPatches(template: Template, patches: Operation[]): Template {
  return applyPatch(structuredClone(template), patches, true, false).newDocument;
}
