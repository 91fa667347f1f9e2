/**
 * The sizes of one Herald environment on AWS, the same as the Copilot environments' (msk.yml,
 * aurora.yml, the manifests): small and cheap for `test`, three zones and more headroom for `prod`.
 */
export type EnvironmentSizes = {
  /** MSK broker instance type; one broker per zone */
  kafkaInstanceType: string;
  kafkaVolumeGiB: number;
  /** Aurora Serverless v2 capacity in ACUs */
  databaseMinCapacity: number;
  databaseMaxCapacity: number;
  databaseBackupDays: number;
  /** prod keeps the database and refuses to delete it; test may be torn down */
  keepData: boolean;
  producerTasks: number;
  consumerMinTasks: number;
  /**
   * The ceiling of the read-api/ops service when the consumer's roles run apart
   * (`-c consumerRoles=apart`). Those tasks read PostgreSQL, and their one live group per task
   * reads every partition, so Kafka's partitions do not bound them: the database does, and the
   * bill. Together, the consumer stops at the partition count instead.
   */
  readApiMaxTasks: number;
  /** NAT gateways: one per zone in prod, one shared in test */
  natGateways: number;
  containerInsights: boolean;
};

export const SIZES: Record<'test' | 'prod', EnvironmentSizes> = {
  test: {
    kafkaInstanceType: 'kafka.t3.small',
    kafkaVolumeGiB: 20,
    databaseMinCapacity: 0.5,
    databaseMaxCapacity: 4,
    databaseBackupDays: 1,
    keepData: false,
    producerTasks: 1,
    consumerMinTasks: 1,
    // test is for trying things and its database stops at 4 ACU: the same ceiling as together.
    readApiMaxTasks: 8,
    natGateways: 1,
    containerInsights: false,
  },
  prod: {
    kafkaInstanceType: 'kafka.m7g.large',
    kafkaVolumeGiB: 100,
    databaseMinCapacity: 0.5,
    databaseMaxCapacity: 16,
    databaseBackupDays: 14,
    keepData: true,
    producerTasks: 2,
    consumerMinTasks: 2,
    // Three times the projector's ceiling, against a database that grows to 16 ACU; 24 tasks hold
    // at most 240 connections (DATABASE_POOL_MAX, 10 each), far below the 2,000 Aurora allows for
    // this capacity range (docs/deploy-aws.md, "Deploying the consumer's roles apart").
    readApiMaxTasks: 24,
    natGateways: 3,
    containerInsights: true,
  },
};

export type EnvironmentName = keyof typeof SIZES;

export function isEnvironmentName(name: string): name is EnvironmentName {
  return Object.hasOwn(SIZES, name);
}
