import { DEFAULT_PARTITIONS, TOPICS } from '@herald/events';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { join } from 'node:path';
import { loadConfig } from '../../consumer/src/config';
import { readYaml, runTool, toolTest } from '../../scripts/deploy-checks/deploy-files';
import { lambdaRuntimes, runtimeProblem } from '../../scripts/deploy-checks/lambda-runtimes';
import { SIZES, type EnvironmentName } from '../src/sizes';
import { ALERT_THRESHOLDS } from '../src/alarms';
import { CONSUMER_GROUPS } from '../src/services';
import { synthHerald } from './synth';
import { actionsOf, environmentOf, executionPolicyStatements, serviceRunning, taskPolicyStatements } from './templates';

const environments: EnvironmentName[] = ['test', 'prod'];
const synthesized = new Map(environments.map((envName) => [envName, synthHerald(envName)]));
const serverless = synthHerald('test', { kafkaMode: 'serverless' });
const apart = new Map(environments.map((envName) => [envName, synthHerald(envName, { consumerRoles: 'apart' })]));
const templateOf = (envName: EnvironmentName) => Template.fromStack(synthesized.get(envName)!.stack);
const apartTemplateOf = (envName: EnvironmentName) => Template.fromStack(apart.get(envName)!.stack);
const each = test.each(environments);

/** The SSM parameter the CDK app reads a secret from (docs/deploy-aws.md: /herald/<env>/<name>). */
const parameterArn = (envName: EnvironmentName, name: string) => `:ssm:eu-west-1:123456789012:parameter/herald/${envName}/${name}`;

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
      ContainerDefinitions: Match.arrayWith([Match.objectLike({ Name: 'consumer', Secrets: Match.arrayWith([Match.objectLike({ Name: 'DB_SECRET' }), Match.objectLike({ Name: 'JWT_PRIVATE_KEY' }), Match.objectLike({ Name: 'OPERATOR_TOKEN' })]) })]),
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

  each("in %s, the producer and the consumer with all its roles get USER_KEYS_TOKEN from SSM as they get OPERATOR_TOKEN, and may read it", (envName) => {
    const template = templateOf(envName);
    for (const [name, service] of [['producer', 'Producer'], ['consumer', 'Consumer']] as const) {
      const { container } = serviceRunning(template, name);
      const valueFrom = (secret: string) => JSON.stringify(container.Secrets!.find((entry) => entry.Name === secret)?.ValueFrom);
      expect(valueFrom('USER_KEYS_TOKEN')).toContain(`${parameterArn(envName, 'USER_KEYS_TOKEN')}"`);
      expect(valueFrom('USER_KEYS_TOKEN')).toBe(valueFrom('OPERATOR_TOKEN').replace('OPERATOR_TOKEN', 'USER_KEYS_TOKEN'));
      expect(JSON.stringify(executionPolicyStatements(template, service))).toContain(parameterArn(envName, 'USER_KEYS_TOKEN'));
    }
  });

  each('in %s, the producer is private under its discovery name and the consumer calls it there', (envName) => {
    const template = templateOf(envName);
    template.hasResourceProperties('AWS::ServiceDiscovery::PrivateDnsNamespace', { Name: `${envName}.herald.local` });
    template.hasResourceProperties('AWS::ServiceDiscovery::Service', { Name: 'producer' });
    template.hasResourceProperties('AWS::ECS::TaskDefinition', {
      ContainerDefinitions: Match.arrayWith([Match.objectLike({ Name: 'consumer', Environment: Match.arrayWith([{ Name: 'PRODUCER_URL', Value: `http://producer.${envName}.herald.local:9001` }]) })]),
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

  each("in %s, the task roles may use Kafka as the services do, with no wildcard beyond their own topics and groups (X-Ray's is in tracing.test.ts)", (envName) => {
    const template = templateOf(envName);
    const actions = (service: 'Producer' | 'Consumer') => taskPolicyStatements(template, service).flatMap((statement) => statement.Action);
    expect(actions('Consumer')).toEqual(expect.arrayContaining(['kafka-cluster:WriteDataIdempotently', 'kafka-cluster:ReadData', 'kafka-cluster:AlterGroup']));
    expect(actions('Producer')).toEqual(expect.arrayContaining(['kafka-cluster:WriteDataIdempotently', 'kafka-cluster:WriteData']));
    expect(actions('Producer')).not.toContain('kafka-cluster:ReadData');
    const wildcards = (['Producer', 'Consumer'] as const)
      .flatMap((service) => taskPolicyStatements(template, service))
      .filter((statement) => !actionsOf(statement).every((action) => action.startsWith('xray:')))
      .map((statement) => JSON.stringify(statement.Resource))
      .filter((resource) => resource.includes('*'));
    for (const resource of wildcards) expect(resource).toMatch(new RegExp(`:(topic/herald-${envName}/\\*/\\*|group/herald-${envName}/\\*/herald-consumer\\*)"`));
  });

  each('in %s, alarms watch consumer lag, dead letters and 5xx with the thresholds of the Prometheus rules', (envName) => {
    const template = templateOf(envName);
    const { lag, deadLetters, serverErrors } = ALERT_THRESHOLDS;
    for (const topic of [TOPICS.newUserCreated, TOPICS.userUpdated, TOPICS.userDeleted, TOPICS.issuedToken, TOPICS.postCreated, TOPICS.postDeleted, TOPICS.userFollowed, TOPICS.userUnfollowed, TOPICS.sessionEnded]) {
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
      ContainerDefinitions: Match.arrayWith([Match.objectLike({ Name: 'consumer', Environment: Match.arrayWith([Match.objectLike({ Name: 'KAFKA_SASL_MECHANISM', Value: 'aws-msk-iam' })]) })]),
    });
    expect(new AwsSolutionsChecks().validateScope(serverless.stack).violations.map((violation) => violation.ruleName)).toEqual([]);
    for (const { logicalId, runtime } of lambdaRuntimes(template.toJSON())) expect([logicalId, runtimeProblem(runtime)]).toEqual([logicalId, undefined]);
  });

  toolTest('cfn-lint finds nothing in the synthesized templates', 'cfn-lint', (cfnLint) => {
    const files = [...synthesized.values(), serverless, ...apart.values()].map(({ assembly, stack }) => join(assembly.directory, assembly.getStackByName(stack.stackName).templateFile));
    // W3010: the zones are named per region on purpose (MSK needs three, and synth must not look
    // them up). W3005: CDK itself writes a DependsOn next to the Ref it already implies.
    const result = runTool(cfnLint, ['--format', 'parseable', '--ignore-checks', 'W3010', 'W3005', '--', ...files]);
    expect(result.output).toBe('');
    expect(result.status).toBe(0);
  });
});

/** herald-consumer.live.* -> /^herald-consumer\.live\..*$/, as IAM matches a resource name. */
const globToRegExp = (glob: string) => new RegExp(`^${glob.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);

describe("the CDK app with the consumer's roles apart (-c consumerRoles=apart)", () => {
  test('together, the default, is the same template as without the flag', () => {
    expect(Template.fromStack(synthHerald('test', { consumerRoles: 'together' }).stack).toJSON()).toEqual(templateOf('test').toJSON());
  });

  each('%s synthesizes, and cdk-nag AwsSolutions finds nothing unacknowledged', (envName) => {
    const report = new AwsSolutionsChecks().validateScope(apart.get(envName)!.stack);
    expect(report.violations.map((violation) => `${violation.ruleName} at ${violation.violatingResources.map((resource) => resource.constructPath).join(', ')}`)).toEqual([]);
  });

  each('in %s, the read API and ops stay behind the load balancer at /health, and the projector runs the same image without one', (envName) => {
    const template = apartTemplateOf(envName);
    template.resourceCountIs('AWS::ECS::Service', 3);
    template.resourceCountIs('AWS::ElasticLoadBalancingV2::TargetGroup', 1);
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', { HealthCheckPath: '/health', Port: 80, TargetType: 'ip' });
    const readApi = serviceRunning(template, 'consumer');
    const projector = serviceRunning(template, 'projector');
    expect(environmentOf(readApi.container).CONSUMER_ROLES).toBe('read-api,ops');
    expect(environmentOf(projector.container).CONSUMER_ROLES).toBe('projector');
    expect(readApi.service.Properties.LoadBalancers).toHaveLength(1);
    expect(projector.service.Properties.LoadBalancers).toBeUndefined();
    expect(projector.service.Properties.ServiceRegistries).toBeUndefined();
    expect(Object.values(template.findResources('AWS::ECS::Service')).filter((service) => service.Properties.LoadBalancers)).toHaveLength(1);
    // ECS itself watches the projector's liveness, from inside the task.
    expect(projector.container.HealthCheck!.Command.join(' ')).toContain('http://127.0.0.1:9000/health');
    expect(projector.service.Properties.DeploymentConfiguration).toMatchObject({ MinimumHealthyPercent: 100, DeploymentCircuitBreaker: { Enable: true, Rollback: true } });
    // The same settings as the consumer's, the producer's address too (users' keys), but for its role; no JWT key.
    const { CONSUMER_ROLES: _readApiRoles, ...readApiSettings } = environmentOf(readApi.container);
    const { CONSUMER_ROLES: _projectorRoles, ...projectorSettings } = environmentOf(projector.container);
    expect(projectorSettings).toEqual(readApiSettings);
    expect(projector.container.Secrets!.map((secret) => secret.Name).sort()).toEqual(['DB_SECRET', 'OPERATOR_TOKEN', 'USER_KEYS_TOKEN']);
    expect(projector.container.LogConfiguration.Options).toMatchObject({ 'awslogs-group': readApi.container.LogConfiguration.Options['awslogs-group'], 'awslogs-stream-prefix': 'projector' });
  });

  each("in %s, apart, the projector and the read API (its live feed opens sign-ups) get USER_KEYS_TOKEN and may read it", (envName) => {
    const template = apartTemplateOf(envName);
    const readApi = serviceRunning(template, 'consumer');
    expect(readApi.container.Secrets!.map((secret) => secret.Name).sort()).toEqual(['DB_SECRET', 'JWT_PRIVATE_KEY', 'OPERATOR_TOKEN', 'USER_KEYS_TOKEN']);
    expect(JSON.stringify(executionPolicyStatements(template, 'Consumer'))).toContain(parameterArn(envName, 'USER_KEYS_TOKEN'));
    expect(JSON.stringify(executionPolicyStatements(template, 'Projector'))).toContain(parameterArn(envName, 'USER_KEYS_TOKEN'));
    expect(JSON.stringify(serviceRunning(template, 'projector').container.Secrets)).toContain(parameterArn(envName, 'USER_KEYS_TOKEN'));
  });

  each('in %s, the projector scales on CPU up to the partition count, the read API beyond it', (envName) => {
    const template = apartTemplateOf(envName);
    const targets = Object.values(template.findResources('AWS::ApplicationAutoScaling::ScalableTarget'));
    const targetOf = (serviceId: string) => targets.find((target) => JSON.stringify(target.Properties.ResourceId).includes(serviceId))!.Properties;
    const { consumerMinTasks, readApiMaxTasks } = SIZES[envName];
    expect(targetOf(serviceRunning(template, 'projector').serviceId)).toMatchObject({ MinCapacity: consumerMinTasks, MaxCapacity: DEFAULT_PARTITIONS });
    expect(targetOf(serviceRunning(template, 'consumer').serviceId)).toMatchObject({ MinCapacity: consumerMinTasks, MaxCapacity: readApiMaxTasks });
    if (envName === 'prod') expect(readApiMaxTasks).toBeGreaterThan(DEFAULT_PARTITIONS);
    template.resourcePropertiesCountIs('AWS::ApplicationAutoScaling::ScalingPolicy', { TargetTrackingScalingPolicyConfiguration: Match.objectLike({ TargetValue: 70, PredefinedMetricSpecification: { PredefinedMetricType: 'ECSServiceAverageCPUUtilization' } }) }, 2);
  });

  each('in %s, the projector may consume as the consumer does, and reach the database and the brokers', (envName) => {
    const template = apartTemplateOf(envName);
    const statements = taskPolicyStatements(template, 'Projector');
    expect(statements.flatMap(actionsOf)).toEqual(expect.arrayContaining(['kafka-cluster:Connect', 'kafka-cluster:WriteDataIdempotently', 'kafka-cluster:ReadData', 'kafka-cluster:WriteData', 'kafka-cluster:DescribeGroup', 'kafka-cluster:AlterGroup']));
    const joins = statements.filter((statement) => actionsOf(statement).includes('kafka-cluster:AlterGroup'));
    expect(JSON.stringify(joins.map((statement) => statement.Resource))).toContain(`:group/herald-${envName}/*/herald-consumer*"`);
    const projectorGroup = { 'Fn::GetAtt': [Match.stringLikeRegexp('^ProjectorSecurityGroup'), 'GroupId'] };
    template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', { GroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^DatabaseSecurityGroup'), 'GroupId'] }, SourceSecurityGroupId: projectorGroup });
    template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', { GroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^KafkaSecurityGroup'), 'GroupId'] }, SourceSecurityGroupId: projectorGroup, FromPort: 9098 });
    // It calls the producer, for users' personal-data keys, at its discovery name.
    expect(environmentOf(serviceRunning(template, 'projector').container).PRODUCER_URL).toBe(`http://producer.${envName}.herald.local:9001`);
    template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', { GroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ProducerSecurityGroup'), 'GroupId'] }, SourceSecurityGroupId: projectorGroup, FromPort: 9001, ToPort: 9001 });
  });

  each("in %s, the read API joins only its per-process groups, which are the names consumer/src/config.ts gives them", (envName) => {
    const template = apartTemplateOf(envName);
    const statements = taskPolicyStatements(template, 'Consumer');
    expect(statements.flatMap(actionsOf)).toEqual(expect.arrayContaining(['kafka-cluster:ReadData', 'kafka-cluster:DescribeGroup', 'kafka-cluster:AlterGroup']));
    const joined = statements.filter((statement) => actionsOf(statement).includes('kafka-cluster:AlterGroup')).map((statement) => JSON.stringify(statement.Resource)).join(' ');
    for (const group of CONSUMER_GROUPS.perProcess) expect(joined).toContain(`:group/herald-${envName}/*/${group}"`);
    expect(joined).not.toContain('herald-consumer*"');
    const config = loadConfig({ DATABASE_URL: 'postgres://u:p@localhost:5432/herald_consumer' });
    const perProcess = CONSUMER_GROUPS.perProcess.map(globToRegExp);
    for (const group of [config.readApi.liveGroupId, config.ops.flowGroupId]) expect([group, perProcess.some((pattern) => pattern.test(group))]).toEqual([group, true]);
    const all = [...Object.values(config.projector.groups).map(({ groupId }) => groupId), config.projector.retryGroupId, config.readApi.liveGroupId, config.ops.flowGroupId];
    for (const groupId of all) expect(groupId).toMatch(globToRegExp(CONSUMER_GROUPS.all));
  });

  each('in %s, the alarms are those of the roles together: lag, dead letters from the log group the projector writes, 5xx of the read API', (envName) => {
    const watchers = (template: Template) => ({ alarms: template.findResources('AWS::CloudWatch::Alarm'), filters: template.findResources('AWS::Logs::MetricFilter') });
    const template = apartTemplateOf(envName);
    expect(watchers(template)).toEqual(watchers(templateOf(envName)));
    const [filter] = Object.values(template.findResources('AWS::Logs::MetricFilter'));
    expect(filter!.Properties.LogGroupName).toEqual(serviceRunning(template, 'projector').container.LogConfiguration.Options['awslogs-group']);
  });
});
