// @kubernetes/client-node's KubeConfig, loaded on first use (a require of an ES module, which
// Node 24 does synchronously). The package's generated API is ~80 MiB of RSS once imported, so
// a process that never parses a kubeconfig — `kplane start` reaches itself through
// BearerTokenConfig (token-config.ts) — must not import it at module load (docs/design.md §11,
// memory).
import { createRequire } from 'node:module';

type ClientNode = typeof import('@kubernetes/client-node');

/** The KubeConfig class, loading the package the first time it is asked for. */
export function kubeConfigClass(): ClientNode['KubeConfig'] {
  return (createRequire(import.meta.url)('@kubernetes/client-node') as ClientNode).KubeConfig;
}
