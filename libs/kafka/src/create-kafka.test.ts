import { logLevel } from 'kafkajs';
import { kafkajsLogLevel } from './create-kafka';

describe("kafkajs' log lines in Herald's log", () => {
  it('keep their level, but for errors Herald reports itself: retried request errors and consumer crashes', () => {
    expect(kafkajsLogLevel(logLevel.ERROR, 'Connection error: connect ECONNREFUSED')).toBe('error');
    expect(kafkajsLogLevel(logLevel.WARN, 'Rebalancing')).toBe('warn');
    expect(kafkajsLogLevel(logLevel.INFO, 'Consumer has joined the group')).toBe('info');
    expect(kafkajsLogLevel(logLevel.ERROR, 'Response Metadata(key: 3, version: 6)')).toBe('debug');
    expect(kafkajsLogLevel(logLevel.ERROR, "Crash: KafkaJSProtocolError: The coordinator is loading and hence can't process requests for this group")).toBe('debug');
  });
});
