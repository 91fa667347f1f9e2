import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { InfraError } from '../infra-error';
import { checkJava } from '../kafka/kafka-install';
import { answersOk } from '../services/service-process';
import { CACHE_DIR } from '../paths';
import { stopChild } from '../stop-child';

/** The Zipkin release `npm start -- --traces` and the trace tests run: one executable jar from Maven Central. */
export const ZIPKIN_VERSION = '3.5.1';
const ARTIFACT = `io.zipkin:zipkin-server:${ZIPKIN_VERSION}:jar:exec`;

/** The jar, fetched with Maven into `.herald/cache/zipkin-<version>/` on first use (Maven's own cache serves later clones). */
export function ensureZipkinJar(log: (line: string) => void = console.log): string {
  const dir = join(CACHE_DIR, `zipkin-${ZIPKIN_VERSION}`);
  const jar = join(dir, `zipkin-server-${ZIPKIN_VERSION}-exec.jar`);
  if (existsSync(jar)) return jar;
  checkJava();
  log(`Resolving Zipkin ${ZIPKIN_VERSION} from Maven Central (first run only, about 130 MB)...`);
  mkdirSync(dir, { recursive: true });
  const result = spawnSync('mvn', ['-q', '-B', 'dependency:copy', `-Dartifact=${ARTIFACT}`, `-DoutputDirectory=${dir}`], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (result.error) throw new InfraError(`Zipkin: Maven (mvn) is needed once to fetch ${ARTIFACT}; install it with a JDK 17+ (Debian/Ubuntu: apt-get install openjdk-17-jdk-headless maven).`);
  if (result.status !== 0 || !existsSync(jar)) {
    throw new InfraError(`Zipkin: Maven could not fetch ${ARTIFACT}:\n${(result.stdout + result.stderr).trim().slice(-2000)}\nCheck access to Maven Central (or your mirror in ~/.m2/settings.xml) and try again.`);
  }
  return jar;
}

export interface ZipkinServer {
  /** The UI and API, e.g. http://127.0.0.1:9411 (the UI at /zipkin/). */
  url: string;
  /** Where services post spans (Zipkin's v2 JSON API). */
  spansUrl: string;
  pid: number;
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

/**
 * A Zipkin server with in-memory storage (traces last until it stops), in its own process group
 * like the Kafka nodes, so Ctrl-C reaches the dev runner first. Resolves once /health answers.
 */
export async function startZipkin({ port, logFile, heapMb = 256, startTimeoutMs = 120_000 }: { port: number; logFile: string; heapMb?: number; startTimeoutMs?: number }): Promise<ZipkinServer> {
  const jar = ensureZipkinJar();
  mkdirSync(dirname(logFile), { recursive: true });
  const out = openSync(logFile, 'a');
  const child = spawn('java', [`-Xmx${heapMb}m`, '-jar', jar], {
    env: { ...process.env, QUERY_PORT: String(port), STORAGE_TYPE: 'mem', JAVA_OPTS: '' },
    stdio: ['ignore', out, out],
    detached: true,
  });
  closeSync(out);
  const exited = new Promise<number | null>((resolveExit) => child.once('exit', (code) => resolveExit(code)));
  let exitCode: number | null | undefined;
  void exited.then((code) => (exitCode = code));
  const url = `http://127.0.0.1:${port}`;
  const up = await answersOk(`${url}/health`, { timeoutMs: startTimeoutMs, stop: () => exitCode !== undefined });
  if (!up) {
    await stopChild(child, exited, { timeoutMs: 5000 });
    const tail = existsSync(logFile) ? readFileSync(logFile, 'utf8').split('\n').slice(-20).join('\n') : '';
    throw new InfraError(`Zipkin ${exitCode !== undefined ? `exited during start-up (code ${exitCode})` : `did not answer within ${startTimeoutMs / 1000}s`}. Last lines of ${logFile}:\n${tail}`);
  }
  return { url, spansUrl: `${url}/api/v2/spans`, pid: child.pid!, exited, stop: () => stopChild(child, exited, { timeoutMs: 10_000 }) };
}
