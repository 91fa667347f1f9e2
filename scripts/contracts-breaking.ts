// `npm run contracts:breaking [base]`: compares every checked-in contract (docs/contracts/) with
// the same file at `base` and fails on a breaking change that does not follow the rules
// (docs/architecture.md, "Contracts"): OpenAPI and GraphQL deprecate first and remove later; an
// event's payload changes beyond an addition only with a new version of the event.
// `base`: the argument, else CONTRACTS_BASE (CI sets the pull request's base or the push's
// previous commit), else where this branch left main, else (on main) the previous commit.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONTRACT_CHECKS } from './contracts/breaking/contract-checks';
import { findTool } from './deploy-checks/deploy-files';

const root = join(__dirname, '..');
const git = (...args: string[]) => execFileSync('git', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
const exists = (ref: string) => {
  try {
    git('rev-parse', '--verify', '--quiet', `${ref}^{commit}`);
    return true;
  } catch {
    return false;
  }
};

function defaultBase(): string {
  const head = git('rev-parse', 'HEAD');
  for (const main of ['origin/main', 'main']) {
    if (!exists(main)) continue;
    const forkPoint = git('merge-base', 'HEAD', main);
    if (forkPoint !== head) return forkPoint;
  }
  return 'HEAD~1';
}

function oasdiff(): string {
  const tool = findTool('oasdiff');
  if (!tool) throw new Error('oasdiff is not installed: run `bash scripts/install-check-tools.sh` (it needs Go), then this again.');
  return tool;
}

async function main() {
  const asked = process.argv[2] ?? process.env.CONTRACTS_BASE;
  // A push that opens a branch has no previous commit (all zeros): fall back to the default.
  const base = asked && exists(asked) ? asked : defaultBase();
  if (!exists(base)) {
    console.log(`No commit to compare with (${base}): nothing to check.`);
    return;
  }
  console.log(`Contracts compared with ${git('rev-parse', '--short', base)}:`);
  let total = 0;
  for (const { file, tool, breaking } of CONTRACT_CHECKS) {
    let before: string;
    try {
      before = git('show', `${base}:${file}`);
    } catch {
      console.log(`  ${file}: new, nothing to compare`);
      continue;
    }
    const problems = await breaking(before, readFileSync(join(root, file), 'utf8'), { oasdiff });
    total += problems.length;
    console.log(problems.length === 0 ? `  ${file}: no breaking change (${tool})` : `  ${file}: ${problems.length} breaking (${tool})\n${problems.map((problem) => `    ${problem}`).join('\n')}`);
  }
  console.log(`${total} breaking changes`);
  if (total > 0) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
