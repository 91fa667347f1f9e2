import { DEFAULT_PARTITIONS, TOPICS } from '@herald/events';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { join } from 'node:path';
import { readYaml, runTool, toolTest } from '../../scripts/deploy-checks/deploy-files';
import { lambdaRuntimes, runtimeProblem } from '../../scripts/deploy-checks/lambda-runtimes';
import type { EnvironmentName } from '../src/sizes';
import { ALERT_THRESHOLDS } from '../src/alarms';
import { synthHerald } from './synth';

const environments: EnvironmentName[] = ['test', 'prod'];
const synthesized = new Map(environments.map((envName) => [envName, synthHerald(envName)]));
const serverless = synthHerald('test', { kafkaMode: 'serverless' });
const templateOf = (envName: EnvironmentName) => Template.fromStack(synthesized.get(envName)!.stack);
const each = test.each(environments);

type Statement = { Action: string | string[]; Resource: unknown };
function taskPolicyStatements(template: Template, service: 'Producer' | 'Consumer'): Statement[] {
  const policies = template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: Match.stringLikeRegexp(`^${service}.*TaskRole`) }] } });
  return Object.values(policies).flatMap((policy) => policy.Properties.PolicyDocument.Statement as Statement[]);
}

describe('the CDK app', () => {
  each('%s synthesizes offline, and cdk-nag AwsSolutions finds nothing unacknowledged', (envName) => {
    const { stack } = synthesized.get(envName)!;
    const report = new AwsSolutionsChecks().validateScope(stack);
    expect(report.violations.map((violation) => `${violation.ruleName} at ${violation.violatingResources.map((resource) => resource.constructPath).join(', ')}`)).toEqual([]);
  });

  each('in %s, MSK has one broker per private subnet, IAM auth over TLS only, and follows its configuration', (envName) => {
    const template = templateOf(envName);
    template.resourceCountIs('AWS::EC2::Subnet', 6);
    template.hasResourceProperties('AWS::MSK::Cluster', {
      ClusterName: `herald-${envName}`,
      NumberOfBrokerNodes: 3,
      ClientAuthentication: { Sasl: { Iam: { Enabled: true } }, Unauthenticated: { Enabled: false } },
      EncryptionInfo: { EncryptionInTransit: { ClientBroker: 'TLS', InCluster: true } },
      ConfigurationInfo: { Revision: { 'Fn::GetAtt': [Match.stringLikeRegexp('^KafkaConfiguration'), 'LatestRevision.Revision'] } },
    });
  });

  each('in %s, Aurora PostgreSQL Serverless v2 is encrypted and its generated secret is what the services read', (envName) => {
    const template = templateOf(envName);
    template.hasResourceProperties('AWS::RDS::DBCluster', {
      Engine: 'aurora-postgresql',
      StorageEncrypted: true,
      DeletionProtection: envName === 'prod',
      ServerlessV2ScalingConfiguration: { MinCapacity: 0.5, MaxCapacity: envName === 'prod' ? 16 : 4 },
    });
    template.hasResourceProperties('AWS::ECS::TaskDefinition', {
      ContainerDefinitions: [Match.objectLike({ Name: 'consumer', Secrets: Match.arrayWith([Match.objectLike({ Name: 'DB_SECRET' }), Match.objectLike({ Name: 'JWT_PRIVATE_KEY' }), Match.objectLike({ Name: 'OPERATOR_TOKEN' })]) })],
    });
  });

  test.each(['producer', 'consumer'])('the %s gets the same settings and secrets as from Copilot, by name', (service) => {
    const manifest = readYaml<{ variables: Record<string, unknown>; secrets: Record<string, unknown> }>(`copilot/${service}/manifest.yml`);
    const containers = Object.values(templateOf('test').findResources('AWS::ECS::TaskDefinition')).flatMap((definition) => definition.Properties.ContainerDefinitions);
    const container = containers.find((definition: { Name: string }) => definition.Name === service);
    const names = (list: { Name: string }[] = []) => list.map((entry) => entry.Name).sort();
    // Copilot's consumer derives the producer's address from COPILOT_SERVICE_DISCOVERY_ENDPOINT;
    // the CDK app names it in PRODUCER_URL (consumer/src/config.ts reads either).
    const extra = service === 'consumer' ? ['PRODUCER_URL'] : [];
    expect(names(container.Environment)).toEqual([...Object.keys(manifest.variables), ...extra].sort());
    expect(names(container.Secrets)).toEqual(Object.keys(manifest.secrets).sort());
  });

  each('in %s, the producer is private under its discovery name and the consumer calls it there', (envName) => {
    const template = templateOf(envName);
    template.hasResourceProperties('AWS::ServiceDiscovery::PrivateDnsNamespace', { Name: `${envName}.herald.local` });
    template.hasResourceProperties('AWS::ServiceDiscovery::Service', { Name: 'producer' });
    template.hasResourceProperties('AWS::ECS::TaskDefinition', {
      ContainerDefinitions: [Match.objectLike({ Name: 'consumer', Environment: Match.arrayWith([{ Name: 'PRODUCER_URL', Value: `http://producer.${envName}.herald.local:9001` }]) })],
    });
    const producerService = Object.values(template.findResources('AWS::ECS::Service', { Properties: { ServiceRegistries: Match.anyValue() } }));
    expect(producerService).toHaveLength(1);
    expect(producerService[0]!.Properties.LoadBalancers).toBeUndefined();
  });

  each('in %s, the consumer is behind a public load balancer checked at /health and scales up to the partition count', (envName) => {
    const template = templateOf(envName);
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', { Scheme: 'internet-facing' });
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', { HealthCheckPath: '/health', Port: 80, TargetType: 'ip' });
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', { MaxCapacity: DEFAULT_PARTITIONS, MinCapacity: envName === 'prod' ? 2 : 1 });
  });

  each('in %s, the task roles may use Kafka as the services do, with no wildcard beyond their own topics and groups', (envName) => {
    const template = templateOf(envName);
    const actions = (service: 'Producer' | 'Consumer') => taskPolicyStatements(template, service).flatMap((statement) => statement.Action);
    expect(actions('Consumer')).toEqual(expect.arrayContaining(['kafka-cluster:WriteDataIdempotently', 'kafka-cluster:ReadData', 'kafka-cluster:AlterGroup']));
    expect(actions('Producer')).toEqual(expect.arrayContaining(['kafka-cluster:WriteDataIdempotently', 'kafka-cluster:WriteData']));
    expect(actions('Producer')).not.toContain('kafka-cluster:ReadData');
    const wildcards = (['Producer', 'Consumer'] as const)
      .flatMap((service) => taskPolicyStatements(template, service))
      .map((statement) => JSON.stringify(statement.Resource))
      .filter((resource) => resource.includes('*'));
    for (const resource of wildcards) expect(resource).toMatch(new RegExp(`:(topic/herald-${envName}/\\*/\\*|group/herald-${envName}/\\*/herald-consumer\\*)"`));
  });

  each('in %s, alarms watch consumer lag, dead letters and 5xx with the thresholds of the Prometheus rules', (envName) => {
    const template = templateOf(envName);
    const { lag, deadLetters, serverErrors } = ALERT_THRESHOLDS;
    for (const topic of [TOPICS.newUserCreated, TOPICS.issuedToken, TOPICS.postCreated, TOPICS.userFollowed, TOPICS.userUnfollowed]) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/Kafka',
        MetricName: 'SumOffsetLag',
        Dimensions: Match.arrayWith([{ Name: 'Topic', Value: topic }]),
        Period: 60,
        EvaluationPeriods: lag.forMinutes,
        Threshold: lag.messages,
      });
    }
    template.hasResourceProperties('AWS::Logs::MetricFilter', { FilterPattern: '{ $.msg = "message dead-lettered" }', MetricTransformations: [Match.objectLike({ MetricName: 'DeadLetters' })] });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'DeadLetters', Period: deadLetters.windowMinutes * 60, Threshold: 0 });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Metrics: Match.arrayWith([Match.objectLike({ Expression: 'IF(requests > 0, (target + elb) / requests, 0)' })]),
      EvaluationPeriods: serverErrors.forMinutes,
      Threshold: serverErrors.ratio,
    });
  });

  test('the alarm thresholds are those of docs/config/prometheus-rules.yml', () => {
    const rules = (readYaml('docs/config/prometheus-rules.yml') as { groups: Array<{ rules: Array<{ alert: string; expr: string; for?: string }> }> }).groups.flatMap((group) => group.rules);
    const rule = (alert: string) => rules.find((candidate) => candidate.alert === alert)!;
    const { lag, deadLetters, serverErrors } = ALERT_THRESHOLDS;
    expect(rule('HeraldConsumerLagHigh').expr).toMatch(new RegExp(`> ${lag.messages}$`));
    expect(rule('HeraldConsumerLagHigh').for).toBe(`${lag.forMinutes}m`);
    expect(rule('HeraldDeadLettered').expr).toMatch(new RegExp(`\\[${deadLetters.windowMinutes}m\\]\\)\\) > 0$`));
    expect(rule('HeraldHttp5xx').expr.trim()).toMatch(new RegExp(`> ${serverErrors.ratio}$`));
    expect(rule('HeraldHttp5xx').for).toBe(`${serverErrors.forMinutes}m`);
  });

  each('every Lambda function CDK writes for %s uses a supported runtime', (envName) => {
    const functions = lambdaRuntimes(templateOf(envName).toJSON());
    expect(functions.length).toBeGreaterThan(0);
    for (const { logicalId, runtime } of functions) expect([logicalId, runtimeProblem(runtime)]).toEqual([logicalId, undefined]);
  });

  test('with MSK Serverless, the cluster takes IAM auth in the private subnets, the rest stays, and cdk-nag finds nothing', () => {
    const template = Template.fromStack(serverless.stack);
    template.resourceCountIs('AWS::MSK::Cluster', 0);
    template.resourceCountIs('AWS::MSK::Configuration', 0);
    template.hasResourceProperties('AWS::MSK::ServerlessCluster', {
      ClusterName: 'herald-test',
      ClientAuthentication: { Sasl: { Iam: { Enabled: true } } },
      VpcConfigs: [{ SubnetIds: Match.arrayWith([{ Ref: Match.stringLikeRegexp('^VpcprivateSubnet1') }]), SecurityGroups: Match.anyValue() }],
    });
    template.hasResourceProperties('AWS::ECS::TaskDefinition', {
      ContainerDefinitions: [Match.objectLike({ Name: 'consumer', Environment: Match.arrayWith([Match.objectLike({ Name: 'KAFKA_SASL_MECHANISM', Value: 'aws-msk-iam' })]) })],
    });
    expect(new AwsSolutionsChecks().validateScope(serverless.stack).violations.map((violation) => violation.ruleName)).toEqual([]);
    for (const { logicalId, runtime } of lambdaRuntimes(template.toJSON())) expect([logicalId, runtimeProblem(runtime)]).toEqual([logicalId, undefined]);
  });

  toolTest('cfn-lint finds nothing in the synthesized templates', 'cfn-lint', (cfnLint) => {
    const files = [...synthesized.values(), serverless].map(({ assembly, stack }) => join(assembly.directory, assembly.getStackByName(stack.stackName).templateFile));
    // W3010: the zones are named per region on purpose (MSK needs three, and synth must not look
    // them up). W3005: CDK itself writes a DependsOn next to the Ref it already implies.
    const result = runTool(cfnLint, ['--format', 'parseable', '--ignore-checks', 'W3010', 'W3005', '--', ...files]);
    expect(result.output).toBe('');
    expect(result.status).toBe(0);
  });
});
