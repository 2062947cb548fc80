// A kubeconfig for the syncer to reach kplane with a bearer token. The server is kplane's
// external URL WITHOUT a /clusters/<path> suffix: the syncer is cluster-aware and is told
// its workspace with --from-cluster.
import { stringify } from 'yaml';

export interface SyncerKubeconfigInput {
  server: string;
  caPem: string;
  token: string;
  /** Name of the cluster/user/context entries; defaults to "kplane". */
  name?: string;
}

/** Strip any /clusters/... path (and trailing slashes) from a kplane URL. */
export function baseServerURL(url: string): string {
  const u = new URL(url);
  const idx = u.pathname.indexOf('/clusters/');
  u.pathname = idx >= 0 ? u.pathname.slice(0, idx) : u.pathname;
  return u.toString().replace(/\/+$/, '');
}

export function renderSyncerKubeconfig(input: SyncerKubeconfigInput): string {
  const name = input.name ?? 'kplane';
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name, cluster: { server: baseServerURL(input.server), 'certificate-authority-data': Buffer.from(input.caPem).toString('base64') } }],
    users: [{ name, user: { token: input.token } }],
    contexts: [{ name, context: { cluster: name, user: name } }],
    'current-context': name,
  });
}
