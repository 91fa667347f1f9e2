import { execFileSync } from 'node:child_process';
import { accessSync, constants, readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parse, type Tags } from 'yaml';

/** The repository root (this file lives in scripts/deploy-checks/). */
export const ROOT = resolve(__dirname, '..', '..');

const SKIPPED_DIRS = new Set(['node_modules', '.git', '.herald', 'dist', 'coverage']);

/** Every YAML file of the repository, as paths relative to the root. */
export function yamlFiles(dir = ROOT): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRS.has(entry.name)) found.push(...yamlFiles(join(dir, entry.name)));
    } else if (/\.ya?ml$/.test(entry.name)) {
      found.push(relative(ROOT, join(dir, entry.name)));
    }
  }
  return found.sort();
}

// CloudFormation's short forms (!Ref, !Sub, ...) become their long JSON forms ({Ref: ...}), so
// addon templates read as CloudFormation itself would see them.
const CFN_FUNCTIONS = ['Ref', 'Condition', 'Base64', 'Cidr', 'FindInMap', 'GetAtt', 'GetAZs', 'ImportValue', 'Join', 'Select', 'Split', 'Sub', 'Transform', 'And', 'Equals', 'If', 'Not', 'Or'];
const cfnTags: Tags = CFN_FUNCTIONS.flatMap((fn) => {
  const key = fn === 'Ref' || fn === 'Condition' ? fn : `Fn::${fn}`;
  const tag = `!${fn}`;
  return [
    { tag, resolve: (value: string) => ({ [key]: fn === 'GetAtt' ? value.split('.') : value }) },
    { tag, collection: 'seq' as const, resolve: (seq: { toJSON(): unknown }) => ({ [key]: seq.toJSON() }) },
    { tag, collection: 'map' as const, resolve: (map: { toJSON(): unknown }) => ({ [key]: map.toJSON() }) },
  ];
}) as Tags;

/** Parses a repository YAML file; CloudFormation short tags are understood everywhere. */
export function readYaml<T = Record<string, unknown>>(path: string): T {
  // `merge`: YAML merge keys (<<: *anchor) as Compose reads them.
  return parse(readFileSync(join(ROOT, path), 'utf8'), { customTags: cfnTags, strict: true, uniqueKeys: true, merge: true }) as T;
}

export function readJson<T = unknown>(path: string): T {
  return JSON.parse(readFileSync(join(ROOT, path), 'utf8')) as T;
}

/**
 * A linter from the project-local tools folder, at the version scripts/install-check-tools.sh pins.
 * Not from the PATH: another version lints by other rules (an older cfn-lint refuses properties
 * the templates rightly use), and its findings would fail the check for no fault of the templates.
 */
export function findTool(name: string): string | undefined {
  for (const dir of [join(ROOT, '.herald', 'tools', 'bin')]) {
    if (!dir) continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      execFileSync(candidate, ['--version'], { stdio: 'ignore', timeout: 30_000 });
      return candidate;
    } catch {
      // not here, or a shim without the tool behind it
    }
  }
  return undefined;
}

/**
 * Says plainly that a linter check is skipped. Written to stderr, not console.log: jest hides the
 * console output of a test file whose tests are all skipped.
 */
export function reportSkipped(tool: string): void {
  process.stderr.write(`skipped: ${tool} not installed (run scripts/install-check-tools.sh)\n`);
}

/**
 * A test that runs an external linter. Without the tool it is not defined and a "skipped" line
 * says so, except in CI, where .ci/run installs the tools: there a missing tool fails the run.
 */
export function toolTest(name: string, toolName: string, body: (tool: string) => void): void {
  const tool = findTool(toolName);
  if (tool) {
    test(name, () => body(tool));
  } else if (process.env.CI) {
    test(name, () => {
      throw new Error(`${toolName} is not installed; .ci/run installs it with scripts/install-check-tools.sh`);
    });
  } else {
    reportSkipped(toolName);
  }
}

/** Runs a linter; returns its exit code and everything it printed. */
export function runTool(tool: string, args: string[]): { status: number; output: string } {
  try {
    const output = execFileSync(tool, args, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000 });
    return { status: 0, output };
  } catch (error) {
    const failed = error as { status?: number; stdout?: string; stderr?: string };
    return { status: failed.status ?? 1, output: `${failed.stdout ?? ''}${failed.stderr ?? ''}` };
  }
}
