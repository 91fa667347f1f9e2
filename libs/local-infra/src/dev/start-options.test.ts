import { InfraError } from '../infra-error';
import { startOptions } from './start-options';

describe('npm start -- --brokers N --traces', () => {
  it('takes 1 or 3 nodes (KAFKA_NODES without the option), and --traces', () => {
    expect(startOptions(['--brokers', '3'], 1)).toEqual({ kafkaNodes: 3, traces: false });
    expect(startOptions(['--brokers=1', '--traces'], 3)).toEqual({ kafkaNodes: 1, traces: true });
    expect(startOptions([], 3)).toEqual({ kafkaNodes: 3, traces: false });
  });

  it('refuses anything else with a line that says what to type, never echoing the input', () => {
    for (const argv of [['--brokers', '2'], ['--brokers', '<script>'], ['--nodes', '3'], ['extra'], ['--traces=yes']]) {
      const attempt = () => startOptions(argv, 1);
      expect(attempt).toThrow(InfraError);
      expect(attempt).toThrow(/npm start -- --brokers 3/);
      expect(attempt).not.toThrow(/script|nodes|extra|yes|\b2\b/);
    }
  });

  it('for npm run infra, refuses --traces: it starts no services to trace', () => {
    expect(() => startOptions(['--traces'], 1, { traces: false })).toThrow('The only option is --brokers 1 or --brokers 3, for example: npm run infra -- --brokers 3');
    expect(startOptions(['--brokers', '3'], 1, { traces: false })).toEqual({ kafkaNodes: 3, traces: false });
  });
});
