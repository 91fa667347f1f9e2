import { App, aws_ecr as ecr, aws_ecs as ecs } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { HeraldStack } from '../src/herald-stack';
import type { KafkaMode } from '../src/kafka';
import type { ConsumerRoles } from '../src/services';
import type { EnvironmentName } from '../src/sizes';
import type { Tracing } from '../src/tracing';

/**
 * Synthesizes one environment offline: zones given, no lookups, images from ECR repositories (as
 * the app's image assets are, so the execution roles get the same ECR permissions) without
 * fingerprinting the repository.
 */
export function synthHerald(envName: EnvironmentName, { kafkaMode, consumerRoles, tracing }: { kafkaMode?: KafkaMode; consumerRoles?: ConsumerRoles; tracing?: Tracing } = {}) {
  const app = new App();
  const ecrImage = (scope: Construct, service: string) => ecs.ContainerImage.fromEcrRepository(ecr.Repository.fromRepositoryName(scope, `${service}Repository`, `herald/${service}`), 'test');
  const stack = new HeraldStack(app, `Herald-${envName}`, {
    envName,
    kafkaMode,
    consumerRoles,
    tracing,
    env: { account: '123456789012', region: 'eu-west-1' },
    availabilityZones: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'],
    images: (scope) => ({ producer: ecrImage(scope, 'producer'), consumer: ecrImage(scope, 'consumer') }),
  });
  return { app, stack, assembly: app.synth() };
}
