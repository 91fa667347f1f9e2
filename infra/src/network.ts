import { aws_ec2 as ec2, aws_logs as logs, RemovalPolicy } from 'aws-cdk-lib';
import type { Construct } from 'constructs';

/**
 * Three zones, public subnets for the load balancer and NAT, private subnets for the tasks, MSK
 * and Aurora (MSK places one broker per private subnet). Rejected traffic is logged.
 */
export function createNetwork(scope: Construct, { natGateways, keepLogs }: { natGateways: number; keepLogs: boolean }) {
  const vpc = new ec2.Vpc(scope, 'Vpc', {
    ipAddresses: ec2.IpAddresses.cidr('10.30.0.0/16'),
    maxAzs: 3,
    natGateways,
    subnetConfiguration: [
      { name: 'public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24 },
      { name: 'private', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 22 },
    ],
  });
  const flowLogs = new logs.LogGroup(scope, 'VpcFlowLogs', {
    retention: logs.RetentionDays.ONE_MONTH,
    removalPolicy: keepLogs ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
  });
  vpc.addFlowLog('RejectedTraffic', { destination: ec2.FlowLogDestination.toCloudWatchLogs(flowLogs), trafficType: ec2.FlowLogTrafficType.REJECT });
  return vpc;
}
