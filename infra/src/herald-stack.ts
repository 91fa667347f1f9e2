import { custom_resources as cr, Stack, type StackProps, Tags, type aws_ecs as ecs } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { createAlarms } from './alarms';
import { createDatabase } from './database';
import { createKafka, type KafkaMode } from './kafka';
import { acknowledgeFindings } from './nag-suppressions';
import { createNetwork } from './network';
import { createServices, type ConsumerRoles } from './services';
import { SIZES, type EnvironmentName } from './sizes';
import type { Tracing } from './tracing';

export type HeraldStackProps = StackProps & {
  envName: EnvironmentName;
  /** MSK provisioned (the default, as the Copilot environments) or MSK Serverless */
  kafkaMode?: KafkaMode;
  /** the consumer's roles in one service (the default) or the projector apart from the read API and ops */
  consumerRoles?: ConsumerRoles;
  /** spans to AWS X-Ray through a collector in every task (the default), or no tracing */
  tracing?: Tracing;
  /** the three zones of the region (MSK puts one broker in each) */
  availabilityZones: string[];
  /** the service images, made in the stack's scope (an image asset, or an ECR repository in tests) */
  images: (scope: Construct) => { producer: ecs.ContainerImage; consumer: ecs.ContainerImage };
};

/** One Herald environment: network, MSK, Aurora, the services and their alarms. */
export class HeraldStack extends Stack {
  readonly #zones: string[];

  constructor(scope: Construct, id: string, props: HeraldStackProps) {
    super(scope, id, props);
    this.#zones = props.availabilityZones;
    const sizes = SIZES[props.envName];
    Tags.of(this).add('herald:environment', props.envName);

    const vpc = createNetwork(this, { natGateways: sizes.natGateways, keepLogs: sizes.keepData });
    const kafka = createKafka(this, { vpc, mode: props.kafkaMode ?? 'provisioned', clusterName: `herald-${props.envName}`, instanceType: sizes.kafkaInstanceType, volumeGiB: sizes.kafkaVolumeGiB, keepLogs: sizes.keepData });
    const database = createDatabase(this, { vpc, minCapacity: sizes.databaseMinCapacity, maxCapacity: sizes.databaseMaxCapacity, backupDays: sizes.databaseBackupDays, keepData: sizes.keepData });
    const services = createServices(this, { vpc, envName: props.envName, sizes, kafka, database, images: props.images(this), consumerRoles: props.consumerRoles ?? 'together', tracing: props.tracing ?? 'on' });
    const projectorTask = services.projector ? [services.projector.task] : [];
    createAlarms(this, { kafka, services });
    acknowledgeFindings(this, {
      envName: props.envName,
      clusterName: kafka.clusterName,
      resources: {
        // AwsCustomResource's one provider function per stack, named after its fixed UUID.
        customResourceRole: [this.node.tryFindChild(`AWS${cr.AwsCustomResource.PROVIDER_FUNCTION_UUID.replaceAll('-', '')}`)].filter((child) => child !== undefined),
        taskDefinitions: [services.producerTask, services.consumer.taskDefinition, ...projectorTask],
        executionRoles: [services.producerTask.obtainExecutionRole(), services.consumer.taskDefinition.obtainExecutionRole(), ...projectorTask.map((task) => task.obtainExecutionRole())],
        database: [database.cluster],
        cluster: [services.cluster],
        accessLogs: [services.accessLogs],
        loadBalancer: [services.consumer.loadBalancer],
        taskPolicies: [services.producerTask.taskRole, services.consumer.taskDefinition.taskRole, ...projectorTask.map((task) => task.taskRole)],
        // Apart, the read-api/ops service joins only its per-process groups.
        readApiPolicies: services.projector ? [services.consumer.taskDefinition.taskRole] : [],
        // With tracing, every task role writes to X-Ray.
        tracedPolicies: services.collectorLogs ? [services.producerTask.taskRole, services.consumer.taskDefinition.taskRole, ...projectorTask.map((task) => task.taskRole)] : [],
      },
    });
  }

  // Zones from the props rather than a context lookup, so `cdk synth` needs no AWS account.
  override get availabilityZones(): string[] {
    return this.#zones;
  }
}
