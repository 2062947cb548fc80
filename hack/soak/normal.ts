// The normal client of the soak: a tenant that keeps working while the hostile ones run —
// get, list and update of one ConfigMap in its own workspace, one at a time, with latency
// recorded per request and every non-2xx answer or transport failure counted as an error.
import type { SoakClient } from './client.ts';

export interface NormalResult {
  latenciesMs: number[];
  errors: number;
  /** The first few errors, for the report. */
  samples: string[];
}

export interface NormalOptions {
  /** e.g. /clusters/root:soak-good */
  cluster: string;
  token: string;
  deadline: number;
  /** Hard cap on requests, whatever the deadline. */
  maxRequests: number;
  signal: AbortSignal;
}

/** Create the ConfigMap the loop works on (idempotent: AlreadyExists is fine). */
export async function prepareNormal(client: SoakClient, o: Pick<NormalOptions, 'cluster' | 'token'>): Promise<void> {
  const r = await client.call(`${o.cluster}/api/v1/namespaces/default/configmaps`, {
    method: 'POST',
    token: o.token,
    body: JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'soak-normal' }, data: { n: '0' } }),
  });
  if (r.status !== 201 && r.status !== 409) throw new Error(`cannot create the normal client's ConfigMap: ${r.status} ${r.error ?? r.text.slice(0, 200)}`);
}

/** Runs at least one round (so even a wedged server yields a data point), then until the deadline. */
export async function runNormal(client: SoakClient, o: NormalOptions): Promise<NormalResult> {
  const out: NormalResult = { latenciesMs: [], errors: 0, samples: [] };
  const path = `${o.cluster}/api/v1/namespaces/default/configmaps`;
  const timed = async (what: string, p: () => Promise<{ status: number; text: string; error?: string }>) => {
    const t0 = performance.now();
    const r = await p();
    out.latenciesMs.push(performance.now() - t0);
    if (r.status < 200 || r.status > 299) {
      out.errors++;
      if (out.samples.length < 5) out.samples.push(`${what}: ${r.status} ${r.error ?? r.text.slice(0, 160)}`);
    }
    return r;
  };
  let n = 0;
  do {
    const got = await timed('get', () => client.call(`${path}/soak-normal`, { token: o.token, timeoutMs: 30_000 }));
    await timed('list', () => client.call(path, { token: o.token, timeoutMs: 30_000 }));
    if (got.status === 200) {
      const cm = JSON.parse(got.text) as { data?: Record<string, string> };
      cm.data = { n: String(n) };
      await timed('update', () => client.call(`${path}/soak-normal`, { method: 'PUT', token: o.token, body: JSON.stringify(cm), timeoutMs: 30_000 }));
    }
    n++;
  } while (Date.now() < o.deadline && out.latenciesMs.length < o.maxRequests && !o.signal.aborted);
  return out;
}
