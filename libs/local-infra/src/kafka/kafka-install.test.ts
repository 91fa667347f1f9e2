import { InfraError } from '../infra-error';
import { checkJava, kafkaVersion } from './kafka-install';

describe('local Kafka prerequisites', () => {
  it('pins a Kafka 4.x release', () => {
    expect(kafkaVersion()).toMatch(/^4\.\d+\.\d+$/);
  });

  it('when no Java is installed, says in one line what to install or what to use instead', () => {
    const withoutJava = () => checkJava({ PATH: '/nonexistent' });
    expect(withoutJava).toThrow(InfraError);
    expect(withoutJava).toThrow(/install a JDK 17\+ and Maven .*KAFKA_BROKERS.*docker compose up/);
  });
});
