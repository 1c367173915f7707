import { readFileSync } from 'node:fs';
import { processTree } from '../embedded/process-tree.ts';

/**
 * CPU time of this process and every process it started (the API, the workers, PostgreSQL, the
 * Temporal server), read from Linux's /proc: what one request costs the machine, summed over all
 * of them. Undefined where there is no /proc.
 */
export type CpuSnapshot = Map<number, { label: string; seconds: number }>;

/** A short name for each kind of process the bench starts. */
function labelOf(cmdline: string): string {
  // The Node entry points first: a path or an argument may contain "postgres" too.
  if (cmdline.includes('worker/main.ts')) return 'worker';
  if (cmdline.includes('bench/noop-worker.ts')) return 'no-op worker';
  if (cmdline.includes('api/main.ts')) return 'API';
  if (cmdline.includes('bench/run.ts')) return 'load generator';
  if (/temporal.*start-dev/.test(cmdline)) return 'Temporal';
  if (/postgres/.test(cmdline)) return 'PostgreSQL';
  return 'other';
}

function readProc(pid: string): { seconds: number; cmdline: string } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after "(comm)": … utime(14) stime(15), counted from 1 in proc(5).
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
    return { seconds: ticks / CLOCK_TICKS, cmdline };
  } catch {
    return undefined; // gone meanwhile
  }
}

/** USER_HZ: 100 on every Linux the bench runs on (getconf CLK_TCK). */
const CLOCK_TICKS = 100;

export function cpuSnapshot(root = process.pid): CpuSnapshot | undefined {
  let tree: number[];
  try {
    tree = processTree(root);
  } catch {
    return undefined; // no /proc
  }
  const snapshot: CpuSnapshot = new Map();
  for (const pid of tree) {
    const proc = readProc(String(pid));
    if (proc) snapshot.set(pid, { label: labelOf(proc.cmdline), seconds: proc.seconds });
  }
  return snapshot;
}

/**
 * CPU milliseconds spent between two snapshots, per kind of process, divided by `per`; largest
 * first. A process that exited in between is not counted (its time went to its parent's children
 * totals, which are not read): the bench's own processes live through the window.
 */
export function cpuSince(before: CpuSnapshot | undefined, per: number): Array<{ label: string; ms: number }> | undefined {
  const after = cpuSnapshot();
  if (!before || !after || per <= 0) return undefined;
  const sums = new Map<string, number>();
  for (const [pid, { label, seconds }] of after) sums.set(label, (sums.get(label) ?? 0) + seconds - (before.get(pid)?.seconds ?? 0));
  return [...sums]
    .map(([label, seconds]) => ({ label, ms: (seconds * 1000) / per }))
    .filter((c) => c.ms >= 0.5)
    .sort((a, b) => b.ms - a.ms);
}

/** The sum of a `cpuSince` answer, in ms. */
export function cpuTotal(cpu: Array<{ ms: number }>): number {
  return cpu.reduce((sum, c) => sum + c.ms, 0);
}
