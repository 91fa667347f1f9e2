import { createProducerStatus } from './producer-status';

const PING = { service: 'producer', version: '0.1.0', startedAt: '2026-12-07T10:00:00.000Z', pid: 7 };

function countingProducer() {
  const producer = {
    baseUrl: 'http://producer.test:9001',
    calls: 0,
    ping: async () => {
      producer.calls += 1;
      await new Promise((resolveWait) => setImmediate(resolveWait));
      return { status: 200, body: PING, roundTripMs: 1 };
    },
  };
  return producer;
}

describe('producer status', () => {
  it('when many ask at once, the producer is pinged once and all get its answer', async () => {
    const producer = countingProducer();
    const status = createProducerStatus({ producer, cacheMs: 1000 });
    const answers = await Promise.all(Array.from({ length: 1000 }, () => status()));
    expect(producer.calls).toBe(1);
    expect(new Set(answers.map((answer) => answer.answer))).toEqual(new Set([JSON.stringify(PING)]));
  });

  it('when the answer is older than the cache time, the producer is pinged again', async () => {
    const producer = countingProducer();
    let now = 0;
    const status = createProducerStatus({ producer, cacheMs: 1000, now: () => now });
    await status();
    now = 999;
    await status();
    expect(producer.calls).toBe(1);
    now = 2000;
    await status();
    expect(producer.calls).toBe(2);
  });

  it('when the producer cannot be reached, the answer says so instead of failing', async () => {
    const status = createProducerStatus({ producer: { baseUrl: 'http://x', ping: () => Promise.reject(new Error('The producer at http://x could not be reached')) }, cacheMs: 0 });
    expect(await status()).toEqual({ url: 'http://x', ok: false, roundTripMs: null, answer: null, error: 'The producer at http://x could not be reached' });
  });
});
