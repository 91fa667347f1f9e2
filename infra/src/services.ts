import { DEFAULT_PARTITIONS } from '@herald/events';
import { aws_ec2 as ec2, aws_ecs as ecs, aws_ecs_patterns as patterns, aws_iam as iam, aws_logs as logs, aws_s3 as s3, aws_ssm as ssm, Duration, RemovalPolicy } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { Database } from './database';
import type { Kafka } from './kafka';
import type { EnvironmentName, EnvironmentSizes } from './sizes';
import { addTraceCollector, TRACE_COLLECTOR, type Tracing } from './tracing';

/**
 * How the consumer's three roles (projector, read-api, ops) are deployed: all in one
 * load-balanced service (the default), or the projector as a service of its own.
 */
export type ConsumerRoles = 'together' | 'apart';

export function isConsumerRoles(value: string): value is ConsumerRoles {
  return value === 'together' || value === 'apart';
}

/** CONSUMER_ROLES of each service when the roles run apart (unset together: all three). */
export const ROLES_APART = { readApi: 'read-api,ops', projector: 'projector' } as const;

/**
 * The consumer's Kafka groups (consumer/src/config.ts, default prefix): the projection and retry
 * groups are herald-consumer.<name>; the read API's live feed and the console's flow join one
 * group per process, named after the host and pid.
 */
export const CONSUMER_GROUPS = { all: 'herald-consumer*', perProcess: ['herald-consumer.live.*', 'herald-consumer.console.*'] } as const;

type ServicesOptions = {
  vpc: ec2.IVpc;
  envName: EnvironmentName;
  sizes: EnvironmentSizes;
  kafka: Kafka;
  database: Database;
  images: { producer: ecs.ContainerImage; consumer: ecs.ContainerImage };
  consumerRoles: ConsumerRoles;
  tracing: Tracing;
};

const PRODUCER_PORT = 9001;
const CONSUMER_PORT = 9000;

/** SecureString parameters the operator puts before the first deploy (docs/deploy-aws.md). */
function operatorSecret(scope: Construct, envName: string, name: 'JWT_PRIVATE_KEY' | 'OPERATOR_TOKEN' | 'USER_KEYS_TOKEN') {
  const parameter = ssm.StringParameter.fromSecureStringParameterAttributes(scope, `${name}Parameter`, { parameterName: `/herald/${envName}/${name}` });
  return ecs.Secret.fromSsmParameter(parameter);
}

/**
 * What a service does with Kafka: the producer only writes; the projector (with or without the
 * other roles) reads every topic and joins the projection and retry groups; the read-api/ops
 * service reads topics, describes every consumer group (the console's group status) and joins
 * only its per-process groups.
 */
type KafkaUse = 'writes' | 'projects' | 'reads';

function kafkaStatements(kafka: Kafka, use: KafkaUse): iam.PolicyStatement[] {
  const consumes = use !== 'writes';
  const statements = [
    // Both services' producers are idempotent (libs/kafka createProducer); MSK authorises that on the cluster.
    new iam.PolicyStatement({ actions: ['kafka-cluster:Connect', 'kafka-cluster:DescribeCluster', 'kafka-cluster:WriteDataIdempotently'], resources: [kafka.clusterArn] }),
    new iam.PolicyStatement({
      actions: ['kafka-cluster:DescribeTopic', 'kafka-cluster:CreateTopic', 'kafka-cluster:WriteData', ...(consumes ? ['kafka-cluster:ReadData'] : [])],
      resources: [kafka.topicArn('*')],
    }),
  ];
  if (use === 'projects') statements.push(new iam.PolicyStatement({ actions: ['kafka-cluster:DescribeGroup', 'kafka-cluster:AlterGroup'], resources: [kafka.groupArn(CONSUMER_GROUPS.all)] }));
  if (use === 'reads') {
    statements.push(
      new iam.PolicyStatement({ actions: ['kafka-cluster:DescribeGroup'], resources: [kafka.groupArn(CONSUMER_GROUPS.all)] }),
      new iam.PolicyStatement({ actions: ['kafka-cluster:AlterGroup'], resources: CONSUMER_GROUPS.perProcess.map((group) => kafka.groupArn(group)) }),
    );
  }
  return statements;
}

/** ECS's own check of a container without a load balancer: the service's /health from inside the task. */
function containerHealthCheck(port: number, startPeriod: Duration): ecs.HealthCheck {
  return {
    command: ['CMD', 'node', '-e', `fetch('http://127.0.0.1:${port}/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))`],
    interval: Duration.seconds(10),
    retries: 3,
    timeout: Duration.seconds(5),
    startPeriod,
  };
}

/**
 * The ECS cluster and the services. The producer is private and registered in Cloud Map as
 * `producer.<namespace>`, so the consumer reaches it at PRODUCER_URL; the consumer sits behind a
 * public ALB and scales on CPU up to one task per partition. With the roles apart, that service
 * runs the read API and ops and scales further, and a private projector service without a load
 * balancer runs the projection groups, up to one task per partition. With tracing on, every task
 * also runs the trace collector (tracing.ts), and its app container sends spans there.
 */
export function createServices(scope: Construct, { vpc, envName, sizes, kafka, database, images, consumerRoles, tracing }: ServicesOptions) {
  const apart = consumerRoles === 'apart';
  const traced = tracing === 'on';
  const namespace = `${envName}.herald.local`;
  const cluster = new ecs.Cluster(scope, 'Cluster', { vpc, containerInsightsV2: sizes.containerInsights ? ecs.ContainerInsights.ENABLED : ecs.ContainerInsights.DISABLED });
  cluster.addDefaultCloudMapNamespace({ name: namespace, vpc });
  const removalPolicy = sizes.keepData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
  const logGroups = {
    producer: new logs.LogGroup(scope, 'ProducerLogs', { retention: logs.RetentionDays.ONE_MONTH, removalPolicy }),
    consumer: new logs.LogGroup(scope, 'ConsumerLogs', { retention: logs.RetentionDays.ONE_MONTH, removalPolicy }),
  };
  // The trace collectors' own logs, apart from the services' (and from the dead-letter metric filter's).
  const collectorLogs = traced ? new logs.LogGroup(scope, 'TraceCollectorLogs', { retention: logs.RetentionDays.ONE_MONTH, removalPolicy }) : undefined;
  const traceTask = (task: ecs.TaskDefinition, app: ecs.ContainerDefinition, streamPrefix: string) => {
    if (collectorLogs) addTraceCollector(task, { app, logGroup: collectorLogs, streamPrefix });
  };

  const secrets = {
    DB_SECRET: ecs.Secret.fromSecretsManager(database.secret),
    JWT_PRIVATE_KEY: operatorSecret(scope, envName, 'JWT_PRIVATE_KEY'),
    OPERATOR_TOKEN: operatorSecret(scope, envName, 'OPERATOR_TOKEN'),
    // The producer checks it; the consumer's projector role sends it for users' personal-data keys.
    USER_KEYS_TOKEN: operatorSecret(scope, envName, 'USER_KEYS_TOKEN'),
  };
  const common = (service: 'producer' | 'consumer', port: number, databaseName: string) => ({
    environment: {
      NODE_ENV: 'production',
      PORT: String(port),
      LOG_LEVEL: 'info',
      DATABASE_NAME: databaseName,
      DATABASE_SSL: 'true',
      KAFKA_BROKERS: kafka.bootstrapBrokers,
      KAFKA_SSL: 'true',
      KAFKA_SASL_MECHANISM: 'aws-msk-iam',
      KAFKA_REPLICATION_FACTOR: '3',
      // libs/telemetry exports spans over OTLP/HTTP when this is set: to the task's trace collector.
      ...(traced ? { OTEL_EXPORTER_OTLP_ENDPOINT: TRACE_COLLECTOR.endpoint } : {}),
    },
    secrets,
    logDriver: ecs.LogDrivers.awsLogs({ streamPrefix: service, logGroup: logGroups[service] }),
  });

  const producerTask = new ecs.FargateTaskDefinition(scope, 'ProducerTask', { cpu: 512, memoryLimitMiB: 1024 });
  const producerSettings = common('producer', PRODUCER_PORT, 'herald_producer');
  const producerContainer = producerTask.addContainer('producer', {
    image: images.producer,
    environment: producerSettings.environment,
    secrets: producerSettings.secrets,
    logging: producerSettings.logDriver,
    portMappings: [{ containerPort: PRODUCER_PORT }],
    healthCheck: containerHealthCheck(PRODUCER_PORT, Duration.seconds(30)),
  });
  traceTask(producerTask, producerContainer, 'producer');
  for (const statement of kafkaStatements(kafka, 'writes')) producerTask.addToTaskRolePolicy(statement);
  const producer = new ecs.FargateService(scope, 'Producer', {
    cluster,
    taskDefinition: producerTask,
    desiredCount: sizes.producerTasks,
    vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
    cloudMapOptions: { name: 'producer', dnsTtl: Duration.seconds(10) },
    // A deployment starts the new tasks before it stops the old ones.
    minHealthyPercent: 100,
    circuitBreaker: { rollback: true },
  });

  const accessLogs = new s3.Bucket(scope, 'LoadBalancerAccessLogs', {
    encryption: s3.BucketEncryption.S3_MANAGED,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    enforceSSL: true,
    removalPolicy,
    autoDeleteObjects: false,
    lifecycleRules: [{ expiration: Duration.days(90) }],
  });
  const consumerSettings = common('consumer', CONSUMER_PORT, 'herald_consumer');
  const producerUrl = `http://producer.${namespace}:${PRODUCER_PORT}`;
  const consumer = new patterns.ApplicationLoadBalancedFargateService(scope, 'Consumer', {
    cluster,
    cpu: 512,
    memoryLimitMiB: 1024,
    desiredCount: sizes.consumerMinTasks,
    taskSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
    publicLoadBalancer: true,
    minHealthyPercent: 100,
    circuitBreaker: { rollback: true },
    healthCheckGracePeriod: Duration.seconds(60),
    taskImageOptions: {
      image: images.consumer,
      containerName: 'consumer',
      containerPort: CONSUMER_PORT,
      environment: { ...consumerSettings.environment, PRODUCER_URL: producerUrl, ...(apart ? { CONSUMER_ROLES: ROLES_APART.readApi } : {}) },
      // The read API's live feed opens sign-ups' sealed profiles too, so it keeps USER_KEYS_TOKEN apart.
      secrets: consumerSettings.secrets,
      logDriver: consumerSettings.logDriver,
    },
  });
  consumer.loadBalancer.logAccessLogs(accessLogs);
  consumer.targetGroup.configureHealthCheck({ path: '/health', healthyThresholdCount: 2, unhealthyThresholdCount: 3, interval: Duration.seconds(10), timeout: Duration.seconds(5) });
  // GraphQL subscriptions stream over long-lived HTTP connections.
  consumer.targetGroup.setAttribute('deregistration_delay.timeout_seconds', '30');
  for (const statement of kafkaStatements(kafka, apart ? 'reads' : 'projects')) consumer.taskDefinition.addToTaskRolePolicy(statement);
  traceTask(consumer.taskDefinition, consumer.taskDefinition.defaultContainer!, 'consumer');

  // A consumer group gives each partition to one member at most: more projector tasks would sit
  // idle. The read API alone is bounded by the database instead (sizes.ts).
  const scaling = consumer.service.autoScaleTaskCount({ minCapacity: sizes.consumerMinTasks, maxCapacity: apart ? sizes.readApiMaxTasks : DEFAULT_PARTITIONS });
  scaling.scaleOnCpuUtilization('Cpu', { targetUtilizationPercent: 70 });

  const projector = apart
    ? createProjector(scope, { cluster, image: images.consumer, settings: consumerSettings, producerUrl, logGroup: logGroups.consumer, kafka, minTasks: sizes.consumerMinTasks })
    : undefined;
  if (projector) traceTask(projector.task, projector.container, 'projector');

  for (const service of [producer, consumer.service, ...(projector ? [projector.service] : [])]) {
    database.cluster.connections.allowDefaultPortFrom(service, 'PostgreSQL from the Herald services');
    kafka.securityGroup.addIngressRule(service.connections.securityGroups[0]!, ec2.Port.tcp(9098), 'Kafka IAM/TLS from the Herald services');
  }
  // Ingress only: the consumer's tasks may already send anywhere.
  producer.connections.securityGroups[0]!.addIngressRule(consumer.service.connections.securityGroups[0]!, ec2.Port.tcp(PRODUCER_PORT), 'The consumer calls the producer');
  if (projector) producer.connections.securityGroups[0]!.addIngressRule(projector.service.connections.securityGroups[0]!, ec2.Port.tcp(PRODUCER_PORT), 'The projector asks the producer for user keys');

  return { cluster, producer, producerTask, consumer, projector, namespace, logGroups, collectorLogs, accessLogs };
}

type ProjectorOptions = {
  cluster: ecs.ICluster;
  image: ecs.ContainerImage;
  settings: { environment: Record<string, string>; secrets: Record<'DB_SECRET' | 'OPERATOR_TOKEN' | 'USER_KEYS_TOKEN', ecs.Secret> };
  producerUrl: string;
  logGroup: logs.ILogGroup;
  kafka: Kafka;
  minTasks: number;
};

/**
 * The consumer image with CONSUMER_ROLES=projector: private, without a load balancer, so ECS
 * watches the container's /health (it fails when a projection group keeps crashing, and ECS
 * replaces the task). Its log streams go to the consumer's log group under `projector/`, where
 * the dead-letter metric filter already looks. No JWT key: it verifies no tokens. It calls the
 * producer only for users' personal-data keys, with USER_KEYS_TOKEN.
 */
function createProjector(scope: Construct, { cluster, image, settings, producerUrl, logGroup, kafka, minTasks }: ProjectorOptions) {
  const task = new ecs.FargateTaskDefinition(scope, 'ProjectorTask', { cpu: 512, memoryLimitMiB: 1024 });
  const container = task.addContainer('projector', {
    image,
    environment: { ...settings.environment, PRODUCER_URL: producerUrl, CONSUMER_ROLES: ROLES_APART.projector },
    secrets: { DB_SECRET: settings.secrets.DB_SECRET, OPERATOR_TOKEN: settings.secrets.OPERATOR_TOKEN, USER_KEYS_TOKEN: settings.secrets.USER_KEYS_TOKEN },
    logging: ecs.LogDrivers.awsLogs({ streamPrefix: 'projector', logGroup }),
    // As long as the load balancer's grace for the consumer: migrations run at start-up.
    healthCheck: containerHealthCheck(CONSUMER_PORT, Duration.seconds(60)),
  });
  for (const statement of kafkaStatements(kafka, 'projects')) task.addToTaskRolePolicy(statement);
  const service = new ecs.FargateService(scope, 'Projector', {
    cluster,
    taskDefinition: task,
    desiredCount: minTasks,
    vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
    minHealthyPercent: 100,
    circuitBreaker: { rollback: true },
  });
  const scaling = service.autoScaleTaskCount({ minCapacity: minTasks, maxCapacity: DEFAULT_PARTITIONS });
  scaling.scaleOnCpuUtilization('Cpu', { targetUtilizationPercent: 70 });
  return { service, task, container };
}

export type Services = ReturnType<typeof createServices>;
