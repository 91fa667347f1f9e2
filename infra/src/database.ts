import { aws_ec2 as ec2, aws_rds as rds, Duration, RemovalPolicy } from 'aws-cdk-lib';
import type { Construct } from 'constructs';

type DatabaseOptions = { vpc: ec2.IVpc; minCapacity: number; maxCapacity: number; backupDays: number; keepData: boolean };

/**
 * Aurora PostgreSQL Serverless v2: one cluster, one database per service (each service creates
 * its own at start-up), the master credentials generated into Secrets Manager. The secret JSON
 * (host, port, dbname, username, password) is the services' DB_SECRET.
 */
export function createDatabase(scope: Construct, { vpc, minCapacity, maxCapacity, backupDays, keepData }: DatabaseOptions) {
  const cluster = new rds.DatabaseCluster(scope, 'Database', {
    engine: rds.DatabaseClusterEngine.auroraPostgres({ version: rds.AuroraPostgresEngineVersion.VER_17_4 }),
    writer: rds.ClusterInstance.serverlessV2('Writer'),
    serverlessV2MinCapacity: minCapacity,
    serverlessV2MaxCapacity: maxCapacity,
    vpc,
    vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
    // Characters that would need escaping in a postgres:// URL or the JSON secret.
    credentials: rds.Credentials.fromGeneratedSecret('herald', { excludeCharacters: '"@/\\:?#%&' }),
    defaultDatabaseName: 'herald_producer',
    storageEncrypted: true,
    backup: { retention: Duration.days(backupDays) },
    deletionProtection: keepData,
    removalPolicy: keepData ? RemovalPolicy.SNAPSHOT : RemovalPolicy.DESTROY,
  });
  return { cluster, secret: cluster.secret! };
}

export type Database = ReturnType<typeof createDatabase>;
