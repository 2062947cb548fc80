// Helpers shared by the operations tests: SyncTarget bodies, a scrape, a watch that reports how
// it ended, and reading one sample out of Prometheus text.
import { request } from 'node:https';
import { TestClient } from '../../framework/http.ts';
import type { Kplane } from '../../framework/kplane.ts';

export const ST_PATH = '/clusters/root/apis/workload.kcp.io/v1alpha1/synctargets';

export function syncTarget(name: string): Record<string, unknown> {
  return { apiVersion: 'workload.kcp.io/v1alpha1', kind: 'SyncTarget', metadata: { name }, spec: { cluster: `pcluster-${name}` } };
}

export function adminClient(kp: Kplane): TestClient {
  return new TestClient(kp.url, kp.caPem, kp.adminToken);
}

export async function scrape(kp: Kplane): Promise<string> {
  const r = await adminClient(kp).get('/metrics', { headers: { Accept: 'text/plain' } });
  if (r.status !== 200) throw new Error(`/metrics answered ${r.status}: ${r.text}`);
  return r.text;
}

/** The value of the first sample whose name and labels match exactly (labels in exposition order). */
export function sample(text: string, series: string): number | undefined {
  for (const line of text.split('\n')) {
    if (line.startsWith(series + ' ')) return Number(line.slice(series.length + 1));
  }
  return undefined;
}

/** Sum of every sample of a family (any labels). */
export function familySum(text: string, name: string): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith(name + '{') || line.startsWith(name + ' ')) sum += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return sum;
}

export interface OpenWatch {
  /** Event lines received so far. */
  events: { type: string }[];
  /** Resolves once the response is fully received (clean EOF) or fails (reset). */
  ended: Promise<'eof' | 'reset'>;
  /** Resolves when the 200 headers arrived. */
  started: Promise<void>;
  abort(): void;
}

export function openWatch(kp: Kplane, path: string): OpenWatch {
  const events: { type: string }[] = [];
  let onStarted!: () => void;
  const started = new Promise<void>((r) => (onStarted = r));
  let abort: () => void = () => undefined;
  const ended = new Promise<'eof' | 'reset'>((resolve) => {
    const req = request(new URL(path, kp.url), { ca: kp.caPem, headers: { Authorization: `Bearer ${kp.adminToken}` } }, (res) => {
      onStarted();
      let buf = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buf += chunk;
        let i;
        while ((i = buf.indexOf('\n')) >= 0) {
          const line = buf.slice(0, i);
          buf = buf.slice(i + 1);
          if (line.trim()) events.push(JSON.parse(line) as { type: string });
        }
      });
      res.on('end', () => resolve('eof'));
      res.on('error', () => resolve('reset'));
      res.on('aborted', () => resolve('reset'));
    });
    req.on('error', () => resolve('reset'));
    req.end();
    abort = () => req.destroy();
  });
  return { events, ended, started, abort: () => abort() };
}
