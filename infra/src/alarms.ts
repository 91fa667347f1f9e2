import { TOPICS } from '@herald/events';
import { aws_cloudwatch as cloudwatch, aws_elasticloadbalancingv2 as elbv2, aws_logs as logs, Duration } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { Kafka } from './kafka';
import type { Services } from './services';

// The consumer's groups that follow the producer's topics (consumer/src/config.ts, default prefix).
const LAGGING_GROUPS = [
  { group: 'herald-consumer.users', topic: TOPICS.newUserCreated },
  { group: 'herald-consumer.user-updates', topic: TOPICS.userUpdated },
  { group: 'herald-consumer.user-deletions', topic: TOPICS.userDeleted },
  { group: 'herald-consumer.tokens', topic: TOPICS.issuedToken },
  { group: 'herald-consumer.posts', topic: TOPICS.postCreated },
  { group: 'herald-consumer.post-deletions', topic: TOPICS.postDeleted },
  { group: 'herald-consumer.follows', topic: TOPICS.userFollowed },
  { group: 'herald-consumer.unfollows', topic: TOPICS.userUnfollowed },
  { group: 'herald-consumer.sessions', topic: TOPICS.sessionEnded },
];

/**
 * The thresholds of docs/config/prometheus-rules.yml, so an operator is woken for the same things
 * whether Prometheus or CloudWatch watches (infra/test compares the two).
 */
export const ALERT_THRESHOLDS = {
  /** HeraldConsumerLagHigh: more than this many messages behind, for this long. */
  lag: { messages: 1_000, forMinutes: 5 },
  /** HeraldDeadLettered: any record dead-lettered within this window. */
  deadLetters: { windowMinutes: 10 },
  /** HeraldHttp5xx: more than this share of answers are 5xx, for this long. */
  serverErrors: { ratio: 0.01, forMinutes: 5 },
} as const;
const { lag: LAG, deadLetters: DEAD_LETTERS, serverErrors: SERVER_ERRORS } = ALERT_THRESHOLDS;

/**
 * What an operator is woken for: read models falling behind (MSK consumer lag), messages given
 * up on (the consumer's "message dead-lettered" log line), and the GraphQL API failing (5xx).
 * With the consumer's roles apart (services.ts) the same alarms follow each job: the lag is that
 * of the projection groups, which the projector runs; the projector logs into the consumer's log
 * group (streams under projector/), where the dead-letter filter looks; the 5xx share is the
 * read-api/ops service's load balancer.
 */
export function createAlarms(scope: Construct, { kafka, services }: { kafka: Kafka; services: Services }) {
  const alarms: cloudwatch.Alarm[] = [];
  for (const { group, topic } of LAGGING_GROUPS) {
    const lag = new cloudwatch.Metric({
      namespace: 'AWS/Kafka',
      metricName: 'SumOffsetLag',
      dimensionsMap: { 'Cluster Name': kafka.clusterName, 'Consumer Group': group, Topic: topic },
      statistic: 'Maximum',
      period: Duration.minutes(1),
    });
    alarms.push(
      lag.createAlarm(scope, `Lag-${topic}`, {
        alarmDescription: `${group} is more than ${LAG.messages} messages behind on ${topic} for ${LAG.forMinutes} minutes (docs/operations.md#inspect-consumer-groups-and-lag)`,
        threshold: LAG.messages,
        evaluationPeriods: LAG.forMinutes,
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
    deadLetters.metric({ statistic: 'Sum', period: Duration.minutes(DEAD_LETTERS.windowMinutes) }).createAlarm(scope, 'DeadLetterRate', {
      alarmDescription: `The consumer dead-lettered messages in the last ${DEAD_LETTERS.windowMinutes} minutes (docs/operations.md#replay-the-dead-letter-queue)`,
      threshold: 0,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    }),
  );

  const loadBalancer = services.consumer.loadBalancer.metrics;
  const minute = { period: Duration.minutes(1), statistic: 'Sum' };
  const errorShare = new cloudwatch.MathExpression({
    expression: 'IF(requests > 0, (target + elb) / requests, 0)',
    usingMetrics: {
      target: loadBalancer.httpCodeTarget(elbv2.HttpCodeTarget.TARGET_5XX_COUNT, minute),
      elb: loadBalancer.httpCodeElb(elbv2.HttpCodeElb.ELB_5XX_COUNT, minute),
      requests: loadBalancer.requestCount(minute),
    },
    period: Duration.minutes(1),
  });
  alarms.push(
    errorShare.createAlarm(scope, 'ServerErrors', {
      alarmDescription: `More than ${SERVER_ERRORS.ratio * 100}% of the GraphQL API's answers are server errors (5xx) for ${SERVER_ERRORS.forMinutes} minutes (docs/operations.md#read-ready-and-health)`,
      threshold: SERVER_ERRORS.ratio,
      evaluationPeriods: SERVER_ERRORS.forMinutes,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    }),
  );
  return alarms;
}
