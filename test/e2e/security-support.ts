// Fixtures for the security e2e suites: a kplane started with a static token file
// (alice → tenant A, bob → tenant B), workspaces root:ws-a and root:ws-b where each tenant
// is admin (bound by the admin), and sample objects in root, ws-a and ws-b.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually } from '../framework/eventually.ts';
import { TestClient } from '../framework/http.ts';
import { type Kplane, startKplane } from '../framework/kplane.ts';

export const ALICE_TOKEN = 'alice-0123456789abcdef';
export const BOB_TOKEN = 'bob-0123456789abcdef';
export const SLOW = { timeoutMs: 90_000, intervalMs: 200 };

export interface SecurityEnv extends AsyncDisposable {
  kp: Kplane;
  admin: TestClient;
  alice: TestClient;
  bob: TestClient;
  dir: string;
}

export const RBAC = 'rbac.authorization.k8s.io';

export function clusterRoleBinding(name: string, role: string, subjects: Record<string, string>[]): Record<string, unknown> {
  return { apiVersion: `${RBAC}/v1`, kind: 'ClusterRoleBinding', metadata: { name }, roleRef: { apiGroup: RBAC, kind: 'ClusterRole', name: role }, subjects };
}

export function syncTarget(name: string, labels: Record<string, string> = {}): Record<string, unknown> {
  return { apiVersion: 'workload.kcp.io/v1alpha1', kind: 'SyncTarget', metadata: { name, labels }, spec: { cluster: `pc-${name}` } };
}

export function workspace(name: string, labels: Record<string, string> = {}): Record<string, unknown> {
  return { apiVersion: 'tenancy.kcp.io/v1alpha1', kind: 'Workspace', metadata: { name, labels } };
}

export function secret(name: string, labels: Record<string, string> = {}): Record<string, unknown> {
  return { apiVersion: 'v1', kind: 'Secret', metadata: { name, labels }, stringData: { k: 'v' } };
}

export function configMap(name: string, labels: Record<string, string> = {}): Record<string, unknown> {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, labels }, data: { k: 'v' } };
}

export async function mustStatus(p: Promise<{ status: number; text: string }>, want: number, what: string): Promise<void> {
  const r = await p;
  if (r.status !== want) throw new Error(`${what}: want ${want}, got ${r.status}: ${r.text.slice(0, 300)}`);
}

export async function waitWorkspaceReady(admin: TestClient, parent: string, name: string): Promise<void> {
  await eventually(
    async () => {
      const r = await admin.do(`/clusters/${parent}/apis/tenancy.kcp.io/v1alpha1/workspaces/${name}`);
      return [r.json?.status?.phase === 'Ready', `phase ${r.json?.status?.phase}`];
    },
    { ...SLOW, what: `workspace ${parent}:${name} Ready` },
  );
}

/** Create sample objects (st, s, cm, w) in a cluster as admin. */
export async function seed(admin: TestClient, cluster: string): Promise<void> {
  const c = `/clusters/${cluster}`;
  await mustStatus(admin.do(`${c}/apis/workload.kcp.io/v1alpha1/synctargets`, { method: 'POST', body: syncTarget('st') }), 201, `seed st in ${cluster}`);
  await mustStatus(admin.do(`${c}/api/v1/namespaces/default/secrets`, { method: 'POST', body: secret('s') }), 201, `seed secret in ${cluster}`);
  await mustStatus(admin.do(`${c}/api/v1/namespaces/default/configmaps`, { method: 'POST', body: configMap('cm') }), 201, `seed cm in ${cluster}`);
  await mustStatus(admin.do(`${c}/apis/tenancy.kcp.io/v1alpha1/workspaces`, { method: 'POST', body: workspace('w') }), 201, `seed ws in ${cluster}`);
}

/** How long the seeded SyncTarget's resourceVersion must hold still to count as settled. */
const SETTLED_MS = 1_000;

/**
 * Wait until the controllers are done with what seed() made in `cluster`: the SyncTarget has
 * a status and its resourceVersion has held for SETTLED_MS (an idle reconcile writes
 * nothing), and the Workspace is Ready.
 */
async function waitSeedSettled(admin: TestClient, cluster: string): Promise<void> {
  const st = `/clusters/${cluster}/apis/workload.kcp.io/v1alpha1/synctargets/st`;
  let seen = { rv: '', since: 0 };
  await eventually(
    async () => {
      const r = await admin.do(st);
      const rv = String(r.json?.metadata?.resourceVersion ?? '');
      if (rv !== seen.rv) seen = { rv, since: Date.now() };
      const conditions = (r.json?.status?.conditions ?? []).length;
      const heldMs = Date.now() - seen.since;
      return [conditions > 0 && heldMs >= SETTLED_MS, `SyncTarget st in ${cluster}: ${conditions} conditions, resourceVersion ${rv} unchanged for ${heldMs} ms`];
    },
    { ...SLOW, what: `seeded SyncTarget in ${cluster} settled` },
  );
  await waitWorkspaceReady(admin, cluster, 'w');
}

/** `args`: extra flags for `kplane start`. */
export async function startSecurityEnv(args: string[] = []): Promise<SecurityEnv> {
  const dir = mkdtempSync(join(tmpdir(), 'kplane-sec-'));
  const tokenFile = join(dir, 'tokens.csv');
  writeFileSync(tokenFile, `${ALICE_TOKEN},alice,uid-alice,"tenant-a"\n${BOB_TOKEN},bob,uid-bob,"tenant-b"\n`, { mode: 0o600 });
  const kp = await startKplane({ args: ['--token-auth-file', tokenFile, ...args] });
  const admin = new TestClient(kp.url, kp.caPem, kp.adminToken);
  const env: SecurityEnv = {
    kp,
    admin,
    alice: admin.withToken(ALICE_TOKEN),
    bob: admin.withToken(BOB_TOKEN),
    dir,
    async [Symbol.asyncDispose]() {
      try {
        await kp[Symbol.asyncDispose]();
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
  try {
    for (const ws of ['ws-a', 'ws-b']) {
      await mustStatus(admin.do('/clusters/root/apis/tenancy.kcp.io/v1alpha1/workspaces', { method: 'POST', body: workspace(ws) }), 201, `create ${ws}`);
    }
    for (const ws of ['ws-a', 'ws-b']) await waitWorkspaceReady(admin, 'root', ws);
    await mustStatus(admin.do('/clusters/root:ws-a/apis/rbac.authorization.k8s.io/v1/clusterrolebindings', { method: 'POST', body: clusterRoleBinding('tenant-a-admin', 'admin', [{ kind: 'User', apiGroup: RBAC, name: 'alice' }]) }), 201, 'bind alice');
    await mustStatus(admin.do('/clusters/root:ws-b/apis/rbac.authorization.k8s.io/v1/clusterrolebindings', { method: 'POST', body: clusterRoleBinding('tenant-b-admin', 'admin', [{ kind: 'Group', apiGroup: RBAC, name: 'tenant-b' }]) }), 201, 'bind tenant-b');
    for (const c of ['root', 'root:ws-a', 'root:ws-b']) await seed(admin, c);
    // The controllers write the seeded objects (SyncTarget finalizer and status, Workspace
    // phase) on their own schedule: tests that compare resourceVersions before and after an
    // attack start once those writes are done.
    for (const c of ['root', 'root:ws-a', 'root:ws-b']) await waitSeedSettled(admin, c);
  } catch (err) {
    await env[Symbol.asyncDispose]();
    throw err;
  }
  return env;
}
