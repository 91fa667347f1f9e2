import type { GroupStatus } from '@herald/kafka';
import { createMetrics } from './metrics';

const partition = (topic: string, n: number, lag: number) => ({ topic, partition: n, committedOffset: '0', endOffset: String(lag), lag });
const groups: GroupStatus[] = [
  { groupId: 'herald-consumer.users', state: 'Stable', members: 1, partitions: [partition('new-user-created', 0, 3), partition('new-user-created', 1, 4)] },
  { groupId: 'herald-consumer.tokens', state: 'Stable', members: 1, partitions: [partition('issued-token', 0, 0), partition('issued-token', 1, 7)] },
];

/** The sample lines of one metric in the exposition text ("name{labels} value"). */
const samples = (text: string, name: string) => text.split('\n').filter((line) => line.startsWith(`${name}{`));

describe('consumer lag in /metrics', () => {
  it('serves the lag under Herald\'s names and kafka-exporter\'s, from one read of Kafka per scrape', async () => {
    const groupStatus = jest.fn(() => Promise.resolve(groups));
    const { registry } = createMetrics({ groupStatus });

    const text = await registry.metrics();

    expect(groupStatus).toHaveBeenCalledTimes(1);
    expect(samples(text, 'herald_consumer_lag')).toContain('herald_consumer_lag{group="herald-consumer.users",topic="new-user-created",partition="1"} 4');
    expect(samples(text, 'kafka_consumergroup_lag')).toEqual([
      'kafka_consumergroup_lag{consumergroup="herald-consumer.users",topic="new-user-created",partition="0"} 3',
      'kafka_consumergroup_lag{consumergroup="herald-consumer.users",topic="new-user-created",partition="1"} 4',
      'kafka_consumergroup_lag{consumergroup="herald-consumer.tokens",topic="issued-token",partition="0"} 0',
      'kafka_consumergroup_lag{consumergroup="herald-consumer.tokens",topic="issued-token",partition="1"} 7',
    ]);
    expect(samples(text, 'kafka_consumergroup_lag_sum')).toEqual([
      'kafka_consumergroup_lag_sum{consumergroup="herald-consumer.users",topic="new-user-created"} 7',
      'kafka_consumergroup_lag_sum{consumergroup="herald-consumer.tokens",topic="issued-token"} 7',
    ]);
  });

  it('reads Kafka again on the next scrape, and keeps no figure of a group that is gone', async () => {
    const groupStatus = jest.fn().mockResolvedValueOnce(groups).mockResolvedValueOnce(groups.slice(1));
    const { registry } = createMetrics({ groupStatus });

    await registry.metrics();
    await new Promise((resolve) => setImmediate(resolve));
    const text = await registry.metrics();

    expect(groupStatus).toHaveBeenCalledTimes(2);
    expect(samples(text, 'kafka_consumergroup_lag_sum')).toEqual(['kafka_consumergroup_lag_sum{consumergroup="herald-consumer.tokens",topic="issued-token"} 7']);
    expect(samples(text, 'herald_consumer_lag').some((line) => line.includes('herald-consumer.users'))).toBe(false);
  });

  it('serves no lag, and still answers, when Kafka cannot be read', async () => {
    const { registry } = createMetrics({ groupStatus: () => Promise.reject(new Error('broker away')) });

    const text = await registry.metrics();

    expect(samples(text, 'herald_consumer_lag')).toEqual([]);
    expect(samples(text, 'kafka_consumergroup_lag_sum')).toEqual([]);
    expect(text).toContain('# TYPE kafka_consumergroup_lag gauge');
  });
});
