import { createFlowMeter } from './flow-meter';
import { ratePerSecond } from './cluster-sampler';

describe('the console flow meter', () => {
  it('counts records per topic per second and hands out the latest, newest first, then starts a new count', () => {
    const meter = createFlowMeter({ topics: ['a', 'b'], publish: () => {}, keep: 2 });
    const start = Date.now();
    for (let offset = 0; offset < 3; offset += 1) {
      meter.record('a', 1, { key: Buffer.from('user-1'), offset: String(offset), headers: { 'event-type': Buffer.from('UserCreated') }, timestamp: String(start) });
    }
    const tick = meter.tick(start + 2000);
    expect(tick.rates.find((rate) => rate.topic === 'a')?.perSecond).toBeCloseTo(1.5, 0);
    expect(tick.rates.find((rate) => rate.topic === 'b')?.perSecond).toBe(0);
    expect(tick.events.map((event) => event.offset)).toEqual(['2', '1']);
    expect(tick.events[0]).toMatchObject({ topic: 'a', partition: 1, key: 'user-1', type: 'UserCreated' });
    expect(meter.tick(start + 3000).events).toEqual([]);
  });

  it('shows a hostile key and type as short printable text and survives a nonsense timestamp', () => {
    const meter = createFlowMeter({ topics: ['a'], publish: () => {} });
    meter.record('a', 0, { key: Buffer.alloc(100_000, 0xff), offset: '0', headers: { 'event-type': [Buffer.from('x\n\u0000y')] }, timestamp: '99999999999999999999' });
    const [event] = meter.tick().events;
    expect(event!.key!.length).toBeLessThanOrEqual(65);
    expect(event!.type).toBe('x??y');
    expect(Number.isNaN(Date.parse(event!.at))).toBe(false);
  });

  it('derives messages per second from two samples of the end offsets, and none from one or a reset', () => {
    expect(ratePerSecond({ at: 0, total: 100n }, { at: 2000, total: 300n })).toBe(100);
    expect(ratePerSecond(undefined, { at: 2000, total: 300n })).toBeNull();
    expect(ratePerSecond({ at: 0, total: 300n }, { at: 2000, total: 100n })).toBeNull();
    expect(ratePerSecond({ at: 0, total: null }, { at: 2000, total: 100n })).toBeNull();
  });
});
