// The CPU the system uses while nothing happens (its consumers' idle fetches, timers, the relay's
// wake-ups), per process group, over `seconds`: node scripts/bootstrap.mjs bench/tools/idle-cpu.ts 20
import { benchTarget } from '../lib/bench-env';
import { describeCpu, startCpuAccounting } from '../lib/cpu-accounting';
import { targetPorts } from '../lib/system-pids';

const seconds = Number(process.argv[2] ?? 20);
const cpu = startCpuAccounting({ ports: targetPorts(benchTarget()) });
setTimeout(() => console.log(`idle for ${seconds} s, ${describeCpu(cpu.stop())}`), seconds * 1000);
