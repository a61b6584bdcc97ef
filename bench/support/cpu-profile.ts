// Where a process spent its CPU: the self time of each function in the V8 CPU profiles that
// `node --cpu-prof` writes (the .cpuprofile JSON: nodes with call frames, sampled node ids and
// the microseconds between samples).
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface SelfTime {
  name: string;
  ms: number;
  /** Share of the busy (non-idle) time. */
  share: number;
}

/** Self time per function over every profile in `dir`, busiest first. */
export function selfTimes(dir: string): { busyMs: number; idleMs: number; top: SelfTime[] } {
  const byName = new Map<string, number>();
  let idle = 0;
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'))) {
    const p = JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile;
    const names = new Map(p.nodes.map((n) => {
      const f = n.callFrame;
      const where = f.url ? ` ${basename(f.url)}:${f.lineNumber + 1}` : '';
      return [n.id, `${f.functionName || '(anonymous)'}${where}`];
    }));
    p.samples.forEach((id, i) => {
      const us = p.timeDeltas[i] ?? 0;
      const name = names.get(id) ?? '(unknown)';
      if (name === '(idle)') idle += us;
      else byName.set(name, (byName.get(name) ?? 0) + us);
    });
  }
  const busy = [...byName.values()].reduce((a, b) => a + b, 0);
  const top = [...byName.entries()].sort((a, b) => b[1] - a[1]).map(([name, us]) => ({ name, ms: us / 1000, share: busy > 0 ? us / busy : 0 }));
  return { busyMs: busy / 1000, idleMs: idle / 1000, top };
}
