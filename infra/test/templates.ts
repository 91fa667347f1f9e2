import { Match, type Template } from 'aws-cdk-lib/assertions';

/** Reading the synthesized templates: what the infra tests ask of a task, its role and its service. */

export type Statement = { Action: string | string[]; Resource: unknown };
export type Service = 'Producer' | 'Consumer' | 'Projector';

/** What the service's task role may do. */
export function taskPolicyStatements(template: Template, service: Service): Statement[] {
  const policies = template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: Match.stringLikeRegexp(`^${service}.*TaskRole`) }] } });
  return Object.values(policies).flatMap((policy) => policy.Properties.PolicyDocument.Statement as Statement[]);
}

/** What ECS may read for the service's containers before they start (their secrets among it). */
export function executionPolicyStatements(template: Template, service: Service): Statement[] {
  const policies = template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: Match.stringLikeRegexp(`^${service}.*ExecutionRole`) }] } });
  return Object.values(policies).flatMap((policy) => policy.Properties.PolicyDocument.Statement as Statement[]);
}

export type Container = { Name: string; Environment?: Array<{ Name: string; Value: unknown }>; Secrets?: Array<{ Name: string; ValueFrom: unknown }>; HealthCheck?: { Command: string[] }; LogConfiguration: { Options: Record<string, unknown> } };
export type Resource = { Type: string; Properties: Record<string, any> };

/** The container of that name, and the ECS service that runs its task definition. */
export function serviceRunning(template: Template, containerName: string): { container: Container; service: Resource; serviceId: string } {
  const [taskId, task] = Object.entries(template.findResources('AWS::ECS::TaskDefinition')).find(([, definition]) => definition.Properties.ContainerDefinitions.some((container: Container) => container.Name === containerName))!;
  const [serviceId, service] = Object.entries(template.findResources('AWS::ECS::Service', { Properties: { TaskDefinition: { Ref: taskId } } }))[0]!;
  return { container: task.Properties.ContainerDefinitions.find((container: Container) => container.Name === containerName), service: service as Resource, serviceId };
}

export const environmentOf = (container: Container) => Object.fromEntries((container.Environment ?? []).map((entry) => [entry.Name, entry.Value]));
export const actionsOf = (statement: Statement) => [statement.Action].flat();
