import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Breaking changes from `base` to `current` of an OpenAPI document, as oasdiff (a Go tool, built by
 * scripts/install-check-tools.sh) classifies them at level ERR: a route removed without being
 * deprecated first, a request field made required, a response field made optional, and its 300
 * other rules. The rule for the producer's API: deprecate (`deprecated: true`) in one release,
 * remove in a later one; oasdiff lets that removal through.
 */
export function openApiBreaking(base: string, current: string, oasdiff: string): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'herald-openapi-diff-'));
  try {
    writeFileSync(join(dir, 'base.json'), base);
    writeFileSync(join(dir, 'current.json'), current);
    const output = execFileSync(oasdiff, ['breaking', join(dir, 'base.json'), join(dir, 'current.json'), '--format', 'json'], { encoding: 'utf8', timeout: 120_000 });
    const changes = (output.trim() ? JSON.parse(output) : []) as Array<{ id: string; text: string; level: number; operation?: string; path?: string }>;
    // oasdiff's levels: 1 info, 2 warning, 3 error (breaking).
    return changes.filter((change) => change.level >= 3).map((change) => `${change.operation ?? ''} ${change.path ?? ''}: ${change.text} [${change.id}]`.trim());
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
