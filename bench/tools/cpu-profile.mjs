// Profiles the services under `npm start` without touching them. Node refuses `--cpu-prof` in
// NODE_OPTIONS, but allows `--import`, so this preload starts the V8 sampling profiler through the
// inspector and writes a .cpuprofile (open it in Chrome DevTools, or `bench/tools/cpuprofile-top.ts`)
// when the process exits. Only the producer's and consumer's processes are profiled:
//   NODE_OPTIONS="--import=$PWD/bench/tools/cpu-profile.mjs" HERALD_CPU_PROFILE_DIR=/tmp/prof npm start
import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { join } from 'node:path';

const service = /(producer|consumer)[\\/](src|dist)[\\/]main\.(ts|js)$/.exec(process.argv[1] ?? '')?.[1];
const dir = process.env.HERALD_CPU_PROFILE_DIR;
if (service && dir) {
  const session = new Session();
  session.connect();
  session.post('Profiler.enable');
  // 200 µs: fine enough for request handlers of a few milliseconds, cheap enough not to move them.
  session.post('Profiler.setSamplingInterval', { interval: 200 });
  session.post('Profiler.start');
  process.on('exit', () => {
    // Posts on an in-thread session answer synchronously, so this completes inside 'exit'.
    session.post('Profiler.stop', (error, result) => {
      if (error) return;
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, `${service}-${process.pid}.cpuprofile`), JSON.stringify(result.profile));
    });
  });
}
