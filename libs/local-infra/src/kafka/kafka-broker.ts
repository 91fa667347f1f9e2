import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { InfraError } from '../infra-error';
import { isListening } from '../net';
import { stopChild } from '../stop-child';
import { PACKAGE_DIR, ROOT } from '../paths';
import { checkJava, ensureKafkaJars, runKafkaClass } from './kafka-install';

const CONFIG_DIR = join(ROOT, 'docs', 'config');
const LOG4J = join(PACKAGE_DIR, 'kafka', 'log4j2.yaml');
const TOOLS_LOG4J = join(PACKAGE_DIR, 'kafka', 'tools-log4j2.yaml');

/** How a node of a multi-node cluster finds the others (a single node is its own quorum). */
export interface QuorumMembership {
  nodeId: number;
  /** Kafka's static quorum: `1@127.0.0.1:9093,2@127.0.0.1:9095,...`. */
  voters: string;
  /** Shared by every node; the storage of each is formatted with it. */
  clusterId: string;
}

export interface KafkaBrokerOptions {
  /** Client listener port (the `KAFKA_BROKERS` address is 127.0.0.1:port). */
  port: number;
  controllerPort: number;
  /** Folder for the broker's log segments and metadata; formatted on first start. */
  dataDir: string;
  logFile: string;
  heapMb?: number;
  startTimeoutMs?: number;
  /** Set for a node of a cluster; without it the broker is a cluster of one. */
  quorum?: QuorumMembership;
  /** Files of docs/config/ read after server.properties, later lines winning (cluster.properties). */
  overlays?: string[];
}

export interface KafkaBroker {
  brokers: string;
  pid: number;
  /** Resolves when the broker's process ends, asked to or not. */
  exited: Promise<void>;
  /** A clean stop (SIGTERM): the broker hands over its partitions first. */
  stop(): Promise<void>;
  /** A crash (SIGKILL): nothing is flushed or handed over. */
  kill(): Promise<void>;
}

const keyOf = (line: string) => (line.trimStart().startsWith('#') ? undefined : line.split('=')[0]?.trim());

/**
 * docs/config/server.properties, then the overlays, then this broker's ports, folder and node id:
 * a key set later replaces the line that set it earlier, so the files stay the source of truth
 * for everything else.
 */
function renderProperties({ port, controllerPort, dataDir, quorum, overlays = [] }: KafkaBrokerOptions): string {
  const local: Record<string, string> = {
    listeners: `PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controllerPort}`,
    'advertised.listeners': `PLAINTEXT://127.0.0.1:${port}`,
    'log.dirs': join(dataDir, 'logs'),
    ...(quorum
      ? { 'node.id': String(quorum.nodeId), 'controller.quorum.voters': quorum.voters }
      : { 'controller.quorum.bootstrap.servers': `127.0.0.1:${controllerPort}` }),
  };
  // A static quorum (voters) and a dynamic one (bootstrap servers) exclude each other.
  const dropped = new Set(quorum ? ['controller.quorum.bootstrap.servers'] : []);
  const layers = [...['server.properties', ...overlays].map((file) => readFileSync(join(CONFIG_DIR, file), 'utf8').split('\n')), Object.entries(local).map(([key, value]) => `${key}=${value}`)];
  const lines = layers.flatMap((layer, index) => {
    const later = new Set(layers.slice(index + 1).flatMap((next) => next.map(keyOf)));
    return layer.filter((line) => {
      const key = keyOf(line);
      return key === undefined || (!later.has(key) && !dropped.has(key));
    });
  });
  return lines.join('\n') + '\n';
}

/**
 * A Kafka cluster id: 16 random bytes in URL-safe base64 without padding. Like Kafka's own
 * generator it never starts with "-", which command-line parsers would take for an option
 * (1 draw in 64 did, and formatting failed).
 */
export function newClusterId(): string {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

/** Formats the storage folder once (KRaft needs a cluster id before the first start). */
function formatStorage(propertiesFile: string, dataDir: string, quorum: QuorumMembership | undefined): void {
  if (existsSync(join(dataDir, 'logs', 'meta.properties'))) return;
  // A node of a static quorum is formatted with the cluster's id; a single node is its own quorum.
  const how = quorum ? [`--cluster-id=${quorum.clusterId}`] : [`--cluster-id=${newClusterId()}`, '--standalone'];
  const result = runKafkaClass('kafka.tools.StorageTool', ['format', ...how, '-c', propertiesFile], {
    log4j: TOOLS_LOG4J,
  });
  if (result.status !== 0) {
    const how = result.error ? result.error.message : result.signal ? `killed by ${result.signal}` : `exit ${result.status}`;
    throw new InfraError(`Kafka: formatting ${dataDir} failed (${how}):\n${result.stdout ?? ''}${result.stderr ?? ''}`);
  }
}

/** Resolves when the broker logs that it started; only lines written after `fromByte` count (the log is appended to across runs). */
function waitForStart(child: ChildProcess, logFile: string, fromByte: number, timeoutMs: number): Promise<void> {
  return new Promise((resolveStart, reject) => {
    const started = Date.now();
    const onExit = (code: number | null) => {
      clearInterval(timer);
      const tail = existsSync(logFile) ? readFileSync(logFile, 'utf8').split('\n').slice(-25).join('\n') : '';
      reject(new InfraError(`Kafka exited during start-up (code ${code}). Last lines of ${logFile}:\n${tail}`));
    };
    child.once('exit', onExit);
    const timer = setInterval(() => {
      const log = existsSync(logFile) ? readFileSync(logFile).subarray(fromByte).toString() : '';
      if (log.includes('Kafka Server started')) {
        clearInterval(timer);
        child.off('exit', onExit);
        resolveStart();
      } else if (Date.now() - started > timeoutMs) {
        clearInterval(timer);
        child.off('exit', onExit);
        child.kill('SIGKILL');
        reject(new InfraError(`Kafka did not start within ${timeoutMs / 1000}s; see ${logFile}`));
      }
    }, 200);
  });
}

/**
 * Starts a real Kafka node (KRaft, broker and controller in one JVM) from the jars
 * resolved from Maven Central. The broker runs in its own process group, so Ctrl-C in the
 * terminal reaches the dev runner first, which stops the services before the broker.
 */
export async function startKafkaBroker(options: KafkaBrokerOptions): Promise<KafkaBroker> {
  const { port, controllerPort, dataDir, logFile, heapMb = 512, startTimeoutMs = 90_000 } = options;
  checkJava();
  const libs = ensureKafkaJars();
  for (const taken of [port, controllerPort]) {
    if (await isListening(taken)) {
      throw new InfraError(
        `Kafka: port ${taken} is already in use. Stop whatever listens there (another \`npm start\`?), ` +
          'choose other ports with KAFKA_PORT and KAFKA_CONTROLLER_PORT, or set KAFKA_BROKERS to use that broker.',
      );
    }
  }
  mkdirSync(dataDir, { recursive: true });
  const propertiesFile = join(dataDir, 'server.properties');
  writeFileSync(propertiesFile, renderProperties(options));
  formatStorage(propertiesFile, dataDir, options.quorum);

  const logStart = existsSync(logFile) ? statSync(logFile).size : 0;
  const out = openSync(logFile, 'a');
  const child = spawn(
    'java',
    [
      `-Xms${heapMb}m`,
      `-Xmx${heapMb}m`,
      '-XX:+UseG1GC',
      '-Djava.awt.headless=true',
      `-Dlog4j2.configurationFile=${LOG4J}`,
      `-Dkafka.logs.dir=${dataDir}`,
      '-cp',
      join(libs, '*'),
      'kafka.Kafka',
      propertiesFile,
    ],
    { detached: true, stdio: ['ignore', out, out] },
  );
  closeSync(out);
  const exited = new Promise<void>((resolveExit) => child.once('exit', () => resolveExit()));
  await waitForStart(child, logFile, logStart, startTimeoutMs);

  return {
    brokers: `127.0.0.1:${port}`,
    pid: child.pid ?? -1,
    exited,
    stop: () => stopChild(child, exited, { timeoutMs: 30_000 }),
    kill: () => stopChild(child, exited, { signal: 'SIGKILL', timeoutMs: 5_000 }),
  };
}

export { checkJava, TOOLS_LOG4J };
