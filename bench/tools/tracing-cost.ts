// CPU per event with tracing off and on (OTLP/protobuf to a local sink that discards), in one run:
// it starts a broker and an embedded PostgreSQL of its own on free ports, then runs the arms
// interleaved, each with fresh built services (as `npm start` and the images run them),
// databases and topics; the first arm of each kind warms the broker up and is not counted.
//   npm run bench:tracing -- --signUps=100 --refreshes=2000 --rate=100 --rounds=3
// Figures: CPU of the producer, the consumer, Kafka and PostgreSQL per sign-up and per refresh
// (each refresh is one issued-token event: relay, projection, live push), the "on" arm as a
// ratio of the "off" arm of the same round. docs/performance.md has the measured figures.
import { once } from 'node:events';
import { rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { randomBytes } from 'node:crypto';
import { buildServicesIfStale, createScratchDatabase, freePort, startInfra, startService, STATE_DIR, waitForHttp, type ServiceProcess } from '@herald/local-infra';
import { Client } from 'pg';
import { numericOptions } from '../lib/cli-options';
import { startCpuAccounting, type CpuShare } from '../lib/cpu-accounting';
import { createProducerApi, runTag } from '../lib/producer-api';
import { fixed } from '../lib/stats';
import { runAtRate, runPool } from '../lib/worker-pool';

const options = numericOptions({ signUps: 100, refreshes: 2000, rate: 100, rounds: 3, users: 100 });
const ARMS = ['off', 'on'] as const;
type Arm = (typeof ARMS)[number];
const GROUPS = ['producer', 'consumer', 'kafka', 'postgres'] as const;
type PerEvent = Record<(typeof GROUPS)[number] | 'sum', number>;

interface ArmResult {
  arm: Arm;
  signUp: PerEvent;
  refresh: PerEvent;
  machineBusy: number;
}

/** An OTLP/HTTP endpoint that answers every export and keeps nothing but a count (the collector's cost is not Herald's). */
async function startDiscardingSink() {
  let exports = 0;
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      exports += 1;
      response.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, exports: () => exports, stop: () => new Promise<void>((done) => server.close(() => done())) };
}

const perEvent = (share: CpuShare | undefined, events: number): PerEvent => {
  const ms = (group: string) => ((share?.byGroup[group] ?? 0) / events) * 1000;
  const groups = Object.fromEntries(GROUPS.map((group) => [group, ms(group)])) as Record<(typeof GROUPS)[number], number>;
  return { ...groups, sum: GROUPS.reduce((total, group) => total + groups[group], 0) };
};

async function count(databaseUrl: string, sql: string): Promise<number> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return Number((await client.query<{ count: string }>(sql)).rows[0]?.count ?? 0);
  } finally {
    await client.end();
  }
}

async function until(what: string, done: () => Promise<boolean>, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

async function runArm(arm: Arm, infra: { kafkaBrokers: string; adminDatabaseUrl: string }, ports: { kafka: number; postgres: number }, sinkUrl: string, dataDir: string): Promise<ArmResult> {
  const producerDb = await createScratchDatabase(infra.adminDatabaseUrl, 'herald_tracing_producer');
  const consumerDb = await createScratchDatabase(infra.adminDatabaseUrl, 'herald_tracing_consumer');
  const topicPrefix = `tracing-${randomBytes(4).toString('hex')}.`;
  const [producerPort, consumerPort] = [await freePort(), await freePort()];
  const producerUrl = `http://127.0.0.1:${producerPort}`;
  const consumerUrl = `http://127.0.0.1:${consumerPort}`;
  const unlimited = '100000000';
  const common = {
    NODE_ENV: 'development',
    HOST: '127.0.0.1',
    KAFKA_BROKERS: infra.kafkaBrokers,
    KAFKA_TOPIC_PREFIX: topicPrefix,
    OPERATOR_TOKEN: randomBytes(24).toString('hex'),
    USER_KEYS_TOKEN: randomBytes(24).toString('hex'),
    LOG_LEVEL: 'warn',
    ...(arm === 'on' ? { OTEL_EXPORTER_OTLP_ENDPOINT: sinkUrl } : {}),
  };
  const services: ServiceProcess[] = [];
  try {
    const producer = startService({
      name: 'producer',
      from: 'build',
      logFile: join(dataDir, `producer-${topicPrefix}log`),
      env: { ...common, PORT: String(producerPort), DATABASE_URL: producerDb.url, SIGNUP_LIMIT_PER_IP: unlimited, SIGNUP_LIMIT_PER_ACCOUNT: unlimited, LOGIN_LIMIT_PER_IP: unlimited, LOGIN_LIMIT_PER_ACCOUNT: unlimited, REFRESH_LIMIT_PER_IP: unlimited },
    });
    services.push(producer);
    await waitForHttp(`${producerUrl}/ready`, producer, 60_000);
    const consumer = startService({
      name: 'consumer',
      from: 'build',
      logFile: join(dataDir, `consumer-${topicPrefix}log`),
      env: { ...common, PORT: String(consumerPort), DATABASE_URL: consumerDb.url, PRODUCER_URL: producerUrl, CONSUMER_GROUP_PREFIX: `herald-tracing-${randomBytes(4).toString('hex')}` },
    });
    services.push(consumer);
    await waitForHttp(`${consumerUrl}/ready`, consumer, 60_000);

    const api = createProducerApi(producerUrl);
    const tag = runTag();
    const projectedUsers = () => count(consumerDb.url, 'SELECT count(*) FROM users');
    const projectedTokens = () => count(consumerDb.url, 'SELECT count(*) FROM issued_tokens');

    // Warm-up, not counted: the users who refresh later sign up and log in (JIT, pools, joins).
    const refreshTokens: string[] = [];
    await runPool(options.users, 4, async (i) => {
      const username = `${tag}_w${i}`;
      if ((await api.signUp(username)).status !== 201) throw new Error('warm-up sign-up failed');
      const login = await api.login(username);
      if (login.status !== 200) throw new Error('warm-up login failed');
      refreshTokens[i] = login.body.refreshToken;
    });
    await until('the warm-up projected', async () => (await projectedUsers()) >= options.users && (await projectedTokens()) >= options.users);
    const systemPorts = [producerPort, consumerPort, ports.kafka, ports.postgres];

    // Sign-ups, 4 at a time (argon2id bound), until the consumer has projected every one.
    const signUpCpu = startCpuAccounting({ ports: systemPorts });
    await runPool(options.signUps, 4, async (i) => {
      if ((await api.signUp(`${tag}_s${i}`)).status !== 201) throw new Error('sign-up failed');
    });
    await until('the sign-ups projected', async () => (await projectedUsers()) >= options.users + options.signUps);
    const signUpShare = signUpCpu.stop();

    // Refreshes at a fixed rate, one user's after another (a refresh token is used once).
    const chains = refreshTokens.map(() => Promise.resolve());
    const refreshCpu = startCpuAccounting({ ports: systemPorts });
    await runAtRate({ ratePerSecond: options.rate, count: options.refreshes, maxInFlight: Number.POSITIVE_INFINITY }, (i) => {
      const user = i % refreshTokens.length;
      chains[user] = chains[user]!.then(async () => {
        const answer = await api.refresh(refreshTokens[user]!);
        if (answer.status !== 200) throw new Error(`refresh answered ${answer.status}`);
        refreshTokens[user] = answer.body.refreshToken;
      });
      return chains[user]!;
    });
    await until('the refreshes projected', async () => (await projectedTokens()) >= options.users + options.refreshes);
    const refreshShare = refreshCpu.stop();

    return { arm, signUp: perEvent(signUpShare, options.signUps), refresh: perEvent(refreshShare, options.refreshes), machineBusy: refreshShare?.machineBusy ?? Number.NaN };
  } finally {
    for (const service of services.reverse()) await service.stop();
    await consumerDb.drop().catch(() => {});
    await producerDb.drop().catch(() => {});
  }
}

const row = (values: PerEvent) => GROUPS.map((group) => fixed(values[group], 2)).join(' · ') + ` · sum ${fixed(values.sum, 2)}`;
const line = (r: ArmResult) => `tracing ${r.arm.padEnd(3)}: sign-up ms/event ${row(r.signUp)} | refresh ms/event ${row(r.refresh)} (machine ${fixed(r.machineBusy * 100, 0)}% busy in the refreshes)`;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)]!;
const spread = (values: number[], digits = 2) => {
  const sorted = [...values].sort((a, b) => a - b);
  return `${fixed(sorted[0]!, digits)} / ${fixed(median(sorted), digits)} / ${fixed(sorted.at(-1)!, digits)}`;
};

async function main() {
  await buildServicesIfStale((message) => console.log(message));
  const dataDir = join(STATE_DIR, 'bench', `tracing-cost-${process.pid}`);
  const ports = { kafka: await freePort(), controller: await freePort(), postgres: await freePort() };
  const infra = await startInfra({ kafkaPort: ports.kafka, kafkaControllerPort: ports.controller, kafkaHeapMb: 512, postgresPort: ports.postgres, dataDir, databases: [] });
  const sink = await startDiscardingSink();
  const rounds: Array<Record<Arm, ArmResult>> = [];
  try {
    console.log(`${options.signUps} sign-ups (4 at a time) and ${options.refreshes} refreshes at ${options.rate}/s per arm, ${options.rounds} rounds, arms interleaved`);
    for (const arm of ARMS) console.log(`warm-up, not counted: ${line(await runArm(arm, infra, ports, sink.url, dataDir))}`);
    for (let round = 0; round < options.rounds; round += 1) {
      const results = {} as Record<Arm, ArmResult>;
      for (const arm of round % 2 === 0 ? ARMS : [...ARMS].reverse()) {
        results[arm] = await runArm(arm, infra, ports, sink.url, dataDir);
        console.log(`round ${round + 1} ${line(results[arm])}`);
      }
      rounds.push(results);
    }
    console.log(`the sink took ${sink.exports()} OTLP exports`);
    console.log('on / off in the same round, min / median / max over the rounds:');
    for (const event of ['signUp', 'refresh'] as const) {
      for (const group of [...GROUPS, 'sum'] as const) {
        const ratios = rounds.map((r) => r.on[event][group] / r.off[event][group]);
        console.log(`  ${event.padEnd(7)} ${group.padEnd(8)} off ${spread(rounds.map((r) => r.off[event][group]))} ms · on ${spread(rounds.map((r) => r.on[event][group]))} ms · on/off ${spread(ratios, 3)}`);
      }
    }
  } finally {
    await sink.stop();
    await infra.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
