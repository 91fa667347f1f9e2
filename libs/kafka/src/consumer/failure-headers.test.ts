import type { KafkaMessage } from 'kafkajs';
import { FAILURE_HEADERS, readRetryHeaders, copyableHeaders } from './failure-headers';

const now = 1_700_000_000_000;
const limits = { sourceTopics: ['issued-token'], maxAttempts: 5, maxDelayMs: 60_000, now };
const good = {
  [FAILURE_HEADERS.originalTopic]: 'issued-token',
  [FAILURE_HEADERS.originalPartition]: '3',
  [FAILURE_HEADERS.originalOffset]: '42',
  [FAILURE_HEADERS.attempt]: '2',
  [FAILURE_HEADERS.notBefore]: String(now + 1000),
};
const message = (headers: Record<string, string | string[] | Buffer>) => ({ key: null, value: null, offset: '7', timestamp: '0', attributes: 0, headers }) as unknown as KafkaMessage;

describe('retry headers', () => {
  it('are trusted when each parses and is in range', () => {
    expect(readRetryHeaders(message(good), limits)).toEqual({ ok: true, origin: { topic: 'issued-token', partition: 3, offset: '42', attempt: 2 }, notBefore: now + 1000 });
  });

  it.each([
    ['an unknown topic', { [FAILURE_HEADERS.originalTopic]: 'users-secret' }, /x-original-topic/],
    ['a missing topic', { [FAILURE_HEADERS.originalTopic]: undefined }, /x-original-topic/],
    ['a word for an attempt', { [FAILURE_HEADERS.attempt]: 'abc' }, /x-attempt must be an integer from 1 to 5/],
    ['a negative attempt', { [FAILURE_HEADERS.attempt]: '-1' }, /x-attempt/],
    ['attempt zero', { [FAILURE_HEADERS.attempt]: '0' }, /x-attempt/],
    ['a huge attempt', { [FAILURE_HEADERS.attempt]: '1e308' }, /x-attempt/],
    ['an attempt past the maximum', { [FAILURE_HEADERS.attempt]: '6' }, /x-attempt/],
    ['a not-before far in the future', { [FAILURE_HEADERS.notBefore]: String(now + 86_400_000) }, /x-not-before/],
    ['a not-before that is no number', { [FAILURE_HEADERS.notBefore]: 'soon' }, /x-not-before/],
    ['a negative partition', { [FAILURE_HEADERS.originalPartition]: '-1' }, /x-original-partition/],
    ['an offset past 2^63', { [FAILURE_HEADERS.originalOffset]: '9223372036854775808' }, /x-original-offset/],
    ['a header given twice', { [FAILURE_HEADERS.attempt]: ['1', '2'] }, /x-attempt/],
  ])('are refused with a reason for %s', (_what, change, reason) => {
    const headers = Object.fromEntries(Object.entries({ ...good, ...change }).filter(([, value]) => value !== undefined)) as Record<string, string>;
    const result = readRetryHeaders(message(headers), limits);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toMatch(reason);
  });

  it('never repeat the forged value in the reason', () => {
    const result = readRetryHeaders(message({ ...good, [FAILURE_HEADERS.originalTopic]: 'secret-value' }), limits);
    expect(JSON.stringify(result)).not.toContain('secret-value');
  });

  it('are taken off a copy, so only the consumer itself says where a copy came from', () => {
    expect(copyableHeaders({ ...good, traceparent: 't', [FAILURE_HEADERS.error]: 'e' })).toEqual({ traceparent: 't' });
  });

  it('leave only bytes on a copy: a header named toString arrives from kafkajs as [function, value]', () => {
    const decoded = { toString: [Object.prototype.toString, Buffer.from('x')], valueOf: [Object.prototype.valueOf, 'y', 'z'], plain: 'p' } as never;
    expect(copyableHeaders(decoded)).toEqual({ toString: Buffer.from('x'), valueOf: ['y', 'z'], plain: 'p' });
  });

  it('keep a header named __proto__ as a header, so a later one named length cannot meet a Buffer prototype and throw', () => {
    // As kafkajs (patched) hands them over: own properties, one named __proto__.
    const decoded = {};
    Object.defineProperty(decoded, '__proto__', { value: Buffer.from('p'), enumerable: true });
    Object.defineProperty(decoded, 'length', { value: Buffer.from('l'), enumerable: true });
    const copy = copyableHeaders(decoded as never);
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect(Object.entries(copy)).toEqual([
      ['__proto__', Buffer.from('p')],
      ['length', Buffer.from('l')],
    ]);
  });
});
