/** One way the read models differ from what the producer's tables say they must be, as a line to print. */
export type Difference = string;

/** A column compared between the two databases; a personal one is named in a difference, never shown. */
export interface Field<Row> {
  name: string;
  value: (row: Row) => unknown;
  personal?: boolean;
}

const comparable = (value: unknown) => (value instanceof Date ? value.getTime() : value ?? null);

/**
 * Rows of one kind, keyed by id, from the producer (`expected`) and the read models (`actual`):
 * each missing row, each extra row, and each row whose fields differ, one line each. Lines carry
 * ids and field names, and the values of fields that are not personal (a revision, a flag), so a
 * printed difference leaks no e-mail or name.
 */
export function diffRows<Row>({
  what,
  expected,
  actual,
  fields,
  extra = () => 'is in the read models but not in the producer\'s database',
}: {
  what: string;
  expected: Map<string, Row>;
  actual: Map<string, Row>;
  fields: Field<Row>[];
  /** Says why a row of the read models alone is one too many (or returns undefined when it may be there). */
  extra?: (id: string, row: Row) => string | undefined;
}): Difference[] {
  const differences: Difference[] = [];
  for (const [id, source] of expected) {
    const projected = actual.get(id);
    if (!projected) {
      differences.push(`${what} ${id}: in the producer's database, missing from the read models`);
      continue;
    }
    const differing = fields.filter((field) => comparable(field.value(source)) !== comparable(field.value(projected)));
    if (differing.length === 0) continue;
    const described = differing.map((field) => (field.personal ? field.name : `${field.name} (producer ${String(comparable(field.value(source)))}, read model ${String(comparable(field.value(projected)))})`));
    differences.push(`${what} ${id}: differs in ${described.join(', ')}`);
  }
  for (const [id, row] of actual) {
    if (expected.has(id)) continue;
    const why = extra(id, row);
    if (why) differences.push(`${what} ${id}: ${why}`);
  }
  return differences;
}

/** Rows by a key built from each. */
export const byKey = <Row>(rows: Row[], key: (row: Row) => string) => new Map(rows.map((row) => [key(row), row]));
