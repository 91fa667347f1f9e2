import { ALERT_THRESHOLDS } from '../../infra/src/alarms';
import { loadConfig } from '../../consumer/src/config';
import { runsProjector } from './copilot-manifests';
import { WORKLOAD_LOGICAL_IDS } from './copilot-template-facts';
import { readYaml, yamlFiles } from './deploy-files';

type Alarm = { Type: string; Properties: Record<string, any> };
// With the service that dead-letters: the consumer, or the projector when the consumer's roles run
// apart (docs/deploy-aws.md).
const alarmFiles = yamlFiles().filter((file) => /^copilot\/[^/]+\/addons\/alarms\.yml$/.test(file));
const addonsDir = (alarmFiles[0] ?? 'copilot/consumer/addons/alarms.yml').replace(/alarms\.yml$/, '');
const template = readYaml<{ Parameters: Record<string, unknown>; Resources: Record<string, Alarm> }>(`${addonsDir}alarms.yml`);
const alarms = Object.values(template.Resources).filter((resource) => resource.Type === 'AWS::CloudWatch::Alarm');
const dimension = (alarm: Alarm, name: string) => (alarm.Properties.Dimensions as Array<{ Name: string; Value: unknown }> | undefined)?.find((entry) => entry.Name === name)?.Value;

describe(`the Copilot CloudWatch alarms (${addonsDir}alarms.yml)`, () => {
  it('live in one service, the one that runs the projector, whose log group has the dead-letter lines', () => {
    expect(alarmFiles).toHaveLength(1);
    expect(runsProjector(readYaml(addonsDir.replace(/addons\/$/, 'manifest.yml')))).toBe(true);
  });

  it('watch the lag of every projection group, with the thresholds of the Prometheus rules and the CDK app', () => {
    const { projector: { groups }, topics } = loadConfig({ DATABASE_URL: 'postgres://u:p@localhost:5432/herald_consumer' });
    const projections = [
      [groups.users.groupId, topics.newUserCreated],
      [groups.userUpdates.groupId, topics.userUpdated],
      [groups.userDeletions.groupId, topics.userDeleted],
      [groups.tokens.groupId, topics.issuedToken],
      [groups.posts.groupId, topics.postCreated],
      [groups.postDeletions.groupId, topics.postDeleted],
      [groups.follows.groupId, topics.userFollowed],
      [groups.unfollows.groupId, topics.userUnfollowed],
      [groups.sessions.groupId, topics.sessionEnded],
    ];
    const lag = alarms.filter((alarm) => alarm.Properties.MetricName === 'SumOffsetLag');
    expect(lag.map((alarm) => [dimension(alarm, 'Consumer Group'), dimension(alarm, 'Topic')]).sort()).toEqual(projections.sort());
    for (const alarm of lag) {
      expect(alarm.Properties).toMatchObject({ Namespace: 'AWS/Kafka', Period: 60, EvaluationPeriods: ALERT_THRESHOLDS.lag.forMinutes, Threshold: ALERT_THRESHOLDS.lag.messages });
      expect(dimension(alarm, 'Cluster Name')).toEqual({ 'Fn::Sub': '${App}-${Env}' }); // msk.yml's ClusterName
    }
  });

  it('count dead letters from the log line the consumer writes, in the window of the Prometheus rule', () => {
    const filter = Object.values(template.Resources).find((resource) => resource.Type === 'AWS::Logs::MetricFilter')!;
    expect(filter.Properties.FilterPattern).toBe('{ $.msg = "message dead-lettered" }');
    expect(filter.Properties.LogGroupName).toEqual({ Ref: 'LogGroupName' });
    const deadLetters = alarms.find((alarm) => alarm.Properties.MetricName === 'DeadLetters')!;
    expect(deadLetters.Properties).toMatchObject({ Period: ALERT_THRESHOLDS.deadLetters.windowMinutes * 60, Threshold: 0, EvaluationPeriods: 1 });
  });

  it("alarm on the share of 5xx answers at the environment's load balancer, as the Prometheus rule does", () => {
    const errors = alarms.find((alarm) => alarm.Properties.Metrics)!;
    expect(errors.Properties).toMatchObject({ Threshold: ALERT_THRESHOLDS.serverErrors.ratio, EvaluationPeriods: ALERT_THRESHOLDS.serverErrors.forMinutes });
    expect(errors.Properties.Metrics[0].Expression).toBe('IF(requests > 0, (target + elb) / requests, 0)');
  });

  it("get the service's log group from addons.parameters.yml, by a logical id the workload stack has", () => {
    const parameters = readYaml<{ Parameters: Record<string, { Ref?: string }> }>(`${addonsDir}addons.parameters.yml`).Parameters;
    expect(Object.keys(parameters)).toEqual(['LogGroupName']);
    expect(WORKLOAD_LOGICAL_IDS).toContain(parameters.LogGroupName!.Ref);
    expect(template.Parameters).toHaveProperty('LogGroupName');
  });
});
