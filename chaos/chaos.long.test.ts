import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { STATE_DIR } from '@herald/local-infra';
import { runChaos } from './run-chaos';

// The short subset of `npm run chaos` (docs/reliability.md): 1,000 writes per scenario, a broker
// killed -9 and one of two consumer tasks killed -9 mid-stream. It asserts the invariants, never
// timings: those are the full suite's figures.
describe('the failure suite, short (a broker killed -9; one of two consumer tasks killed -9)', () => {
  it('loses no acknowledged write, projects every event once and converges: producer events = distinct events in Kafka, producer rows = read-model rows, 0 differences', async () => {
    const lines: string[] = [];
    // Outside the test run's folder, which the teardown removes: a failed run's logs (the services',
    // each broker's, the groups' state at the timeout) are kept for whoever reads the failure.
    const dataDir = join(STATE_DIR, 'chaos-test', `${new Date().toISOString().replace(/[:.]/g, '-')}-${randomBytes(2).toString('hex')}`);
    const { results, skipped, problems } = await runChaos({
      scenarios: ['broker', 'consumer'],
      events: 1_000,
      ratePerSecond: 100,
      concurrency: 8,
      users: 12,
      follows: 3,
      deadlineMs: 14 * 60_000,
      dataDir,
      from: 'source',
      log: (line) => lines.push(line),
    });

    const failed = problems.length > 0 || skipped.length > 0 || results.some((result) => result.problems.length > 0);
    if (failed) console.log(`The failure suite's log (data and logs kept in ${dataDir}):\n${lines.join('\n')}`);
    else rmSync(dataDir, { recursive: true, force: true });
    expect({ problems, skipped }).toEqual({ problems: [], skipped: [] });
    expect(results.map((r) => r.scenario)).toEqual(['set-up (no fault)', '(a) a broker killed -9, restarted', '(c) one of two consumer tasks killed -9 mid-batch, restarted']);
    for (const result of results) {
      expect({ scenario: result.scenario, problems: result.problems, duplicates: result.duplicates, lost: result.lost, differences: result.differences }).toEqual({
        scenario: result.scenario,
        problems: [],
        duplicates: 0,
        lost: 0,
        differences: 0,
      });
      expect(result.inKafka).toBe(result.events);
      expect(result.inReadModels).toBe(result.rows);
      expect(result.feedEntries).toBe(result.expectedFeedEntries);
    }
    // Each faulty scenario streamed its 1,000 writes; every request got its answer in the end (a
    // sign-up whose answer was lost is a 409 on its retry, so not acknowledged, but not failed).
    // Acknowledged writes and events differ a little either way: a follow of a pair already
    // followed is acknowledged without an event, a refresh whose answer was lost is an event
    // without an acknowledgement, and a deleted account's events are not counted.
    for (const result of results.slice(1)) {
      expect(result.failedRequests).toEqual({});
      expect(result.acknowledged).toBeGreaterThanOrEqual(990);
      expect(result.secondsToLagZero).not.toBeNull();
    }
  }, 15 * 60_000);
});
