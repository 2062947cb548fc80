// The syncer's upstream: kplane through the syncer view of its SyncTarget. The view is a
// path prefix (`syncerViewPath`) in front of the usual `/clusters/<path|*>/…` tree, so the
// client is the ordinary cluster-aware one over a kubeconfig whose server URL ends in the
// prefix (the transport keeps any path before `/clusters/`).
import { KubeConfig } from '@kubernetes/client-node';

/** A copy of `kc` whose current cluster's server is its origin (and any base path) + `prefix`. */
export function kubeconfigWithPrefix(kc: KubeConfig, prefix: string): KubeConfig {
  const current = kc.getCurrentCluster();
  if (!current) throw new Error('kubeconfig has no current cluster');
  const url = new URL(current.server);
  const idx = url.pathname.indexOf('/clusters/');
  const base = idx >= 0 ? url.pathname.slice(0, idx) : url.pathname.replace(/\/+$/, '');
  url.pathname = base + prefix;
  const server = url.toString().replace(/\/+$/, '');
  const out = new KubeConfig();
  out.loadFromOptions({
    clusters: kc.clusters.map((c) => (c.name === current.name ? { ...c, server } : c)),
    users: kc.users,
    contexts: kc.contexts,
    currentContext: kc.getCurrentContext(),
  });
  return out;
}
