// The soak's report: the normal client's latency and errors, one row per hostile client,
// the server's memory. Plain text for people, the same object as JSON for tools.
import { formatMs, formatTable, type LatencyStats } from '../bench/lib.ts';
import type { Tally } from './hostile-clients.ts';

export interface SoakReport {
  durationS: number;
  normal: LatencyStats & { errors: number; errorSamples: string[] };
  hostile: Record<string, Tally>;
  /** Bytes the many reading watches received. */
  watchBytes: number;
  /** Server memory (absent when the pid is unknown). */
  rss: { startKiB: number; endKiB: number; peakKiB: number } | undefined;
  /** Status of /livez after the hostile clients stopped (0 = no answer). */
  livezAfter: number;
  /** Why the server is considered crashed; '' when it survived. */
  crashed: string;
}

const mib = (kib: number) => `${(kib / 1024).toFixed(0)} MiB`;

export function formatReport(r: SoakReport): string {
  const n = r.normal;
  const lines = [
    `normal client: ${n.count} requests in ${r.durationS.toFixed(0)} s, p50 ${formatMs(n.p50Ms)} ms, p99 ${formatMs(n.p99Ms)} ms, max ${formatMs(n.maxMs)} ms, errors ${n.errors}`,
    ...n.errorSamples.map((s) => `  e.g. ${s}`),
    '',
    formatTable(
      ['hostile client', 'connections/requests', 'closed by server', 'longest (s)', 'answers'],
      Object.entries(r.hostile).map(([name, t]) => [
        name,
        t.opened,
        name.startsWith('stuck') ? 'n/a' : t.closedByServer,
        (t.longestMs / 1000).toFixed(1),
        Object.entries(t.statuses).map(([k, v]) => `${k}×${v}`).join(' ') || '-',
      ]),
    ),
    '',
    r.rss ? `server RSS: start ${mib(r.rss.startKiB)}, end ${mib(r.rss.endKiB)}, peak ${mib(r.rss.peakKiB)}` : 'server RSS: unknown (no --pid)',
    `watch bytes received: ${r.watchBytes}; /livez after: ${r.livezAfter || 'no answer'}`,
    r.crashed ? `CRASHED: ${r.crashed}` : 'server survived',
  ];
  return lines.join('\n');
}
