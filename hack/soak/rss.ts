// Memory of the server process from /proc/<pid>/status: VmRSS (now) and VmHWM (the kernel's
// own peak since start), sampled periodically; the peak reported is the larger of the
// highest VmRSS seen and the last VmHWM, so a spike between samples is not missed.
import { readFileSync } from 'node:fs';

export interface ProcMemory {
  rssKiB: number;
  hwmKiB: number;
}

/** Parse the VmRSS/VmHWM lines of a /proc/<pid>/status text (kB). */
export function parseProcStatus(text: string): ProcMemory | undefined {
  const field = (name: string) => new RegExp(`^${name}:\\s+(\\d+)\\s+kB`, 'm').exec(text)?.[1];
  const rss = field('VmRSS');
  // A zombie (exited, not yet reaped) still has a status file, but no memory lines.
  if (rss === undefined) return undefined;
  return { rssKiB: Number(rss), hwmKiB: Number(field('VmHWM') ?? rss) };
}

/** undefined when the process is gone or a zombie (or /proc is not there). */
export function readProcMemory(pid: number): ProcMemory | undefined {
  try {
    return parseProcStatus(readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return undefined; // ENOENT: the process exited — the caller decides whether that is a crash
  }
}

export class RSSSampler {
  private readonly pid: number;
  private timer: NodeJS.Timeout | undefined;
  first: ProcMemory | undefined;
  last: ProcMemory | undefined;
  peakKiB = 0;
  /** True once a sample found the process gone. */
  vanished = false;

  constructor(pid: number) {
    this.pid = pid;
  }

  sample(): void {
    const m = readProcMemory(this.pid);
    if (!m) {
      this.vanished = true;
      return;
    }
    this.first ??= m;
    this.last = m;
    this.peakKiB = Math.max(this.peakKiB, m.rssKiB, m.hwmKiB);
  }

  start(everyMs: number): void {
    this.sample();
    this.timer = setInterval(() => this.sample(), everyMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.sample();
  }
}
