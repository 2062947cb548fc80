// Fixtures for the replica e2e: kplane replicas on one etcd sharing a root dir, a raw watch
// stream reader, and small HTTP helpers (no kubectl: these tests count milliseconds and writes).
import { request } from 'node:https';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Kplane, startKplane } from '../framework/kplane.ts';
import { TestClient } from '../framework/http.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- arbitrary JSON from the server
export type Obj = any;

export interface Replicas extends AsyncDisposable {
  rootDir: string;
  replicas: Kplane[];
  clients: TestClient[];
  /** Start another replica on the same etcd prefix and root dir. */
  add(): Promise<{ kp: Kplane; client: TestClient }>;
}

/**
 * Start `count` replicas one after the other (the first one creates CA, sa.key and admin
 * token in the shared root dir; the others reuse them). Each gets a fresh etcd prefix.
 */
export async function startReplicas(endpoints: string[], count: number, extraArgs: string[] = []): Promise<Replicas> {
  const rootDir = mkdtempSync(join(tmpdir(), 'kplane-replicas-'));
  const prefix = `/kplane-e2e-${randomBytes(4).toString('hex')}`;
  const args = ['--storage', 'etcd', '--etcd-servers', endpoints.join(','), '--etcd-prefix', prefix, ...extraArgs];
  const replicas: Kplane[] = [];
  const clients: TestClient[] = [];
  const add = async () => {
    const kp = await startKplane({ args, rootDir });
    replicas.push(kp);
    // Every replica serves the same admin token (shared .admin-token-store) and CA.
    const client = new TestClient(kp.url, kp.caPem, replicas[0]!.adminToken);
    clients.push(client);
    return { kp, client };
  };
  const r: Replicas = {
    rootDir,
    replicas,
    clients,
    add,
    async [Symbol.asyncDispose]() {
      await Promise.all(replicas.map((kp) => kp.stop()));
      rmSync(rootDir, { recursive: true, force: true });
    },
  };
  try {
    for (let i = 0; i < count; i++) await add();
  } catch (err) {
    await r[Symbol.asyncDispose]();
    throw err;
  }
  return r;
}

export interface WatchStream {
  events: { type: string; object: Obj }[];
  /** Resolves when the server ends the stream. */
  ended: Promise<void>;
  close(): void;
}

/** Open a watch and collect its events as they arrive. */
export function openWatch(client: TestClient, path: string): Promise<WatchStream> {
  const url = new URL(path, client.base);
  return new Promise((resolve, reject) => {
    const events: WatchStream['events'] = [];
    let endedResolve!: () => void;
    const ended = new Promise<void>((r) => (endedResolve = r));
    const req = request(url, { method: 'GET', headers: { Authorization: `Bearer ${client.token}`, Accept: 'application/json' }, ca: client.ca }, (res) => {
      if (res.statusCode !== 200) {
        reject(new Error(`watch ${path}: HTTP ${res.statusCode}`));
        res.resume();
        return;
      }
      let buf = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buf += chunk;
        for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
          const line = buf.slice(0, nl);
          buf = buf.slice(nl + 1);
          if (line.trim()) events.push(JSON.parse(line) as WatchStream['events'][number]);
        }
      });
      res.on('end', endedResolve);
      res.on('close', endedResolve);
      resolve({ events, ended, close: () => req.destroy() });
    });
    req.on('error', (err) => {
      endedResolve();
      reject(err);
    });
    req.end();
  });
}

export function configMap(name: string, data: Record<string, string>): Obj {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data };
}

export function syncTarget(name: string): Obj {
  return { apiVersion: 'workload.kcp.io/v1alpha1', kind: 'SyncTarget', metadata: { name }, spec: { cluster: name, capacity: { cpu: '8' } } };
}

export const CM = '/clusters/root/api/v1/namespaces/default/configmaps';
export const ST = '/clusters/root/apis/workload.kcp.io/v1alpha1/synctargets';

export function condition(st: Obj, type: string): { status?: string; reason?: string } | undefined {
  return (st?.status?.conditions as { type: string; status?: string; reason?: string }[] | undefined)?.find((c) => c.type === type);
}

/** The log lines of a replica with this message. */
export function logged(kp: Kplane, message: string): Record<string, unknown>[] {
  return kp.logs.filter((l) => l.message === message);
}
