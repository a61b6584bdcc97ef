// Processes of a benchmark: CPU time read from /proc (all threads, proc(5) utime + stime), CPU
// affinity set with util-linux's taskset, nice values, and the split of the machine's cores
// between the system under test and the peers that load it, so each side owns its core(s).
import { spawnSync, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { availableParallelism, setPriority } from 'node:os';

/** USER_HZ: /proc reports CPU time in clock ticks of 1/100 s on Linux. */
const TICKS_PER_S = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;

/** User + system CPU seconds in a proc(5) stat file: its fields 14 and 15. */
function statCpuSeconds(path: string): number {
  const stat = readFileSync(path, 'utf8');
  // The command name (field 2) may hold spaces; the numeric fields follow its closing parenthesis.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_S;
}

/** User + system CPU seconds of a whole process so far, every thread of it (/proc/<pid>/stat). */
export const cpuSeconds = (pid: number): number => statCpuSeconds(`/proc/${pid}/stat`);

/** User + system CPU seconds of one thread of a process so far; its main thread is `tid = pid` (/proc/<pid>/task/<tid>/stat). */
export const threadCpuSeconds = (pid: number, tid = pid): number => statCpuSeconds(`/proc/${pid}/task/${tid}/stat`);

/** CPU use of a process between two calls: `lap()` returns the share of one core since the last lap. */
export function cpuMeter(pid: number): { lap(): { cpuS: number; wallS: number; percentOfCore: number } } {
  let cpu = cpuSeconds(pid);
  let t = performance.now();
  return {
    lap() {
      const c = cpuSeconds(pid);
      const now = performance.now();
      const cpuS = c - cpu;
      const wallS = (now - t) / 1000;
      cpu = c;
      t = now;
      return { cpuS, wallS, percentOfCore: wallS > 0 ? (100 * cpuS) / wallS : 0 };
    },
  };
}

/** Busy jiffies of one core (proc(5) /proc/stat: every field but idle and iowait) and its total. */
function coreJiffies(cpu: number): { busy: number; total: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n').find((l) => l.startsWith(`cpu${cpu} `));
  const v = (line ?? '').trim().split(/\s+/).slice(1, 9).map(Number);
  const total = v.reduce((a, b) => a + b, 0);
  return { busy: total - (v[3] ?? 0) - (v[4] ?? 0), total };
}

/** How busy cores are between laps, in % of one core each summed (what else ran there shows up too). */
export function coreMeter(cpus: readonly number[]): { lap(): number } {
  let last = cpus.map(coreJiffies);
  return {
    lap() {
      const now = cpus.map(coreJiffies);
      const share = now.reduce((sum, n, i) => {
        const d = n.total - last[i]!.total;
        return sum + (d > 0 ? (100 * (n.busy - last[i]!.busy)) / d : 0);
      }, 0);
      last = now;
      return share;
    },
  };
}

export const tasksetAvailable = (): boolean => spawnSync('taskset', ['--version'], { stdio: 'ignore' }).status === 0;

/** Binds every thread of a running process to `cpus` (taskset -a -p -c). */
export function pin(pid: number, cpus: readonly number[]): void {
  const r = spawnSync('taskset', ['-a', '-p', '-c', cpus.join(','), String(pid)], { stdio: 'ignore' });
  if (r.status !== 0) throw new Error(`taskset could not pin process ${pid} to CPUs ${cpus.join(',')}`);
}

/**
 * Sets the nice value of every thread of a process (Linux keeps it per thread, and new threads
 * inherit their creator's): a negative one lets a bench hold its own on a machine shared with
 * other work. 0 leaves the process alone.
 */
export function renice(pid: number, niceness: number): void {
  if (niceness === 0) return;
  let tids: string[];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return; // already gone
  }
  for (const tid of tids) {
    try { setPriority(Number(tid), niceness); } catch { /* a thread that has just ended */ }
  }
}

const owned = new Set<ChildProcess>();
let hooked = false;

/** Ends a spawned peer (sipp, rtpengine) when the bench exits, also on Ctrl-C or SIGTERM. */
export function killOnExit(child: ChildProcess): void {
  if (!hooked) {
    hooked = true;
    process.on('exit', () => { for (const c of owned) c.kill('SIGTERM'); });
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130));
  }
  owned.add(child);
  child.once('exit', () => owned.delete(child));
}

export interface CpuSplit {
  /** The core(s) of the system under test, or undefined when nothing is pinned. */
  server: number[] | undefined;
  /** The core(s) of the load generators and receivers. */
  peers: number[] | undefined;
}

/** The last core for the system under test, the others for its peers (needs ≥ 2 cores and taskset). */
export function splitCpus(wanted: boolean): CpuSplit {
  const n = availableParallelism();
  if (!wanted || n < 2 || !tasksetAvailable()) return { server: undefined, peers: undefined };
  return { server: [n - 1], peers: Array.from({ length: n - 1 }, (_, i) => i) };
}

/** The machine's load averages (noise on a shared machine shows here). */
export function loadAverage(): string {
  return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
}
