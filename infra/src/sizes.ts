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
    natGateways: 3,
    containerInsights: true,
  },
};

export type EnvironmentName = keyof typeof SIZES;

export function isEnvironmentName(name: string): name is EnvironmentName {
  return Object.hasOwn(SIZES, name);
}
