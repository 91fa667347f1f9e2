import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SIZES } from '../../infra/src/sizes';
import { ROOT } from './deploy-files';

/**
 * The cost tables of docs/deploy-aws.md ("What it costs"): every line is its unit price times its
 * quantity, and each total is the sum of its column, so an edited price or size cannot leave the
 * arithmetic behind. The prices themselves only AWS can confirm (the Pricing Calculator).
 */

type Row = Record<string, string>;

const doc = readFileSync(join(ROOT, 'docs/deploy-aws.md'), 'utf8');
const section = doc.split(/^## /m).find((part) => part.startsWith('What it costs\n')) ?? '';

/** The Markdown tables of the section whose header has a "test USD" column, as rows keyed by header. */
function costTables(markdown: string): Row[][] {
  const cells = (line: string) => line.trim().replace(/^\||\|$/g, '').split('|').map((cell) => cell.trim());
  const tables: Row[][] = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (!lines[i]!.startsWith('|') || !cells(lines[i]!).includes('test USD')) continue;
    const header = cells(lines[i]!);
    const rows: Row[] = [];
    for (i += 2; i < lines.length && lines[i]!.startsWith('|'); i++) {
      rows.push(Object.fromEntries(cells(lines[i]!).map((cell, column) => [header[column]!, cell])));
    }
    tables.push(rows);
  }
  return tables;
}

/** "$0.0456 per broker-hour" -> 0.0456 (the first dollar figure). */
const unitPrice = (cell: string) => Number(/\$([\d.,]+)/.exec(cell)![1]!.replaceAll(',', ''));
/** "3 × 730 h" -> 2190, "1" -> 1 (the product of the numbers). */
const quantity = (cell: string) => (cell.match(/[\d.,]+/g) ?? []).map((n) => Number(n.replaceAll(',', ''))).reduce((a, b) => a * b, 1);
/** "**325.08**" -> 325.08 */
const dollars = (cell: string) => Number(cell.replaceAll('*', '').replaceAll(',', ''));
const isTotal = (row: Row) => row.item!.includes('total');

const tables = costTables(section);
const ENVIRONMENTS = ['test', 'prod'] as const;

describe('docs/deploy-aws.md, What it costs', () => {
  test('has one cost table per deploy path (Copilot, CDK), each ending in its total', () => {
    expect(tables).toHaveLength(2);
    for (const rows of tables) expect(rows.filter(isTotal).map((row) => rows.indexOf(row))).toEqual([rows.length - 1]);
  });

  test.each(tables.map((rows, index) => [index === 0 ? 'Copilot' : 'CDK', rows] as const))(
    'in the %s table every line is unit price × quantity, rounded to the cent',
    (_path, rows) => {
      const wrong: string[] = [];
      for (const row of rows.filter((r) => !isTotal(r))) {
        for (const env of ENVIRONMENTS) {
          const [amount, count] = [row[`${env} USD`]!, row[`${env}: quantity`]!];
          if (amount === '—' && count === '—') continue;
          const expected = unitPrice(row['unit price']!) * quantity(count);
          if (Math.abs(expected - dollars(amount)) > 0.005 + 1e-9) wrong.push(`${row.item} (${env}): ${amount}, but ${expected.toFixed(4)}`);
        }
      }
      expect(wrong).toEqual([]);
    },
  );

  test.each(tables.map((rows, index) => [index === 0 ? 'Copilot' : 'CDK', rows] as const))('in the %s table each total is the sum of its column', (_path, rows) => {
    const total = rows.find(isTotal)!;
    for (const env of ENVIRONMENTS) {
      const sum = rows.filter((r) => !isTotal(r) && r[`${env} USD`] !== '—').reduce((acc, r) => acc + dollars(r[`${env} USD`]!), 0);
      expect(dollars(total[`${env} USD`]!)).toBeCloseTo(sum, 2);
    }
  });

  test("the CDK table counts the NAT gateways, broker storage, tasks and ACUs of infra/src/sizes.ts", () => {
    const cdk = tables[1]!;
    const row = (start: string) => cdk.find((r) => r.item!.startsWith(start))!;
    for (const env of ENVIRONMENTS) {
      const sizes = SIZES[env];
      expect(quantity(row('NAT gateways')[`${env}: quantity`]!)).toBe(sizes.natGateways * 730);
      expect(quantity(row('MSK broker storage')[`${env}: quantity`]!)).toBe(3 * sizes.kafkaVolumeGiB);
      expect(quantity(row('Fargate tasks')[`${env}: quantity`]!)).toBe((sizes.producerTasks + sizes.consumerMinTasks) * 730);
      expect(quantity(row('Aurora')[`${env}: quantity`]!)).toBe(sizes.databaseMinCapacity * 730);
      const brokers = row(`MSK brokers ${sizes.kafkaInstanceType}`);
      expect(quantity(brokers[`${env}: quantity`]!)).toBe(3 * 730);
    }
  });
});
