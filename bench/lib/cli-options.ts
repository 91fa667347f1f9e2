import { parseArgs } from 'node:util';

/**
 * Reads `--name=value` numbers from the command line over the given defaults, so every bench
 * has the same option style (`npm run bench:e2e -- --users=200 --rate=100`).
 */
export function numericOptions<T extends Record<string, number>>(defaults: T, argv: string[] = process.argv.slice(2)): T {
  const { values } = parseArgs({
    args: argv,
    options: Object.fromEntries(Object.keys(defaults).map((name) => [name, { type: 'string' as const }])),
    strict: true,
  });
  const options: Record<string, number> = { ...defaults };
  for (const [name, raw] of Object.entries(values)) {
    const value = Number(raw);
    if (!Number.isFinite(value) || value < 0) throw new Error(`--${name} must be a non-negative number, got "${String(raw)}"`);
    options[name] = value;
  }
  return options as T;
}
