import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, STATE_DIR } from '../paths';

// Written after a successful build; sources newer than it mean the build is stale.
const STAMP = join(STATE_DIR, 'build-stamp');

/** The newest modification time under `path` (a file or a folder), in ms. */
function newest(path: string): number {
  const stat = statSync(path, { throwIfNoEntry: false });
  if (!stat) return 0;
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce((latest, entry) => Math.max(latest, newest(join(path, entry))), stat.mtimeMs);
}

function isStale(): boolean {
  const built = statSync(STAMP, { throwIfNoEntry: false })?.mtimeMs ?? 0;
  // The workspaces of package.json: libs/* and the two services.
  const packages = ['producer', 'consumer', ...readdirSync(join(ROOT, 'libs')).map((lib) => join('libs', lib))];
  const inputs = [join(ROOT, 'tsconfig.base.json'), join(ROOT, 'package-lock.json'), ...packages.flatMap((pkg) => [join(ROOT, pkg, 'src'), join(ROOT, pkg, 'tsconfig.build.json'), join(ROOT, pkg, 'package.json')])];
  return inputs.some((input) => newest(input) > built);
}

/**
 * `npm start` runs the services as their images do (`node <service>/dist/main.js`), so what it
 * shows (start-up, memory, speed) is what ships. This builds them first when a source changed
 * since the last build: the first start, or after an edit.
 */
export async function buildServicesIfStale(log: (line: string) => void): Promise<void> {
  if (!isStale()) return;
  const started = Date.now();
  log('Building the services (first start, or sources changed since the last build)...');
  const npm = process.env.npm_execpath;
  // Under `npm start`, npm says where it is; run it with this Node, not whichever is on PATH.
  const [command, args] = npm ? [process.execPath, [npm, 'run', '--silent', 'build']] : ['npm', ['run', '--silent', 'build']];
  const output: string[] = [];
  const code = await new Promise<number | null>((resolveBuild, rejectBuild) => {
    const child = spawn(command, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    child.once('error', rejectBuild);
    child.once('exit', resolveBuild);
  });
  if (code !== 0) throw new Error(`The build failed (npm run build, exit code ${code}); fix the errors below and start again:\n${output.join('').trim()}`);
  // On a fresh clone nothing has made the state folder yet (`npm run chaos` before any `npm start`).
  mkdirSync(STATE_DIR, { recursive: true });
  writeFileSync(STAMP, `${new Date().toISOString()}\n`);
  log(`Built in ${((Date.now() - started) / 1000).toFixed(1)}s.`);
}
