import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import { newestOutboxId, waitForCatchUp } from './catch-up';
import { startChaosSystem, type ChaosSystem } from './chaos-system';
import { describeProjectionGroups } from './group-diagnosis';
import { watchCommittedOffsets, type OffsetWatch } from './offset-watch';
import { findDifferences } from '@herald/convergence';
import { missingFromReadModels, outboxCensus, producerCensus, readModelCensus, type RowCensus, type RowKind } from './database-census';
import { EVENT_TOPICS, takeKafkaCensus, type EventType, type KafkaCensus } from './kafka-census';
import { acknowledgedCount, startLoad, type Acknowledged } from './load';
import { createRestClient } from './rest-client';
import { scenarios, type ScenarioName } from './scenarios';
import { setUpSessions } from './setup-sessions';

export interface ChaosOptions {
  scenarios: ScenarioName[];
  /** Writes per scenario (each one event). */
  events: number;
  ratePerSecond: number;
  concurrency: number;
  /** Users signed up before the first scenario, and how many others each follows. */
  users: number;
  follows: number;
  /** The whole run's time limit, set-up included. */
  deadlineMs: number;
  dataDir: string;
  from: 'build' | 'source';
  log: (line: string) => void;
  /** Ctrl-C: the load stops, the waits end, the rest is skipped and the system stopped. */
  signal?: AbortSignal;
}

export interface ScenarioResult {
  scenario: string;
  /** Events the producer committed during the scenario (outbox rows, a deleted account's left out). */
  events: number;
  acknowledged: number;
  /** Distinct event ids added to Kafka, and records (more when an event was published twice). */
  inKafka: number;
  kafkaRecords: number;
  /** Rows added to the producer's tables, and to the read models (deletions take some away from both). */
  rows: number;
  inReadModels: number;
  /** Differences between the read models and the producer's tables after the scenario (@herald/convergence). */
  differences: number;
  feedEntries: number;
  expectedFeedEntries: number;
  duplicates: number;
  lost: number;
  /** From the fault's end until lag is 0 for everything written up to then; null without a fault or when it timed out. */
  secondsToLagZero: number | null;
  clientRetries: number;
  failedRequests: Record<string, number>;
  note: string;
  /** Invariants that do not hold, and what timed out; empty when all is well. */
  problems: string[];
}

interface Census {
  producer: RowCensus;
  readModels: RowCensus;
  outbox: Record<EventType, number>;
  kafka: KafkaCensus;
}

const TYPES = Object.keys(EVENT_TOPICS) as EventType[];
const ROW_KINDS: Array<RowKind & EventType> = ['new-user-created', 'issued-token', 'post-created', 'user-followed', 'user-unfollowed'];
const sum = <K extends string>(counts: Record<K, number>, keys: K[]) => keys.reduce((total, key) => total + counts[key], 0);

/**
 * Compares the censuses over what the scenario added (after − before), per event type, so that a
 * scenario is judged by its own events and not by an earlier one's: the producer's events and
 * Kafka's, then the producer's rows and the read models'.
 */
function invariantProblems(before: Census | undefined, after: Census): string[] {
  const added = (pick: (c: Census) => number) => pick(after) - (before ? pick(before) : 0);
  const problems: string[] = [];
  for (const type of TYPES) {
    const [p, k] = [added((c) => c.outbox[type]), added((c) => c.kafka.distinct[type])];
    if (p !== k) problems.push(`${type}: ${p} new events in the producer's outbox, ${k} in Kafka`);
  }
  for (const kind of ROW_KINDS) {
    const [p, r] = [added((c) => c.producer.rows[kind]), added((c) => c.readModels.rows[kind])];
    if (p !== r) problems.push(`${kind}: ${p} new rows in the producer's database, ${r} in the read models`);
  }
  const [feed, expected] = [added((c) => c.readModels.feedEntries), added((c) => c.producer.feedEntries)];
  if (feed !== expected) problems.push(`feed entries: ${feed} new in the read model, ${expected} expected from the producer's posts and follows`);
  const deadLettered = added((c) => c.kafka.deadLettered);
  if (deadLettered > 0) problems.push(`${deadLettered} records on the dead-letter queue`);
  return problems;
}

/** Read-model rows beyond one per distinct event (none unless an event was projected as two rows). */
const duplicatesIn = ({ readModels, kafka, producer }: Census) =>
  readModels.duplicates + ROW_KINDS.reduce((total, kind) => total + Math.max(0, readModels.rows[kind] - kafka.distinct[kind]), 0) + Math.max(0, readModels.feedEntries - producer.feedEntries);

/**
 * The failure suite: starts a system of its own, signs up the load's users, then runs each
 * scenario in turn (a steady stream of writes with the fault in its middle) and checks the
 * invariants after each. Never throws for a failed invariant or a timeout: the result says so.
 */
export async function runChaos(options: ChaosOptions): Promise<{ results: ScenarioResult[]; skipped: string[]; problems: string[] }> {
  const { log } = options;
  const deadline = Date.now() + options.deadlineMs;
  const { signal } = options;
  const left = (cap: number) => (signal?.aborted ? 1_000 : Math.max(1_000, Math.min(cap, deadline - Date.now())));
  const results: ScenarioResult[] = [];
  const skipped: string[] = [];
  const problems: string[] = [];
  let system: ChaosSystem | undefined;
  let admin: Admin | undefined;
  let offsetWatch: OffsetWatch | undefined;
  try {
    system = await startChaosSystem({ dataDir: options.dataDir, from: options.from, log });
    const kafka = new Kafka({ clientId: 'herald-chaos', brokers: system.brokers, logLevel: logLevel.NOTHING, retry: { retries: 10 } });
    admin = kafka.admin();
    await admin.connect();
    offsetWatch = watchCommittedOffsets(admin);
    /** Logs each projection group's members and offsets and keeps them beside the services' logs. */
    const diagnose = async (why: string) => {
      const lines = await describeProjectionGroups(admin!).catch((error: unknown) => [`the groups could not be described: ${String(error)}`]);
      writeFileSync(join(options.dataDir, `groups-${Date.now()}.txt`), `${why}\n${lines.join('\n')}\n`);
      for (const line of lines) log(`  ${line}`);
    };
    const client = createRestClient(system.producerUrl);
    const tag = `c${randomBytes(3).toString('hex')}`;

    log(`Signing up ${options.users} users, logging them in, ${options.follows} follows each...`);
    let retriesBefore = client.retries();
    const setup = await setUpSessions(client, { users: options.users, follows: options.follows, tag });
    const census = async (): Promise<Census> => {
      const outbox = await outboxCensus(system!.producerDatabaseUrl, EVENT_TOPICS);
      return {
        producer: await producerCensus(system!.producerDatabaseUrl),
        readModels: await readModelCensus(system!.consumerDatabaseUrl),
        outbox: outbox.events,
        kafka: await takeKafkaCensus(system!.brokers, { excludedKeys: outbox.deletedUsers, timeoutMs: left(120_000) }),
      };
    };
    const check = async (scenario: string, before: Census | undefined, ack: Acknowledged, extra: Partial<ScenarioResult>) => {
      await waitForCatchUp({ admin: admin!, producerDatabaseUrl: system!.producerDatabaseUrl, upToOutboxId: null, since: Date.now(), timeoutMs: left(180_000) });
      const after = await census();
      const differences = await findDifferences({ producerDatabaseUrl: system!.producerDatabaseUrl, consumerDatabaseUrl: system!.consumerDatabaseUrl });
      const delta = (pick: (c: Census) => number) => pick(after) - (before ? pick(before) : 0);
      const result: ScenarioResult = {
        scenario,
        events: delta((c) => sum(c.outbox, TYPES)),
        acknowledged: acknowledgedCount(ack),
        inKafka: delta((c) => sum(c.kafka.distinct, TYPES)),
        kafkaRecords: delta((c) => sum(c.kafka.records, TYPES)),
        rows: delta((c) => sum(c.producer.rows, ROW_KINDS)),
        inReadModels: delta((c) => sum(c.readModels.rows, ROW_KINDS)),
        differences: differences.length,
        feedEntries: delta((c) => c.readModels.feedEntries),
        expectedFeedEntries: delta((c) => c.producer.feedEntries),
        duplicates: duplicatesIn(after),
        lost: await missingFromReadModels(system!.consumerDatabaseUrl, ack),
        secondsToLagZero: null,
        clientRetries: client.retries() - retriesBefore,
        failedRequests: {},
        note: '',
        ...extra,
        problems: [...(extra.problems ?? []), ...invariantProblems(before, after)],
      };
      if (result.lost > 0) result.problems.push(`${result.lost} acknowledged writes missing from the read models`);
      if (differences.length > 0) result.problems.push(`${differences.length} differences between the read models and the producer's tables, the first: ${differences.slice(0, 5).join('; ')}`);
      for (const finding of offsetWatch!.takeFindings()) result.problems.push(`a committed offset went back: ${finding}`);
      if (system!.unexpectedExits.length > 0) result.problems.push(`exited on their own: ${system!.unexpectedExits.splice(0).join('; ')}`);
      results.push(result);
      log(`  ${result.problems.length === 0 ? 'ok' : `NOT OK: ${result.problems.join('; ')}`}`);
      return after;
    };
    let before = await check('set-up (no fault)', undefined, setup.acknowledged, { note: `${setup.sessions.length} users signed up and logged in` });

    for (const [index, name] of options.scenarios.entries()) {
      if (Date.now() > deadline - 30_000 || signal?.aborted) {
        skipped.push(...options.scenarios.slice(index).map((n) => `${scenarios[n].label}: not run, ${signal?.aborted ? 'interrupted' : 'the deadline was reached'}`));
        break;
      }
      const scenario = scenarios[name];
      log(`${scenario.label}: ${options.events} writes at ${options.ratePerSecond}/s, the fault after 30% of them...`);
      retriesBefore = client.retries();
      const load = startLoad({ client, sessions: setup.sessions, events: options.events, ratePerSecond: options.ratePerSecond, concurrency: options.concurrency, tag: `${tag}${index}` });
      const extra: Partial<ScenarioResult> = { problems: [] };
      signal?.addEventListener('abort', () => load.stop(), { once: true });
      const stopAtDeadline = setTimeout(() => {
        extra.problems!.push('the load was cut short: the deadline was reached');
        load.stop();
      }, Math.max(0, deadline - Date.now() - 60_000));
      try {
        await load.reached(Math.floor(options.events * 0.3));
        extra.note = await scenario.inject({ system, admin, log });
        const faultEnded = Date.now();
        const upToOutboxId = await newestOutboxId(system.producerDatabaseUrl, left(60_000));
        log(`  ${extra.note}; waiting for lag 0 on everything written until now...`);
        extra.secondsToLagZero = (await waitForCatchUp({ admin, producerDatabaseUrl: system.producerDatabaseUrl, upToOutboxId, since: faultEnded, timeoutMs: left(240_000) })) / 1000;
        log(`  lag 0 ${extra.secondsToLagZero.toFixed(1)} s after the fault ended`);
      } catch (error) {
        extra.problems!.push(`timed out or failed: ${error instanceof Error ? error.message : String(error)}`);
        await diagnose(String(error));
      }
      const outcome = await load.done;
      clearTimeout(stopAtDeadline);
      extra.failedRequests = outcome.failed;
      extra.note = `${outcome.requests} writes in ${outcome.seconds.toFixed(0)} s (${(outcome.requests / outcome.seconds).toFixed(0)}/s); ${extra.note ?? 'the fault did not complete'}`;
      if (outcome.relogins > 0) extra.note = `${extra.note}; ${outcome.relogins} re-logins after a refresh's answer was lost`;
      log(`  ${outcome.requests} writes sent, ${acknowledgedCount(outcome.acknowledged)} acknowledged; draining and counting...`);
      try {
        before = await check(scenario.label, before, outcome.acknowledged, extra);
      } catch (error) {
        problems.push(`${scenario.label}: not counted: ${error instanceof Error ? error.message : String(error)}`);
        // The scenario's own problems (a fault that failed, a wait that timed out) are not in a result: keep them.
        problems.push(...(extra.problems ?? []).map((problem) => `${scenario.label}: ${problem}`));
        await diagnose(String(error));
        skipped.push(...options.scenarios.slice(index + 1).map((n) => `${scenarios[n].label}: not run after the previous scenario could not be counted`));
        break;
      }
    }
  } catch (error) {
    problems.push(`the run stopped: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    await offsetWatch?.stop();
    await admin?.disconnect().catch(() => {});
    log('Stopping the system...');
    await system?.stop();
  }
  return { results, skipped, problems };
}
