import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { Stack } from 'aws-cdk-lib';
import type { EnvironmentName } from '../src/sizes';
import { TRACE_COLLECTOR, XRAY_ACTIONS } from '../src/tracing';
import { synthHerald } from './synth';
import { actionsOf, environmentOf, taskPolicyStatements, type Container, type Service, type Statement } from './templates';

/**
 * Traces to AWS X-Ray (docs/deploy-aws.md, "Traces"): every task that runs a Herald service runs
 * the ADOT collector beside it, the app sends OTLP/HTTP there, the task role may write to X-Ray
 * and no more; `-c tracing=off` takes all of it away.
 */

type ContainerDefinition = Container & {
  Image: unknown;
  Command?: string[];
  Essential?: boolean;
  Cpu?: number;
  MemoryReservation?: number;
  Memory?: number;
  DependsOn?: Array<{ ContainerName: string; Condition: string }>;
};

const variants = [
  ['test', 'together'],
  ['prod', 'together'],
  ['test', 'apart'],
  ['prod', 'apart'],
] as const;
const synthesized = variants.map(([envName, consumerRoles]) => ({ envName, consumerRoles, on: synthHerald(envName, { consumerRoles }), off: synthHerald(envName, { consumerRoles, tracing: 'off' }) }));
const APPS: Record<string, Service> = { producer: 'Producer', consumer: 'Consumer', projector: 'Projector' };

function taskDefinitions(template: Template): ContainerDefinition[][] {
  return Object.values(template.findResources('AWS::ECS::TaskDefinition')).map((definition) => definition.Properties.ContainerDefinitions as ContainerDefinition[]);
}
/** The Herald service a task runs: its one container that is not the collector. */
const appOf = (containers: ContainerDefinition[]) => containers.find((container) => container.Name !== TRACE_COLLECTOR.containerName)!;
const nagViolations = (stack: Stack) => new AwsSolutionsChecks().validateScope(stack).violations.map((violation) => `${violation.ruleName} at ${violation.violatingResources.map((resource) => resource.constructPath).join(', ')}`);
const isXray = (statement: Statement) => actionsOf(statement).some((action) => action.startsWith('xray:'));

describe.each(synthesized)('the CDK app in $envName with the roles $consumerRoles', ({ consumerRoles, on, off }) => {
  const template = Template.fromStack(on.stack);
  const services = consumerRoles === 'apart' ? ['producer', 'consumer', 'projector'] : ['producer', 'consumer'];

  test('every task that runs a Herald service runs the ADOT collector beside it with the X-Ray config, not essential, on a small reservation', () => {
    const tasks = taskDefinitions(template);
    expect(tasks.map((containers) => appOf(containers).Name).sort()).toEqual([...services].sort());
    for (const containers of tasks) {
      expect(containers.map((container) => container.Name).sort()).toEqual([appOf(containers).Name, TRACE_COLLECTOR.containerName].sort());
      const collector = containers.find((container) => container.Name === TRACE_COLLECTOR.containerName)!;
      expect(collector).toMatchObject({ Image: TRACE_COLLECTOR.image, Command: ['--config=/etc/ecs/ecs-xray.yaml'], Essential: false });
      expect(collector.Image).toMatch(/^public\.ecr\.aws\/aws-observability\/aws-otel-collector:v\d+\.\d+\.\d+$/);
      expect(collector.Cpu).toBeLessThanOrEqual(128);
      expect(collector.MemoryReservation).toBeLessThanOrEqual(128);
      expect(collector.Memory).toBeLessThanOrEqual(256);
    }
  });

  test('the collectors log to a log group of their own, kept a month like the services\' logs, a stream prefix per service', () => {
    const collectors = taskDefinitions(template).map((containers) => [appOf(containers), containers.find((container) => container.Name === TRACE_COLLECTOR.containerName)!] as const);
    const groups = new Set(collectors.map(([, collector]) => JSON.stringify(collector.LogConfiguration.Options['awslogs-group'])));
    expect(groups.size).toBe(1);
    const appGroups = collectors.map(([app]) => JSON.stringify(app.LogConfiguration.Options['awslogs-group']));
    for (const group of groups) expect(appGroups).not.toContain(group);
    const [groupRef] = [...groups];
    const logicalId = (JSON.parse(groupRef!) as { Ref: string }).Ref;
    expect(template.toJSON().Resources[logicalId]).toMatchObject({ Type: 'AWS::Logs::LogGroup', Properties: { RetentionInDays: 30 } });
    expect(collectors.map(([, collector]) => collector.LogConfiguration.Options['awslogs-stream-prefix']).sort()).toEqual([...services].sort());
  });

  test('each app container sends its spans to the collector at localhost:4318 and starts once the collector has started', () => {
    for (const containers of taskDefinitions(template)) {
      const app = appOf(containers);
      expect(environmentOf(app).OTEL_EXPORTER_OTLP_ENDPOINT).toBe('http://localhost:4318');
      expect(app.DependsOn).toEqual([{ ContainerName: TRACE_COLLECTOR.containerName, Condition: 'START' }]);
    }
  });

  test('each task role may write to X-Ray with the four X-Ray actions only, and no statement allows every action', () => {
    for (const service of services) {
      const statements = taskPolicyStatements(template, APPS[service]!);
      const xray = statements.filter(isXray);
      expect(xray).toEqual([expect.objectContaining({ Effect: 'Allow', Resource: '*' })]);
      expect(actionsOf(xray[0]!).sort()).toEqual([...XRAY_ACTIONS].sort());
      for (const action of statements.flatMap(actionsOf)) expect(action).not.toMatch(/(^|:)\*$/);
    }
  });

  test('cdk-nag AwsSolutions finds nothing unacknowledged, with tracing and without', () => {
    expect(nagViolations(on.stack)).toEqual([]);
    expect(nagViolations(off.stack)).toEqual([]);
  });

  test('with -c tracing=off there is no collector, no endpoint, no dependency, no X-Ray permission and no collector log group', () => {
    const untraced = Template.fromStack(off.stack);
    for (const containers of taskDefinitions(untraced)) {
      expect(containers).toHaveLength(1);
      expect(environmentOf(containers[0]!)).not.toHaveProperty('OTEL_EXPORTER_OTLP_ENDPOINT');
      expect(containers[0]!.DependsOn).toBeUndefined();
    }
    for (const service of services) expect(taskPolicyStatements(untraced, APPS[service]!).filter(isXray)).toEqual([]);
    expect(JSON.stringify(untraced.toJSON())).not.toMatch(/xray:|aws-otel-collector/);
    expect(Object.keys(untraced.findResources('AWS::Logs::LogGroup')).length).toBe(Object.keys(template.findResources('AWS::Logs::LogGroup')).length - 1);
  });
});

test('tracing is on unless -c tracing=off: the default template is the one with tracing on', () => {
  const byDefault = synthesized.find(({ envName, consumerRoles }) => envName === ('test' satisfies EnvironmentName) && consumerRoles === 'together')!.on;
  expect(Template.fromStack(synthHerald('test', { tracing: 'on' }).stack).toJSON()).toEqual(Template.fromStack(byDefault.stack).toJSON());
});
