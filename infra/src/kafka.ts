import { Aws, aws_ec2 as ec2, aws_logs as logs, aws_msk as msk, custom_resources as cr, RemovalPolicy } from 'aws-cdk-lib';
import type { Construct } from 'constructs';

type KafkaOptions = { vpc: ec2.IVpc; clusterName: string; instanceType: string; volumeGiB: number; keepLogs: boolean };

/**
 * Amazon MSK (provisioned), IAM authentication over TLS on 9098 only, one broker per private
 * subnet, the broker defaults Herald relies on (as docs/config/server.properties, for 3 brokers).
 */
export function createKafka(scope: Construct, { vpc, clusterName, instanceType, volumeGiB, keepLogs }: KafkaOptions) {
  const securityGroup = new ec2.SecurityGroup(scope, 'KafkaSecurityGroup', { vpc, description: `Kafka clients of ${clusterName} (IAM over TLS)`, allowAllOutbound: false });
  const configuration = new msk.CfnConfiguration(scope, 'KafkaConfiguration', {
    name: `${clusterName}-herald`,
    serverProperties: ['num.partitions=8', 'default.replication.factor=3', 'min.insync.replicas=2', 'auto.create.topics.enable=false'].join('\n'),
  });
  const brokerLogs = new logs.LogGroup(scope, 'KafkaBrokerLogs', { retention: logs.RetentionDays.ONE_MONTH, removalPolicy: keepLogs ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY });
  const subnets = vpc.selectSubnets({ subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS });
  const cluster = new msk.CfnCluster(scope, 'Kafka', {
    clusterName,
    kafkaVersion: '3.9.x',
    numberOfBrokerNodes: subnets.subnetIds.length,
    brokerNodeGroupInfo: {
      instanceType,
      clientSubnets: subnets.subnetIds,
      securityGroups: [securityGroup.securityGroupId],
      storageInfo: { ebsStorageInfo: { volumeSize: volumeGiB } },
    },
    clientAuthentication: { sasl: { iam: { enabled: true } }, unauthenticated: { enabled: false } },
    encryptionInfo: { encryptionInTransit: { clientBroker: 'TLS', inCluster: true } },
    // The latest revision, so an edit of serverProperties reaches the brokers on the next deploy.
    configurationInfo: { arn: configuration.attrArn, revision: configuration.attrLatestRevisionRevision },
    loggingInfo: { brokerLogs: { cloudWatchLogs: { enabled: true, logGroup: brokerLogs.logGroupName } } },
  });

  // The IAM bootstrap broker string exists only through kafka:GetBootstrapBrokers.
  const bootstrap = new cr.AwsCustomResource(scope, 'KafkaBootstrapBrokers', {
    onUpdate: {
      service: 'Kafka',
      action: 'getBootstrapBrokers',
      parameters: { ClusterArn: cluster.attrArn },
      physicalResourceId: cr.PhysicalResourceId.of(cluster.attrArn),
    },
    policy: cr.AwsCustomResourcePolicy.fromSdkCalls({ resources: [cluster.attrArn] }),
    installLatestAwsSdk: false,
  });

  // Topic and group ARNs are arn:...:topic/<cluster name>/<cluster uuid>/<name>; the name is
  // Herald's, the uuid is MSK's (unknown until created, so a wildcard).
  const resourceArn = (kind: 'topic' | 'group', name: string) => `arn:${Aws.PARTITION}:kafka:${Aws.REGION}:${Aws.ACCOUNT_ID}:${kind}/${clusterName}/*/${name}`;

  return {
    cluster,
    clusterName,
    securityGroup,
    bootstrapBrokers: bootstrap.getResponseField('BootstrapBrokerStringSaslIam'),
    topicArn: (name: string) => resourceArn('topic', name),
    groupArn: (name: string) => resourceArn('group', name),
  };
}

export type Kafka = ReturnType<typeof createKafka>;
