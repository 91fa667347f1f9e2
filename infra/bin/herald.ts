/**
 * Entry point of the CDK app, run by the CDK CLI (infra/cdk.json): `npm run synth -w infra --
 * -c env=prod` writes cdk.out/ (templates and image assets), `npm run cdk -w infra -- deploy
 * -c env=prod` deploys it (docs/deploy-aws.md). The environment is `test` (the default) or
 * `prod`; `-c kafka=serverless` puts MSK Serverless in place of the provisioned brokers;
 * `-c consumerRoles=apart` runs the consumer's projector as a service of its own, apart from the
 * read API and ops (docs/deploy-aws.md); `-c tracing=off` leaves out the trace collectors that
 * send the services' spans to AWS X-Ray (docs/deploy-aws.md, "Traces"). The account and region
 * are the deploying shell's.
 */
import { App, aws_ecs as ecs, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { join, resolve } from 'node:path';
import { HeraldStack } from '../src/herald-stack';
import { isConsumerRoles } from '../src/services';
import { isEnvironmentName } from '../src/sizes';
import { isTracing } from '../src/tracing';

const root = join(__dirname, '..', '..');
// The CDK CLI runs this from infra/ and names the assembly folder relative to it, but
// scripts/bootstrap.mjs (Node 24) runs scripts from the repository root: resolve it from infra/.
const app = new App({ outdir: resolve(__dirname, '..', process.env.CDK_OUTDIR ?? 'cdk.out') });
const envName = String(app.node.tryGetContext('env') ?? 'test');
if (!isEnvironmentName(envName)) throw new Error(`unknown environment "${envName}": use test or prod`);
const kafkaMode = String(app.node.tryGetContext('kafka') ?? 'provisioned');
if (kafkaMode !== 'provisioned' && kafkaMode !== 'serverless') throw new Error(`unknown kafka "${kafkaMode}": use provisioned or serverless`);
const consumerRoles = String(app.node.tryGetContext('consumerRoles') ?? 'together');
if (!isConsumerRoles(consumerRoles)) throw new Error(`unknown consumerRoles "${consumerRoles}": use together or apart`);
const tracing = String(app.node.tryGetContext('tracing') ?? 'on');
if (!isTracing(tracing)) throw new Error(`unknown tracing "${tracing}": use on or off`);
const region = process.env.CDK_DEFAULT_REGION ?? process.env.AWS_REGION;
if (!region) throw new Error('set AWS_REGION (the region to deploy to)');

// The build context is the repository root (npm workspaces), as for docker compose and Copilot;
// .dockerignore keeps it to what the images need.
const image = (service: 'producer' | 'consumer') => ecs.ContainerImage.fromAsset(root, { file: `${service}/Dockerfile` });

new HeraldStack(app, `Herald-${envName}`, {
  envName,
  kafkaMode,
  consumerRoles,
  tracing,
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region },
  // The same zones as the Copilot environment manifests: ${AWS_REGION}a/b/c.
  availabilityZones: ['a', 'b', 'c'].map((zone) => `${region}${zone}`),
  images: () => ({ producer: image('producer'), consumer: image('consumer') }),
});
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
app.synth();
