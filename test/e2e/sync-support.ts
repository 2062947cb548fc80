// Fixtures for the resource sync e2e: a physical cluster (a second kplane on a fixed port so it
// can be stopped and started again with the same certificates and data), the test's stand-in for
// the Deployment controller (no kubelet: it writes `.status` downstream), and the downstream
// namespace name of an upstream namespace.
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { downstreamNamespaceName } from '../../pkg/syncer/shared/locator.ts';
import type { TestClient } from '../framework/http.ts';
import { type Kplane, startKplane } from '../framework/kplane.ts';
import { kubeconfigFromManifests, parseManifests, runKplane, syncerArgsFromManifests } from './syncer-support.ts';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

/** A kplane standing in for a physical cluster: no controllers, a fixed port, a kept root dir. */
export function startPhysicalCluster(port: number, rootDir?: string): Promise<Kplane> {
  return startKplane({ args: ['--controllers', '-', '--secure-port', String(port)], ...(rootDir ? { rootDir } : { keepRootDir: true }) });
}

export function downstreamNamespace(syncTarget: { cluster: string; name: string; uid: string }, cluster: string, namespace: string): string {
  return downstreamNamespaceName({ syncTarget, cluster, namespace });
}

/** What a Deployment controller and kubelet would report for `replicas` running pods. */
export async function setDeploymentStatus(phys: TestClient, namespace: string, name: string, replicas: number): Promise<void> {
  const path = `/apis/apps/v1/namespaces/${namespace}/deployments/${name}`;
  const dep = await phys.do(path);
  if (dep.status !== 200) throw new Error(`GET ${path}: ${dep.status} ${dep.text}`);
  const status = { observedGeneration: dep.json.metadata.generation ?? 1, replicas, updatedReplicas: replicas, readyReplicas: replicas, availableReplicas: replicas };
  const r = await phys.do(`${path}/status`, { method: 'PATCH', contentType: 'application/merge-patch+json', body: { status } });
  if (r.status !== 200) throw new Error(`PATCH ${path}/status: ${r.status} ${r.text}`);
}

/** A Placement `web` taking any Location for the namespaces labelled `app=web` (YAML for kubectl apply). */
export const WEB_PLACEMENT = [
  'apiVersion: scheduling.kcp.io/v1alpha1', 'kind: Placement', 'metadata: {name: web}', 'spec:',
  '  locationSelectors: [{}]',
  '  locationResource: {group: workload.kcp.io, version: v1alpha1, resource: synctargets}',
  '  namespaceSelector: {matchLabels: {app: web}}',
].join('\n') + '\n';

/**
 * `kplane workload sync <name>` as the workspace admin (1 s heartbeats), then the syncer's own
 * kubeconfig written from the rendered manifests: the arguments of a syncer that reaches
 * objects only through its SyncTarget's syncer view (the default --sync-mode), plus `extra`, and
 * the path of that kubeconfig (its token is the syncer's identity).
 */
export async function syncerArgsFor(adminWorkspaceKubeconfig: string, dir: string, name: string, extra: string[]): Promise<{ args: string[]; kubeconfig: string }> {
  const out = join(dir, `${name}.yaml`);
  const r = await runKplane(['workload', 'sync', name, '--syncer-image', 'kplane-syncer:e2e', '--heartbeat-period', '1s', '-o', out], { KUBECONFIG: adminWorkspaceKubeconfig });
  if (r.code !== 0) throw new Error(`kplane workload sync ${name}: exit ${r.code}: ${r.stderr}`);
  const manifests = parseManifests(readFileSync(out, 'utf8'));
  const kubeconfig = join(dir, `${name}.kubeconfig`);
  writeFileSync(kubeconfig, kubeconfigFromManifests(manifests), { mode: 0o600 });
  return { args: [...syncerArgsFromManifests(manifests, kubeconfig), ...extra], kubeconfig };
}
