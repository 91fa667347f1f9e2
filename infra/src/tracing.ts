import { aws_ecs as ecs, aws_iam as iam, type aws_logs as logs } from 'aws-cdk-lib';

/** Whether the services' spans go to AWS X-Ray through a collector beside each app container (the default), or nowhere. */
export type Tracing = 'on' | 'off';

export function isTracing(value: string): value is Tracing {
  return value === 'on' || value === 'off';
}

/**
 * The AWS Distro for OpenTelemetry collector, as each Herald task runs it, pinned (v0.49.0,
 * released 2026-07): its major version is 0, so a new release is taken on purpose. X-Ray takes the
 * services' W3C trace ids only from collectors of v0.34 on; older ones drop every span whose trace
 * id does not start with a recent epoch second, which a random W3C id almost never does.
 *
 * The config is the one the image ships for this case, /etc/ecs/ecs-xray.yaml: OTLP over gRPC
 * (4317) and HTTP (4318) in, ECS/EC2 resource detection, batches, the `awsxray` exporter out,
 * traces only. Copilot's `observability.tracing: awsxray` starts the collector with the same file,
 * so both deploy paths run one config and no copy of it lives here to drift. The image's
 * ecs-default-config.yaml would also run a metrics pipeline (statsd, CloudWatch EMF) that Herald
 * does not feed and that would need CloudWatch Logs permissions.
 */
export const TRACE_COLLECTOR = {
  containerName: 'aws-otel-collector',
  image: 'public.ecr.aws/aws-observability/aws-otel-collector:v0.49.0',
  command: ['--config=/etc/ecs/ecs-xray.yaml'],
  /** What the app containers get as OTEL_EXPORTER_OTLP_ENDPOINT: the task's containers share localhost. */
  endpoint: 'http://localhost:4318',
} as const;

/**
 * What the task may do in X-Ray, the write set AWS gives the X-Ray daemon and the ADOT collector
 * (and Copilot's tracing): the awsxray exporter sends segments (PutTraceSegments) and, when its
 * telemetry is turned on, its own counters (PutTelemetryRecords); X-Ray's remote sampler reads the
 * sampling rules and targets. None of them takes a resource narrower than "*".
 */
export const XRAY_ACTIONS = ['xray:PutTraceSegments', 'xray:PutTelemetryRecords', 'xray:GetSamplingRules', 'xray:GetSamplingTargets'] as const;

type CollectorOptions = {
  /** the container whose spans the collector forwards; it starts once the collector has started */
  app: ecs.ContainerDefinition;
  logGroup: logs.ILogGroup;
  /** the log stream prefix: the service the task runs */
  streamPrefix: string;
};

/**
 * Adds the collector to a Herald task: not essential, so a collector that fails leaves the app
 * running (its spans are then lost, as with tracing off); a small reservation, and a hard memory
 * limit so that a collector gone wrong is stopped before it takes the app's memory.
 */
export function addTraceCollector(task: ecs.TaskDefinition, { app, logGroup, streamPrefix }: CollectorOptions): ecs.ContainerDefinition {
  const collector = task.addContainer(TRACE_COLLECTOR.containerName, {
    containerName: TRACE_COLLECTOR.containerName,
    image: ecs.ContainerImage.fromRegistry(TRACE_COLLECTOR.image),
    command: [...TRACE_COLLECTOR.command],
    essential: false,
    cpu: 64,
    memoryReservationMiB: 64,
    memoryLimitMiB: 256,
    logging: ecs.LogDrivers.awsLogs({ streamPrefix, logGroup }),
  });
  app.addContainerDependencies({ container: collector, condition: ecs.ContainerDependencyCondition.START });
  task.addToTaskRolePolicy(new iam.PolicyStatement({ actions: [...XRAY_ACTIONS], resources: ['*'] }));
  return collector;
}
