import type { ScenarioResult } from './run-chaos';

const number = (value: number) => value.toLocaleString('en-US');

/** The results as the markdown table docs/reliability.md keeps, one row per scenario. */
export function resultsTable(results: ScenarioResult[]): string {
  const header = ['scenario', 'events', 'acknowledged', 'in Kafka (records)', 'rows: producer / read models', 'feed entries (expected)', 'duplicates', 'lost', 'differences', 's to lag 0', 'client retries'];
  const rows = results.map((r) => [
    r.scenario,
    number(r.events),
    number(r.acknowledged),
    `${number(r.inKafka)} (${number(r.kafkaRecords)})`,
    `${number(r.rows)} / ${number(r.inReadModels)}`,
    `${number(r.feedEntries)} (${number(r.expectedFeedEntries)})`,
    number(r.duplicates),
    number(r.lost),
    number(r.differences),
    r.secondsToLagZero === null ? '—' : r.secondsToLagZero.toFixed(1),
    number(r.clientRetries),
  ]);
  return [header, header.map(() => '---'), ...rows].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}

/** What each scenario did, and anything that did not hold, one line each. */
export function resultNotes(results: ScenarioResult[]): string[] {
  return results.flatMap((r) => [
    `${r.scenario}: ${r.note || 'no fault'}${Object.keys(r.failedRequests).length > 0 ? `; requests that failed for good: ${JSON.stringify(r.failedRequests)}` : ''}`,
    ...r.problems.map((problem) => `  NOT OK: ${problem}`),
  ]);
}
