// Summarizes a .cpuprofile (from bench/tools/cpu-profile.mjs or `node --cpu-prof`): self time by
// package (or Node's internals) and the hottest functions, to see what bounds a service.
//   node scripts/bootstrap.mjs bench/tools/cpuprofile-top.ts <file.cpuprofile> [top=25]
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** Where a frame's code lives: an npm package, a workspace, Node itself, or V8's own buckets. */
function owner(url: string, functionName: string): string {
  if (!url) return `(${functionName || 'native'})`;
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1]!;
  if (url.startsWith('node:')) return 'node:' + url.slice(5).split('/')[0];
  const workspace = /\/(producer|consumer|libs\/[^/]+)\/src\//.exec(url);
  return workspace ? `herald ${workspace[1]}` : url;
}

const [file, topArg = '25'] = process.argv.slice(2);
if (!file) throw new Error('usage: cpuprofile-top.ts <file.cpuprofile> [top]');
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const selfUs = new Map<number, number>();
profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
const totalUs = profile.endTime - profile.startTime;
const busyUs = [...selfUs].filter(([id]) => byId.get(id)?.callFrame.functionName !== '(idle)').reduce((sum, [, us]) => sum + us, 0);

const tally = (key: (node: ProfileNode) => string) => {
  const sums = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const node = byId.get(id)!;
    if (node.callFrame.functionName === '(idle)') continue;
    sums.set(key(node), (sums.get(key(node)) ?? 0) + us);
  }
  return [...sums].sort((a, b) => b[1] - a[1]).slice(0, Number(topArg));
};
const line = ([name, us]: [string, number]) => `  ${((us / busyUs) * 100).toFixed(1).padStart(5)}%  ${(us / 1e6).toFixed(2).padStart(7)} s  ${name}`;

console.log(`${file}: ${(totalUs / 1e6).toFixed(1)} s profiled, ${(busyUs / 1e6).toFixed(1)} s on CPU (${((busyUs / totalUs) * 100).toFixed(0)}% of one core)`);
console.log('\nself time by package:');
tally((node) => owner(node.callFrame.url, node.callFrame.functionName)).forEach((entry) => console.log(line(entry)));
console.log('\nhottest functions (self time):');
tally((node) => `${node.callFrame.functionName || '(anonymous)'}  ${owner(node.callFrame.url, node.callFrame.functionName)}:${node.callFrame.lineNumber + 1}`).forEach((entry) => console.log(line(entry)));
