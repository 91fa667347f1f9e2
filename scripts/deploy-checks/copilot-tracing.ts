import type { Operation } from 'fast-json-patch';
import { TRACE_COLLECTOR } from '../../infra/src/tracing';
import { applyCopilotPatches, renderedSkeleton } from './copilot-stacks';
import { TRACING_FACTS, type StackKind } from './copilot-template-facts';
import type { Manifest } from './copilot-manifests';

type Container = { Name?: unknown; Image?: unknown; Command?: unknown; Essential?: unknown; Cpu?: unknown; MemoryReservation?: unknown; Memory?: unknown; DependsOn?: unknown };

/**
 * Why a Copilot service does not send its spans to X-Ray as the CDK app's tasks do, or nothing:
 * the manifest asks for `observability.tracing: awsxray` and gives the service the collector's
 * endpoint, and once its overrides are applied (as Copilot applies them) the collector runs the
 * CDK app's image and config, is not essential and is small, and the service starts after it.
 */
export function tracingProblems(kind: Exclude<StackKind, 'Environment'>, manifest: Manifest, patches: Operation[]): string[] {
  const problems: string[] = [];
  if (manifest.observability?.tracing !== 'awsxray') problems.push('observability.tracing is not awsxray');
  if (manifest.variables?.OTEL_EXPORTER_OTLP_ENDPOINT !== TRACE_COLLECTOR.endpoint) problems.push(`variables.OTEL_EXPORTER_OTLP_ENDPOINT is not ${TRACE_COLLECTOR.endpoint}`);
  if (problems.length > 0) return problems;

  const patched = applyCopilotPatches(renderedSkeleton(kind, manifest), patches);
  const containers = (patched.Resources[TRACING_FACTS.taskDefinition]?.Properties?.ContainerDefinitions ?? []) as Container[];
  const app = containers.find((container) => container.Name === manifest.name);
  const collector = containers.find((container) => container.Name === TRACING_FACTS.collector.name);
  if (!app || !collector) return [`the task has no ${app ? 'collector' : 'service container'}`];
  const expected: Container = { Image: TRACE_COLLECTOR.image, Command: [...TRACE_COLLECTOR.command], Essential: false };
  for (const [key, value] of Object.entries(expected)) {
    if (JSON.stringify(collector[key as keyof Container]) !== JSON.stringify(value)) problems.push(`the collector's ${key} is ${JSON.stringify(collector[key as keyof Container])}, not ${JSON.stringify(value)}`);
  }
  for (const key of ['Cpu', 'MemoryReservation', 'Memory'] as const) {
    if (typeof collector[key] !== 'number') problems.push(`the collector has no ${key} of its own`);
  }
  const dependsOn = [{ ContainerName: TRACING_FACTS.collector.name, Condition: 'START' }];
  if (JSON.stringify(app.DependsOn) !== JSON.stringify(dependsOn)) problems.push(`the service's DependsOn is ${JSON.stringify(app.DependsOn)}, not ${JSON.stringify(dependsOn)}`);
  return problems;
}
