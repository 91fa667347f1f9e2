import { InfraError } from '../infra-error';
import { brokersOption } from './brokers-option';

describe('npm start -- --brokers N', () => {
  it('takes 1 or 3, and KAFKA_NODES without the option', () => {
    expect(brokersOption(['--brokers', '3'], 1)).toBe(3);
    expect(brokersOption(['--brokers=1'], 3)).toBe(1);
    expect(brokersOption([], 3)).toBe(3);
  });

  it('refuses anything else with a line that says what to type, never echoing the input', () => {
    for (const argv of [['--brokers', '2'], ['--brokers', '<script>'], ['--nodes', '3'], ['extra']]) {
      const attempt = () => brokersOption(argv, 1);
      expect(attempt).toThrow(InfraError);
      expect(attempt).toThrow(/npm start -- --brokers 3/);
      expect(attempt).not.toThrow(/script|nodes|extra|\b2\b/);
    }
  });
});
