import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { InfraError } from '../infra-error';
import { CACHE_DIR, PACKAGE_DIR } from '../paths';

const POM = join(PACKAGE_DIR, 'kafka', 'pom.xml');
const NO_JAVA =
  'Kafka: no broker given and no Java found. Either install a JDK 17+ and Maven ' +
  '(Debian/Ubuntu: apt-get install openjdk-17-jdk-headless maven; macOS: brew install openjdk@17 maven), ' +
  'or set KAFKA_BROKERS=host:port to use a broker you run, or use `docker compose up`.';

/** The Kafka release pinned in libs/local-infra/kafka/pom.xml. */
export function kafkaVersion(): string {
  const match = /<kafka\.version>([^<]+)<\/kafka\.version>/.exec(readFileSync(POM, 'utf8'));
  if (!match?.[1]) throw new Error(`no <kafka.version> in ${POM}`);
  return match[1];
}

/** Fails with instructions unless Java 17 or newer is on the PATH. */
export function checkJava(env: NodeJS.ProcessEnv = process.env): void {
  const result = spawnSync('java', ['-version'], { encoding: 'utf8', env });
  if (result.error || result.status !== 0) throw new InfraError(NO_JAVA);
  const match = /version "(\d+)/.exec(result.stderr);
  const major = Number(match?.[1] ?? 0);
  if (major < 17) throw new InfraError(`Kafka ${kafkaVersion()} needs Java 17 or newer; \`java -version\` says ${major || 'unknown'}. ${NO_JAVA}`);
}

/**
 * Folder holding the broker's and tools' jars, resolved from Maven Central on first use into
 * `.herald/cache/kafka-<version>` (Maven's own cache makes later clones fast too).
 */
export function ensureKafkaJars(log: (line: string) => void = console.log): string {
  const version = kafkaVersion();
  const libs = join(CACHE_DIR, `kafka-${version}`, 'libs');
  const marker = join(libs, '.complete');
  if (existsSync(marker)) return libs;

  checkJava();
  log(`Resolving Apache Kafka ${version} from Maven Central (first run only)...`);
  mkdirSync(libs, { recursive: true });
  const result = spawnSync(
    'mvn',
    ['-q', '-B', '-f', POM, 'dependency:copy-dependencies', `-DoutputDirectory=${libs}`, '-DincludeScope=runtime'],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
  );
  if (result.error) throw new InfraError(`Kafka: Maven (mvn) is needed once to fetch Kafka ${version}. ${NO_JAVA}`);
  if (result.status !== 0) {
    throw new InfraError(
      `Kafka: Maven could not resolve org.apache.kafka:kafka_2.13:${version}:\n${(result.stdout + result.stderr).trim().slice(-2000)}\n` +
        'Check access to Maven Central (or your Maven mirror in ~/.m2/settings.xml) and try again.',
    );
  }
  writeFileSync(marker, new Date().toISOString());
  return libs;
}

/** Runs a Java main class from the Kafka jars and returns its result (for short commands). */
export function runKafkaClass(mainClass: string, args: string[], { log4j }: { log4j: string }) {
  const libs = ensureKafkaJars();
  return spawnSync('java', [`-Dlog4j2.configurationFile=${log4j}`, '-cp', join(libs, '*'), mainClass, ...args], { encoding: 'utf8' });
}
