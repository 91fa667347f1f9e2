import { TOPICS } from '@herald/events';
import { aws_cloudwatch as cloudwatch, aws_elasticloadbalancingv2 as elbv2, aws_logs as logs, Duration } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { Kafka } from './kafka';
import type { Services } from './services';

// The consumer's groups that follow the producer's topics (consumer/src/config.ts, default prefix).
const LAGGING_GROUPS = [
  { group: 'herald-consumer.users', topic: TOPICS.newUserCreated },
  { group: 'herald-consumer.tokens', topic: TOPICS.issuedToken },
];
const LAG_THRESHOLD = 1_000;

/**
 * What an operator is woken for: read models falling behind (MSK consumer lag), messages given
 * up on (the consumer's "message dead-lettered" log line), and the GraphQL API failing (5xx).
 */
export function createAlarms(scope: Construct, { kafka, services }: { kafka: Kafka; services: Services }) {
  const alarms: cloudwatch.Alarm[] = [];
  for (const { group, topic } of LAGGING_GROUPS) {
    const lag = new cloudwatch.Metric({
      namespace: 'AWS/Kafka',
      metricName: 'SumOffsetLag',
      dimensionsMap: { 'Cluster Name': kafka.clusterName, 'Consumer Group': group, Topic: topic },
      statistic: 'Maximum',
      period: Duration.minutes(5),
    });
    alarms.push(
      lag.createAlarm(scope, `Lag-${topic}`, {
        alarmDescription: `${group} is more than ${LAG_THRESHOLD} messages behind on ${topic} for 15 minutes`,
        threshold: LAG_THRESHOLD,
        evaluationPeriods: 3,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
    );
  }

  const deadLetters = new logs.MetricFilter(scope, 'DeadLetters', {
    logGroup: services.logGroups.consumer,
    filterPattern: logs.FilterPattern.stringValue('$.msg', '=', 'message dead-lettered'),
    metricNamespace: 'Herald',
    metricName: 'DeadLetters',
    metricValue: '1',
    defaultValue: 0,
  });
  alarms.push(
    deadLetters.metric({ statistic: 'Sum', period: Duration.minutes(5) }).createAlarm(scope, 'DeadLetterRate', {
      alarmDescription: 'The consumer dead-lettered messages in the last 5 minutes (see the console at /console)',
      threshold: 0,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    }),
  );

  const loadBalancer = services.consumer.loadBalancer.metrics;
  const fiveHundreds = new cloudwatch.MathExpression({
    expression: 'target + elb',
    usingMetrics: {
      target: loadBalancer.httpCodeTarget(elbv2.HttpCodeTarget.TARGET_5XX_COUNT, { period: Duration.minutes(5), statistic: 'Sum' }),
      elb: loadBalancer.httpCodeElb(elbv2.HttpCodeElb.ELB_5XX_COUNT, { period: Duration.minutes(5), statistic: 'Sum' }),
    },
    period: Duration.minutes(5),
  });
  alarms.push(
    fiveHundreds.createAlarm(scope, 'ServerErrors', {
      alarmDescription: 'The GraphQL API answered more than 10 server errors (5xx) in 5 minutes',
      threshold: 10,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    }),
  );
  return alarms;
}
