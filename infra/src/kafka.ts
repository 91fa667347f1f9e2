import { Aws, aws_ec2 as ec2, aws_logs as logs, aws_msk as msk, custom_resources as cr, RemovalPolicy } from 'aws-cdk-lib';
import type { Construct } from 'constructs';

/** Provisioned brokers (sized per environment, Herald's broker settings) or MSK Serverless. */
export type KafkaMode = 'provisioned' | 'serverless';

type KafkaOptions = { vpc: ec2.IVpc; mode: KafkaMode; clusterName: string; instanceType: string; volumeGiB: number; keepLogs: boolean };

/**
 * Amazon MSK with IAM authentication over TLS on 9098 only, in the private subnets. Provisioned:
 * one broker per subnet, the broker defaults Herald relies on (as docs/config/server.properties,
 * for 3 brokers), broker logs in CloudWatch. Serverless: MSK's fixed settings (replication 3,
 * min.insync.replicas 2), billed by use; Herald creates its topics with 8 partitions either way.
 */
export function createKafka(scope: Construct, { vpc, mode, clusterName, instanceType, volumeGiB, keepLogs }: KafkaOptions) {
  const securityGroup = new ec2.SecurityGroup(scope, 'KafkaSecurityGroup', { vpc, description: `Kafka clients of ${clusterName} (IAM over TLS)`, allowAllOutbound: false });
  const subnets = vpc.selectSubnets({ subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS });
  const clusterArn = mode === 'serverless'
    ? new msk.CfnServerlessCluster(scope, 'Kafka', {
        clusterName,
        clientAuthentication: { sasl: { iam: { enabled: true } } },
        vpcConfigs: [{ subnetIds: subnets.subnetIds, securityGroups: [securityGroup.securityGroupId] }],
      }).attrArn
    : createProvisioned(scope, { clusterName, instanceType, volumeGiB, keepLogs, subnetIds: subnets.subnetIds, securityGroupId: securityGroup.securityGroupId });

  // The IAM bootstrap broker string exists only through kafka:GetBootstrapBrokers.
  const bootstrap = new cr.AwsCustomResource(scope, 'KafkaBootstrapBrokers', {
    onUpdate: {
      service: 'Kafka',
      action: 'getBootstrapBrokers',
      parameters: { ClusterArn: clusterArn },
      physicalResourceId: cr.PhysicalResourceId.of(clusterArn),
    },
    policy: cr.AwsCustomResourcePolicy.fromSdkCalls({ resources: [clusterArn] }),
    installLatestAwsSdk: false,
  });

  // Topic and group ARNs are arn:...:topic/<cluster name>/<cluster uuid>/<name>; the name is
  // Herald's, the uuid is MSK's (unknown until created, so a wildcard).
  const resourceArn = (kind: 'topic' | 'group', name: string) => `arn:${Aws.PARTITION}:kafka:${Aws.REGION}:${Aws.ACCOUNT_ID}:${kind}/${clusterName}/*/${name}`;

  return {
    clusterArn,
    clusterName,
    mode,
    securityGroup,
    bootstrapBrokers: bootstrap.getResponseField('BootstrapBrokerStringSaslIam'),
    topicArn: (name: string) => resourceArn('topic', name),
    groupArn: (name: string) => resourceArn('group', name),
  };
}

type ProvisionedOptions = { clusterName: string; instanceType: string; volumeGiB: number; keepLogs: boolean; subnetIds: string[]; securityGroupId: string };

function createProvisioned(scope: Construct, { clusterName, instanceType, volumeGiB, keepLogs, subnetIds, securityGroupId }: ProvisionedOptions): string {
  const configuration = new msk.CfnConfiguration(scope, 'KafkaConfiguration', {
    name: `${clusterName}-herald`,
    serverProperties: ['num.partitions=8', 'default.replication.factor=3', 'min.insync.replicas=2', 'auto.create.topics.enable=false'].join('\n'),
  });
  const brokerLogs = new logs.LogGroup(scope, 'KafkaBrokerLogs', { retention: logs.RetentionDays.ONE_MONTH, removalPolicy: keepLogs ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY });
  return new msk.CfnCluster(scope, 'Kafka', {
    clusterName,
    kafkaVersion: '3.9.x',
    numberOfBrokerNodes: subnetIds.length,
    brokerNodeGroupInfo: { instanceType, clientSubnets: subnetIds, securityGroups: [securityGroupId], storageInfo: { ebsStorageInfo: { volumeSize: volumeGiB } } },
    clientAuthentication: { sasl: { iam: { enabled: true } }, unauthenticated: { enabled: false } },
    encryptionInfo: { encryptionInTransit: { clientBroker: 'TLS', inCluster: true } },
    // The latest revision, so an edit of serverProperties reaches the brokers on the next deploy.
    configurationInfo: { arn: configuration.attrArn, revision: configuration.attrLatestRevisionRevision },
    loggingInfo: { brokerLogs: { cloudWatchLogs: { enabled: true, logGroup: brokerLogs.logGroupName } } },
  }).attrArn;
}

export type Kafka = ReturnType<typeof createKafka>;
