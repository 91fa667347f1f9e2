import { Validations, type Stack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { CONSUMER_GROUPS } from './services';
import type { EnvironmentName } from './sizes';

type Acknowledgement = { id: string; reason: string };

/**
 * cdk-nag AwsSolutions findings Herald accepts, each with its reason (the checks in
 * infra/test/herald-stack.test.ts fail on any finding not acknowledged here).
 */
export function acknowledgeFindings(stack: Stack, { envName, clusterName, resources }: { envName: EnvironmentName; clusterName: string; resources: Record<'customResourceRole' | 'executionRoles' | 'taskDefinitions' | 'database' | 'cluster' | 'accessLogs' | 'loadBalancer' | 'taskPolicies' | 'readApiPolicies' | 'tracedPolicies', IConstruct[]> }): void {
  const acknowledge = (constructs: IConstruct[], ...acknowledgements: Acknowledgement[]) => {
    for (const construct of constructs) for (const acknowledgement of acknowledgements) Validations.of(construct).acknowledge(acknowledgement);
  };

  acknowledge([stack], { id: 'CloudFormation-Validate::W3010', reason: 'The zones are named per region on purpose: MSK needs three, one broker in each, and synth must not look them up in an account.' });
  acknowledge(resources.customResourceRole, {
    id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
    reason: "CDK's AwsCustomResource provider (kafka:GetBootstrapBrokers) writes only its own logs with this policy.",
  });
  acknowledge(resources.executionRoles, { id: 'AwsSolutions-IAM5[Resource::*]', reason: 'ecr:GetAuthorizationToken, which ECS needs to pull the images, has no resource-level permissions: AWS allows only "*".' });
  acknowledge(resources.taskDefinitions, { id: 'AwsSolutions-ECS2', reason: 'Only non-secret settings are environment variables; DB_SECRET, JWT_PRIVATE_KEY, OPERATOR_TOKEN and USER_KEYS_TOKEN come from Secrets Manager and SSM.' });
  acknowledge(
    resources.database,
    { id: 'AwsSolutions-SMG4', reason: 'The services read DB_SECRET once at start-up (libs/db); a rotation would change the password under running tasks. Rotation comes with re-reading the secret.' },
    { id: 'AwsSolutions-RDS6', reason: 'The services authenticate with the password in DB_SECRET; IAM database tokens would need token refresh in libs/db.' },
  );
  acknowledge(resources.accessLogs, { id: 'AwsSolutions-S1', reason: "This is the load balancer's access log bucket; logging access to it into itself would loop." });
  acknowledge(resources.loadBalancer, { id: 'AwsSolutions-EC23', reason: 'The consumer serves the public GraphQL API; the load balancer accepts HTTP from anywhere by design.' });
  const kafkaArn = (kind: string, name: string) => `arn:<AWS::Partition>:kafka:<AWS::Region>:<AWS::AccountId>:${kind}/${clusterName}/*/${name}`;
  acknowledge(
    resources.taskPolicies,
    { id: `AwsSolutions-IAM5[Resource::${kafkaArn('topic', '*')}]`, reason: 'Both services create and use every Herald topic of their own cluster; the uuid part is unknown until MSK creates the cluster.' },
    { id: `AwsSolutions-IAM5[Resource::${kafkaArn('group', CONSUMER_GROUPS.all)}]`, reason: "The consumer's groups are herald-consumer.<name>, plus one live group per task." },
  );
  acknowledge(
    resources.readApiPolicies,
    ...CONSUMER_GROUPS.perProcess.map((group) => ({ id: `AwsSolutions-IAM5[Resource::${kafkaArn('group', group)}]`, reason: "The read API's live feed and the console's flow join one group per process, named after its host and pid." })),
  );
  acknowledge(resources.tracedPolicies, {
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason: 'The trace collector writes to X-Ray (xray:PutTraceSegments, PutTelemetryRecords, GetSamplingRules, GetSamplingTargets, and nothing else): those actions have no resource-level permissions, AWS allows only "*".',
  });
  if (envName === 'test') {
    acknowledge(resources.database, { id: 'AwsSolutions-RDS10', reason: 'test is torn down and rebuilt; prod has deletion protection.' });
    acknowledge(resources.cluster, { id: 'AwsSolutions-ECS4', reason: 'Container Insights costs per task and metric; prod has it, test does not.' });
  }
}
