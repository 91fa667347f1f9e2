import { DEFAULT_PARTITIONS } from '@herald/events';
import { aws_ec2 as ec2, aws_ecs as ecs, aws_ecs_patterns as patterns, aws_iam as iam, aws_logs as logs, aws_s3 as s3, aws_ssm as ssm, Duration, RemovalPolicy } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { Database } from './database';
import type { Kafka } from './kafka';
import type { EnvironmentName, EnvironmentSizes } from './sizes';

type ServicesOptions = {
  vpc: ec2.IVpc;
  envName: EnvironmentName;
  sizes: EnvironmentSizes;
  kafka: Kafka;
  database: Database;
  images: { producer: ecs.ContainerImage; consumer: ecs.ContainerImage };
};

const PRODUCER_PORT = 9001;
const CONSUMER_PORT = 9000;

/** SecureString parameters the operator puts before the first deploy (docs/deploy-aws.md). */
function operatorSecret(scope: Construct, envName: string, name: 'JWT_PRIVATE_KEY' | 'OPERATOR_TOKEN') {
  const parameter = ssm.StringParameter.fromSecureStringParameterAttributes(scope, `${name}Parameter`, { parameterName: `/herald/${envName}/${name}` });
  return ecs.Secret.fromSsmParameter(parameter);
}

function kafkaStatements(kafka: Kafka, { consumes }: { consumes: boolean }): iam.PolicyStatement[] {
  const statements = [
    // Both services' producers are idempotent (libs/kafka createProducer); MSK authorises that on the cluster.
    new iam.PolicyStatement({ actions: ['kafka-cluster:Connect', 'kafka-cluster:DescribeCluster', 'kafka-cluster:WriteDataIdempotently'], resources: [kafka.clusterArn] }),
    new iam.PolicyStatement({
      actions: ['kafka-cluster:DescribeTopic', 'kafka-cluster:CreateTopic', 'kafka-cluster:WriteData', ...(consumes ? ['kafka-cluster:ReadData'] : [])],
      resources: [kafka.topicArn('*')],
    }),
  ];
  if (consumes) statements.push(new iam.PolicyStatement({ actions: ['kafka-cluster:DescribeGroup', 'kafka-cluster:AlterGroup'], resources: [kafka.groupArn('herald-consumer*')] }));
  return statements;
}

/**
 * The ECS cluster and both services. The producer is private and registered in Cloud Map as
 * `producer.<namespace>`, so the consumer reaches it at PRODUCER_URL; the consumer sits behind a
 * public ALB and scales on CPU up to one task per partition.
 */
export function createServices(scope: Construct, { vpc, envName, sizes, kafka, database, images }: ServicesOptions) {
  const namespace = `${envName}.herald.local`;
  const cluster = new ecs.Cluster(scope, 'Cluster', { vpc, containerInsightsV2: sizes.containerInsights ? ecs.ContainerInsights.ENABLED : ecs.ContainerInsights.DISABLED });
  cluster.addDefaultCloudMapNamespace({ name: namespace, vpc });
  const removalPolicy = sizes.keepData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
  const logGroups = {
    producer: new logs.LogGroup(scope, 'ProducerLogs', { retention: logs.RetentionDays.ONE_MONTH, removalPolicy }),
    consumer: new logs.LogGroup(scope, 'ConsumerLogs', { retention: logs.RetentionDays.ONE_MONTH, removalPolicy }),
  };

  const secrets = {
    DB_SECRET: ecs.Secret.fromSecretsManager(database.secret),
    JWT_PRIVATE_KEY: operatorSecret(scope, envName, 'JWT_PRIVATE_KEY'),
    OPERATOR_TOKEN: operatorSecret(scope, envName, 'OPERATOR_TOKEN'),
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
    },
    secrets,
    logDriver: ecs.LogDrivers.awsLogs({ streamPrefix: service, logGroup: logGroups[service] }),
  });

  const producerTask = new ecs.FargateTaskDefinition(scope, 'ProducerTask', { cpu: 512, memoryLimitMiB: 1024 });
  const producerSettings = common('producer', PRODUCER_PORT, 'herald_producer');
  producerTask.addContainer('producer', {
    image: images.producer,
    environment: producerSettings.environment,
    secrets: producerSettings.secrets,
    logging: producerSettings.logDriver,
    portMappings: [{ containerPort: PRODUCER_PORT }],
    healthCheck: {
      command: ['CMD', 'node', '-e', `fetch('http://127.0.0.1:${PRODUCER_PORT}/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))`],
      interval: Duration.seconds(10),
      retries: 3,
      timeout: Duration.seconds(5),
      startPeriod: Duration.seconds(30),
    },
  });
  for (const statement of kafkaStatements(kafka, { consumes: false })) producerTask.addToTaskRolePolicy(statement);
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
      environment: { ...consumerSettings.environment, PRODUCER_URL: `http://producer.${namespace}:${PRODUCER_PORT}` },
      secrets: consumerSettings.secrets,
      logDriver: consumerSettings.logDriver,
    },
  });
  consumer.loadBalancer.logAccessLogs(accessLogs);
  consumer.targetGroup.configureHealthCheck({ path: '/health', healthyThresholdCount: 2, unhealthyThresholdCount: 3, interval: Duration.seconds(10), timeout: Duration.seconds(5) });
  // GraphQL subscriptions stream over long-lived HTTP connections.
  consumer.targetGroup.setAttribute('deregistration_delay.timeout_seconds', '30');
  for (const statement of kafkaStatements(kafka, { consumes: true })) consumer.taskDefinition.addToTaskRolePolicy(statement);

  // A consumer group gives each partition to one member at most: more tasks would sit idle.
  const scaling = consumer.service.autoScaleTaskCount({ minCapacity: sizes.consumerMinTasks, maxCapacity: DEFAULT_PARTITIONS });
  scaling.scaleOnCpuUtilization('Cpu', { targetUtilizationPercent: 70 });

  for (const service of [producer, consumer.service]) {
    database.cluster.connections.allowDefaultPortFrom(service, 'PostgreSQL from the Herald services');
    kafka.securityGroup.addIngressRule(service.connections.securityGroups[0]!, ec2.Port.tcp(9098), 'Kafka IAM/TLS from the Herald services');
  }
  // Ingress only: the consumer's tasks may already send anywhere.
  producer.connections.securityGroups[0]!.addIngressRule(consumer.service.connections.securityGroups[0]!, ec2.Port.tcp(PRODUCER_PORT), 'The consumer calls the producer');

  return { cluster, producer, producerTask, consumer, namespace, logGroups, accessLogs };
}

export type Services = ReturnType<typeof createServices>;
