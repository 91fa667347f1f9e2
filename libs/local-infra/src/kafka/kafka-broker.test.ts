import { newClusterId } from './kafka-broker';

describe('Kafka cluster ids', () => {
  it('are 22 URL-safe base64 characters and never start with "-" (a parser would take that for an option)', () => {
    for (let i = 0; i < 5000; i += 1) {
      const id = newClusterId();
      expect(id).toMatch(/^[A-Za-z0-9_][A-Za-z0-9_-]{21}$/);
    }
  });
});
